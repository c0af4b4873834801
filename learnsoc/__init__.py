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

# The public face, grouped by kind: kind -> module -> names. ``__all__``, the lazy-import
# table and ``dir(learnsoc)`` all derive from this one table, so a name cannot be exported
# and not importable (tests/test_import.py also checks the TYPE_CHECKING mirror below).
_PUBLIC: dict[str, dict[str, tuple[str, ...]]] = {
    "entities": {
        "learnsoc.model": (
            "AdminUnit",
            "Clan",
            "Education",
            "Employment",
            "Household",
            "Membership",
            "Organisation",
            "OrganisationType",
            "Person",
            "Qualification",
            "Sex",
        ),
    },
    "hierarchy": {
        "learnsoc.model": (
            "PRESETS",
            "Crosswalk",
            "Hierarchy",
            "HierarchyDateWarning",
            "HierarchySpec",
            "Level",
        ),
        "learnsoc.synth": ("synthetic_hierarchy",),
        "learnsoc.io": ("vietnam_crosswalk", "vietnam_units"),
    },
    "population": {
        "learnsoc.model": (
            "STANDARD_SCHEMA",
            "ColumnSpec",
            "Population",
            "PopulationSummary",
            "Schema",
        ),
        "learnsoc.rejects": ("Rejects",),
        "learnsoc.synth": ("synthetic_inputs", "synthetic_population"),
    },
    "rules": {
        "learnsoc.rules.engine": ("evaluate",),
        "learnsoc.rules.evaluation": ("Evaluation",),
        "learnsoc.rules.registry": ("list_rulebooks", "load_rulebook"),
        "learnsoc.rules.entries": (
            "AbolishedProcedureWarning",
            "MissingInputWarning",
            "RulebookWarning",
        ),
        "learnsoc.rules.rulebook": ("Rulebook",),
    },
    "aggregation": {
        "learnsoc.aggregate": ("Groups", "Partial", "Rate", "RateStatus"),
        "learnsoc.aggregate.rollup": (
            "Count",
            "Rollup",
            "Sum",
            "rollup",
            "rollup_counts",
            "rollup_partial",
        ),
        "learnsoc.aggregate.stream": ("rollup_batches",),
        # Reads Parquet (pyarrow), so it lives in io and loads on first use.
        "learnsoc.io": ("rollup_parquet",),
    },
    "targets": {
        "learnsoc.targets": (
            "Indicator",
            "Progress",
            "Status",
            "Target",
            "TargetError",
            "TargetSet",
            "list_targets",
            "load_targets",
            "standard_measures",
            "standard_titles",
        ),
        "learnsoc.targets.progress": ("progress",),
    },
    "reports": {
        "learnsoc.report": ("Report",),
        # The defining modules: ``learnsoc.report.results`` and ``learnsoc.targets.progress``
        # are also submodules, which type checkers would take for the function.
        "learnsoc.report.results": ("Results", "results"),
    },
    "io": {
        "learnsoc.io": (
            "FileFormatError",
            "FileRejects",
            "MappingError",
            "from_dataframe",
            "read_inputs",
            "read_mapping",
            "read_population",
            "write_population",
            "write_rejects",
            "write_table",
            "write_verdicts",
        ),
    },
    "datasets": {
        "learnsoc.io": ("DatasetWriter", "read_dataset", "write_dataset"),
        "learnsoc.scale": ("DatasetEvaluation", "evaluate_dataset"),
    },
    "errors": {
        "learnsoc.errors": (
            "CrosswalkError",
            "DataError",
            "HierarchyError",
            "LearnsocError",
            "LearnsocWarning",
            "OptionalDependencyError",
            "RulebookError",
            "SchemaError",
            "UnknownIdError",
        ),
    },
    "locale": {
        "learnsoc.i18n": ("get_locale", "set_locale", "use_locale"),
    },
}

