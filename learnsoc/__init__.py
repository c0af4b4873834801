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

from learnsoc._version import __version__
from learnsoc.aggregate import Groups, Partial, Rate, RateStatus
from learnsoc.aggregate.rollup import Count, Rollup, Sum, rollup, rollup_counts, rollup_partial
from learnsoc.aggregate.stream import rollup_batches, rollup_parquet
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
from learnsoc.io import (
    FileFormatError,
    FileRejects,
    MappingError,
    from_dataframe,
    load_mapping,
    read_population,
    vietnam_crosswalk,
    vietnam_units,
    write_rejects,
    write_table,
    write_verdicts,
)
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
from learnsoc.report import Report
from learnsoc.rules.engine import Evaluation, evaluate
from learnsoc.rules.registry import list_rulebooks, load_rulebook
from learnsoc.rules.rulebook import MissingInputWarning, Rulebook, RulebookWarning
from learnsoc.synth import synthetic_hierarchy, synthetic_inputs, synthetic_population
from learnsoc.targets import (
    Indicator,
    Progress,
    Status,
    Target,
    TargetError,
    TargetSet,
    list_targets,
    load_targets,
    progress,
    standard_measures,
    standard_titles,
)

__all__ = [
    "PRESETS",
    "STANDARD_SCHEMA",
    "AdminUnit",
    "Clan",
    "ColumnSpec",
    "Count",
    "Crosswalk",
    "CrosswalkError",
    "DataError",
    "Education",
    "Employment",
    "Evaluation",
    "FileFormatError",
    "FileRejects",
    "Groups",
    "Hierarchy",
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
    "from_dataframe",
    "get_locale",
    "list_rulebooks",
    "list_targets",
    "load_mapping",
    "load_rulebook",
    "load_targets",
    "progress",
    "read_population",
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
    "write_rejects",
    "write_table",
    "write_verdicts",
]
