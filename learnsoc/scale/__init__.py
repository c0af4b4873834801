"""Run a rulebook over a dataset larger than memory, one partition at a time.

See :func:`evaluate_dataset` and the "Scaling out" page of the user guide. The Dask
runner (extra ``dask``) will run the same per-partition function as tasks.
"""

from __future__ import annotations

from learnsoc.scale.local import (
    CriterionCounts,
    DatasetEvaluation,
    PartitionResult,
    WorkerError,
    criterion_counts,
    evaluate_dataset,
    evaluate_partition,
)

__all__ = [
    "CriterionCounts",
    "DatasetEvaluation",
    "PartitionResult",
    "WorkerError",
    "criterion_counts",
    "evaluate_dataset",
    "evaluate_partition",
]