# Entities, hierarchies, populations and rollups load with the package (numpy, attrs and
# babel only); files, rules, targets and reports load on first use (``ls.evaluate`` ...),
# so ``import learnsoc`` stays quick for a notebook or a script that only rolls counts up.
_EAGER = frozenset(
    {
        "learnsoc.model",
        "learnsoc.aggregate",
        "learnsoc.aggregate.rollup",
        "learnsoc.aggregate.stream",
        "learnsoc.errors",
        "learnsoc.i18n",
        "learnsoc.rejects",
        "learnsoc.synth",
    }
)

_WHERE: dict[str, str] = {
    name: module
    for modules in _PUBLIC.values()
    for module, names in modules.items()
    for name in names
}
# Old names that still import (their call warns and names the new one); not in __all__.
_DEPRECATED: dict[str, str] = {"load_mapping": "learnsoc.io"}
_LAZY: dict[str, str] = {
    **{name: m for name, m in _WHERE.items() if m not in _EAGER},
    **_DEPRECATED,
}

if TYPE_CHECKING:
    # The same names for type checkers and editors, which cannot follow the table above.
    from learnsoc.aggregate import Groups as Groups
    from learnsoc.aggregate import Partial as Partial
    from learnsoc.aggregate import Rate as Rate
    from learnsoc.aggregate import RateStatus as RateStatus
    from learnsoc.aggregate.rollup import Count as Count
    from learnsoc.aggregate.rollup import Rollup as Rollup
    from learnsoc.aggregate.rollup import Sum as Sum
    from learnsoc.aggregate.rollup import rollup as rollup
    from learnsoc.aggregate.rollup import rollup_counts as rollup_counts
    from learnsoc.aggregate.rollup import rollup_partial as rollup_partial
    from learnsoc.aggregate.stream import rollup_batches as rollup_batches
    from learnsoc.errors import CrosswalkError as CrosswalkError
    from learnsoc.errors import DataError as DataError
    from learnsoc.errors import HierarchyError as HierarchyError
    from learnsoc.errors import LearnsocError as LearnsocError
    from learnsoc.errors import LearnsocWarning as LearnsocWarning
    from learnsoc.errors import OptionalDependencyError as OptionalDependencyError
    from learnsoc.errors import RulebookError as RulebookError
    from learnsoc.errors import SchemaError as SchemaError
    from learnsoc.errors import UnknownIdError as UnknownIdError
    from learnsoc.i18n import get_locale as get_locale
    from learnsoc.i18n import set_locale as set_locale
    from learnsoc.i18n import use_locale as use_locale
    from learnsoc.io import DatasetWriter as DatasetWriter
    from learnsoc.io import FileFormatError as FileFormatError
    from learnsoc.io import FileRejects as FileRejects
    from learnsoc.io import MappingError as MappingError
    from learnsoc.io import from_dataframe as from_dataframe
    from learnsoc.io import load_mapping as load_mapping
    from learnsoc.io import read_dataset as read_dataset
    from learnsoc.io import read_inputs as read_inputs
    from learnsoc.io import read_mapping as read_mapping
    from learnsoc.io import read_population as read_population
    from learnsoc.io import rollup_parquet as rollup_parquet
    from learnsoc.io import vietnam_crosswalk as vietnam_crosswalk
    from learnsoc.io import vietnam_units as vietnam_units
    from learnsoc.io import write_dataset as write_dataset
    from learnsoc.io import write_population as write_population
    from learnsoc.io import write_rejects as write_rejects
    from learnsoc.io import write_table as write_table
    from learnsoc.io import write_verdicts as write_verdicts
    from learnsoc.model import PRESETS as PRESETS
    from learnsoc.model import STANDARD_SCHEMA as STANDARD_SCHEMA
    from learnsoc.model import AdminUnit as AdminUnit
    from learnsoc.model import Clan as Clan
    from learnsoc.model import ColumnSpec as ColumnSpec
    from learnsoc.model import Crosswalk as Crosswalk
    from learnsoc.model import Education as Education
    from learnsoc.model import Employment as Employment
    from learnsoc.model import Hierarchy as Hierarchy
    from learnsoc.model import HierarchyDateWarning as HierarchyDateWarning
    from learnsoc.model import HierarchySpec as HierarchySpec
    from learnsoc.model import Household as Household
    from learnsoc.model import Level as Level
    from learnsoc.model import Membership as Membership
    from learnsoc.model import Organisation as Organisation
    from learnsoc.model import OrganisationType as OrganisationType
    from learnsoc.model import Person as Person
    from learnsoc.model import Population as Population
    from learnsoc.model import PopulationSummary as PopulationSummary
    from learnsoc.model import Qualification as Qualification
    from learnsoc.model import Schema as Schema
    from learnsoc.model import Sex as Sex
    from learnsoc.rejects import Rejects as Rejects
    from learnsoc.report import Report as Report
    from learnsoc.report.results import Results as Results
    from learnsoc.report.results import results as results
    from learnsoc.rules.engine import evaluate as evaluate
    from learnsoc.rules.entries import AbolishedProcedureWarning as AbolishedProcedureWarning
    from learnsoc.rules.entries import MissingInputWarning as MissingInputWarning
    from learnsoc.rules.entries import RulebookWarning as RulebookWarning
    from learnsoc.rules.evaluation import Evaluation as Evaluation
    from learnsoc.rules.registry import list_rulebooks as list_rulebooks
    from learnsoc.rules.registry import load_rulebook as load_rulebook
    from learnsoc.rules.rulebook import Rulebook as Rulebook
    from learnsoc.scale import DatasetEvaluation as DatasetEvaluation
    from learnsoc.scale import evaluate_dataset as evaluate_dataset
    from learnsoc.synth import synthetic_hierarchy as synthetic_hierarchy
    from learnsoc.synth import synthetic_inputs as synthetic_inputs
    from learnsoc.synth import synthetic_population as synthetic_population
    from learnsoc.targets import Indicator as Indicator
    from learnsoc.targets import Progress as Progress
    from learnsoc.targets import Status as Status
    from learnsoc.targets import Target as Target
    from learnsoc.targets import TargetError as TargetError
    from learnsoc.targets import TargetSet as TargetSet
    from learnsoc.targets import list_targets as list_targets
    from learnsoc.targets import load_targets as load_targets
    from learnsoc.targets import standard_measures as standard_measures
    from learnsoc.targets import standard_titles as standard_titles
    from learnsoc.targets.progress import progress as progress
