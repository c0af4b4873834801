"""learnsoc: learning-society metrics (xã hội học tập) for Vietnam.

Typed entities, an administrative hierarchy of any depth, title rules, fast rollups,
targets and reports in Vietnamese and English.

Examples
--------
>>> import learnsoc as ls
>>> pop = ls.synthetic_population(persons=10_000, seed=7)
>>> pop.n_persons
10000
"""

import importlib
from typing import TYPE_CHECKING, Any

from learnsoc._version import __version__
from learnsoc.aggregate import Groups, Partial, Rate, RateStatus
from learnsoc.aggregate.rollup import Count, Rollup, Sum, rollup, rollup_counts, rollup_partial
from learnsoc.aggregate.stream import rollup_batches
from learnsoc.errors import (
    CrosswalkError,
    DataError,
    HierarchyError,
    LearnsocError,
    LearnsocWarning,
    OptionalDependencyError,
    RulebookError,
    SchemaError,
    UnknownIdError,
)
from learnsoc.i18n import get_locale, set_locale, use_locale
from learnsoc.model import (
    PRESETS,
    STANDARD_SCHEMA,
    AdminUnit,
    Clan,
    ColumnSpec,
    Crosswalk,
    Education,
    Employment,
    Hierarchy,
    HierarchyDateWarning,
    HierarchySpec,
    Household,
    Level,
    Membership,
    Organisation,
    OrganisationType,
    Person,
    Population,
    PopulationSummary,
    Qualification,
    Schema,
    Sex,
)
from learnsoc.rejects import Rejects
from learnsoc.synth import synthetic_hierarchy, synthetic_inputs, synthetic_population

if TYPE_CHECKING:
    from learnsoc.io import (
        FileFormatError,
        FileRejects,
        MappingError,
        from_dataframe,
        load_mapping,
        read_dataset,
        read_population,
        rollup_parquet,
        vietnam_crosswalk,
        vietnam_units,
        write_dataset,
        write_population,
        write_rejects,
        write_table,
        write_verdicts,
    )
    from learnsoc.report.report import Report
    from learnsoc.report.results import Results, results
    from learnsoc.rules.engine import Evaluation, evaluate
    from learnsoc.rules.registry import list_rulebooks, load_rulebook
    from learnsoc.rules.rulebook import (
        AbolishedProcedureWarning,
        MissingInputWarning,
        Rulebook,
        RulebookWarning,
    )
    from learnsoc.scale import DatasetEvaluation, evaluate_dataset
    from learnsoc.targets import (
        Indicator,
        Progress,
        Status,
        Target,
        TargetError,
        TargetSet,
        list_targets,
        load_targets,
        standard_measures,
        standard_titles,
    )
    from learnsoc.targets.progress import progress

# Files, rules, targets and reports load on first use (``ls.evaluate`` ...): ``import
# learnsoc`` stays quick for a notebook or a script that only rolls counts up.
_LAZY: dict[str, str] = {
    **dict.fromkeys(
        (
            "FileFormatError",
            "FileRejects",
            "MappingError",
            "from_dataframe",
            "load_mapping",
            "read_dataset",
            "read_population",
            "rollup_parquet",
            "vietnam_crosswalk",
            "vietnam_units",
            "write_dataset",
            "write_population",
            "write_rejects",
            "write_table",
            "write_verdicts",
        ),
        "learnsoc.io",
    ),
    "DatasetEvaluation": "learnsoc.scale",
    "evaluate_dataset": "learnsoc.scale",
    "Report": "learnsoc.report",
    "Results": "learnsoc.report",
    "results": "learnsoc.report",
    "Evaluation": "learnsoc.rules.engine",
    "evaluate": "learnsoc.rules.engine",
    "list_rulebooks": "learnsoc.rules.registry",
    "load_rulebook": "learnsoc.rules.registry",
    "AbolishedProcedureWarning": "learnsoc.rules.rulebook",
    "MissingInputWarning": "learnsoc.rules.rulebook",
    "Rulebook": "learnsoc.rules.rulebook",
    "RulebookWarning": "learnsoc.rules.rulebook",
    **dict.fromkeys(
        (
            "Indicator",
            "Progress",
            "Status",
            "Target",
            "TargetError",
            "TargetSet",
            "list_targets",
            "load_targets",
            "progress",
            "standard_measures",
            "standard_titles",
        ),
        "learnsoc.targets",
    ),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        msg = f"module 'learnsoc' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "PRESETS",
    "STANDARD_SCHEMA",
    "AbolishedProcedureWarning",
    "AdminUnit",
    "Clan",
    "ColumnSpec",
    "Count",
    "Crosswalk",
    "CrosswalkError",
    "DataError",
    "DatasetEvaluation",
    "Education",
    "Employment",
    "Evaluation",
    "FileFormatError",
    "FileRejects",
    "Groups",
    "Hierarchy",
    "HierarchyDateWarning",
    "HierarchyError",
    "HierarchySpec",
    "Household",
    "Indicator",
    "LearnsocError",
    "LearnsocWarning",
    "Level",
    "MappingError",
    "Membership",
    "MissingInputWarning",
    "OptionalDependencyError",
    "Organisation",
    "OrganisationType",
    "Partial",
    "Person",
    "Population",
    "PopulationSummary",
    "Progress",
    "Qualification",
    "Rate",
    "RateStatus",
    "Rejects",
    "Report",
    "Results",
    "Rollup",
    "Rulebook",
    "RulebookError",
    "RulebookWarning",
    "Schema",
    "SchemaError",
    "Sex",
    "Status",
    "Sum",
    "Target",
    "TargetError",
    "TargetSet",
    "UnknownIdError",
    "__version__",
    "evaluate",
    "evaluate_dataset",
    "from_dataframe",
    "get_locale",
    "list_rulebooks",
    "list_targets",
    "load_mapping",
    "load_rulebook",
    "load_targets",
    "progress",
    "read_dataset",
    "read_population",
    "results",
    "rollup",
    "rollup_batches",
    "rollup_counts",
    "rollup_parquet",
    "rollup_partial",
    "set_locale",
    "standard_measures",
    "standard_titles",
    "synthetic_hierarchy",
    "synthetic_inputs",
    "synthetic_population",
    "use_locale",
    "vietnam_crosswalk",
    "vietnam_units",
    "write_dataset",
    "write_population",
    "write_rejects",
    "write_table",
    "write_verdicts",
]
