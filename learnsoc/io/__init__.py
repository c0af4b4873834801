"""Floor 6: the edges. Readers and writers of files and of other packages' data.

Read a population from an agency's files (:func:`read_population`: CSV, Excel, Parquet,
Arrow) or from data frames (:func:`from_dataframe`), with a mapping file for the agency's
column names and codes (:func:`read_mapping`); every refused record is in
``pop.rejects`` with its file and line (:class:`FileRejects`). Write tables, rejects and
verdicts atomically (:func:`write_table`, :func:`write_rejects`, :func:`write_verdicts`),
and a population as files that read back the same (:func:`write_population`). Roll a
counts file (a commune's report) up the tree with its rejects named by the file's lines
(:func:`rollup_counts_file`). Read the evaluators' inputs (a commune's learning plan, a
village's learning activities) from their sheets for ``evaluate(..., inputs=...)``
(:func:`read_inputs`).
"""

from learnsoc.io.counts import rollup_counts_file
from learnsoc.io.dataset import (
    Dataset,
    DatasetError,
    DatasetWriter,
    PartitionFileMissingError,
    WrittenPartitions,
    read_dataset,
    write_dataset,
)
from learnsoc.io.export import population_table, write_population
from learnsoc.io.files import FileFormatError
from learnsoc.io.frames import from_dataframe
from learnsoc.io.inputs import InputsLevelError, read_inputs
from learnsoc.io.mapping import FileMapping, MappingError, load_mapping, read_mapping
from learnsoc.io.parquet import rollup_parquet
from learnsoc.io.population import read_counts, read_population, read_table, read_units
from learnsoc.io.rejects import FileReject, FileRejects
from learnsoc.io.verdicts import verdict_chunks, verdict_columns, write_verdicts
from learnsoc.io.vn_units import vietnam_crosswalk, vietnam_units
from learnsoc.io.writers import (
    OutputPathError,
    atomic_path,
    write_chunks,
    write_csv,
    write_json,
    write_parquet,
    write_rejects,
    write_table,
)

__all__ = [
    "Dataset",
    "DatasetError",
    "DatasetWriter",
    "FileFormatError",
    "FileMapping",
    "FileReject",
    "FileRejects",
    "InputsLevelError",
    "MappingError",
    "OutputPathError",
    "PartitionFileMissingError",
    "WrittenPartitions",
    "atomic_path",
    "from_dataframe",
    "load_mapping",
    "population_table",
    "read_counts",
    "read_dataset",
    "read_inputs",
    "read_mapping",
    "read_population",
    "read_table",
    "read_units",
    "rollup_counts_file",
    "rollup_parquet",
    "verdict_chunks",
    "verdict_columns",
    "vietnam_crosswalk",
    "vietnam_units",
    "write_chunks",
    "write_csv",
    "write_dataset",
    "write_json",
    "write_parquet",
    "write_population",
    "write_rejects",
    "write_table",
    "write_verdicts",
]