else:
    for _module in sorted({m for m in _WHERE.values() if m in _EAGER}):
        _loaded = importlib.import_module(_module)
        globals().update({n: getattr(_loaded, n) for n, m in _WHERE.items() if m == _module})
    del _module, _loaded


#: The subpackages and modules reached as attributes (``ls.io.read_units``), imported on
#: first use as the functions are: ``import learnsoc`` stays light.
_SUBMODULES = frozenset(
    {
        "aggregate",
        "errors",
        "i18n",
        "io",
        "limits",
        "model",
        "rejects",
        "report",
        "rules",
        "scale",
        "synth",
        "targets",
        "vocabulary",
    }
)


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"learnsoc.{name}")  # which sets the attribute
    module = _LAZY.get(name)
    if module is None:
        msg = f"module 'learnsoc' has no attribute {name!r}" + _elsewhere(name)
        raise AttributeError(msg)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY, *_SUBMODULES} - set(_DEPRECATED))


__all__ = ["__version__", *_WHERE]


def _elsewhere(name: str) -> str:
    """Return where a name a user guessed lives ("; it is learnsoc.io.read_units"), or "".

    Only public names are looked up: tools probe modules for dunder and private names, and
    those must stay cheap misses.
    """
    if name.startswith("_"):
        return ""
    io = importlib.import_module("learnsoc.io")
    if name in io.__all__:
        return f"; it is learnsoc.io.{name}"
    import difflib

    close = difflib.get_close_matches(name, [n for n in __all__ if not n[0].isupper()], n=1)
    return f"; did you mean {close[0]!r}?" if close else ""
