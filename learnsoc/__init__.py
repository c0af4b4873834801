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
from learnsoc.errors import (
    CrosswalkError,
    DataError,
    HierarchyError,
    LearnsocError,
    OptionalDependencyError,
    RulebookError,
    SchemaError,
    UnknownIdError,
)
from learnsoc.i18n import get_locale, set_locale, use_locale
from learnsoc.io import vietnam_crosswalk, vietnam_units
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
from learnsoc.synth import synthetic_hierarchy, synthetic_population

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
    "Groups",
    "Hierarchy",
    "HierarchyError",
    "HierarchySpec",
    "Household",
    "LearnsocError",
    "Level",
    "Membership",
    "OptionalDependencyError",
    "Organisation",
    "OrganisationType",
    "Partial",
    "Person",
    "Population",
    "PopulationSummary",
    "Qualification",
    "Rate",
    "RateStatus",
    "Rejects",
    "Rollup",
    "RulebookError",
    "Schema",
    "SchemaError",
    "Sex",
    "Sum",
    "UnknownIdError",
    "__version__",
    "get_locale",
    "rollup",
    "rollup_counts",
    "rollup_partial",
    "set_locale",
    "synthetic_hierarchy",
    "synthetic_population",
    "use_locale",
    "vietnam_crosswalk",
    "vietnam_units",
]
