"""The floors of DESIGN.md hold: no upward import and no import circle but the allowed ones.

``scripts/import_graph.py`` reads every module of learnsoc (AST, nothing is imported) and
sorts its imports into top-level, lazy (inside a function), TYPE_CHECKING-only and
re-exports (a module ``__getattr__`` keeping an old import path). Run it to see the graph.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "import_graph.py"


@pytest.fixture(scope="module")
def graph() -> ModuleType:
    spec = importlib.util.spec_from_file_location("import_graph", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_graph"] = module  # dataclasses look the module up by name
    spec.loader.exec_module(module)
    return module


#: Run-time imports from a lower floor into a higher one, each with its reason. Anything
#: else is a new upward import: move the code down, or add it here with a reason.
ALLOWED_UPWARD: dict[tuple[str, str], str] = {
    # The one deliberate convenience (docs: architecture page): Progress.to_text/to_html/
    # to_csv/plot and the tidy base's to_csv/to_xlsx/to_pandas hand over to report/.
    ("learnsoc.targets.progress", "learnsoc.report.report"): "Progress.to_text, to_html",
    ("learnsoc.targets.progress", "learnsoc.report.tables"): "Progress.to_csv, to_json",
    ("learnsoc.targets.progress", "learnsoc.report.plot"): "Progress.plot",
    (
        "learnsoc.targets.targets",
        "learnsoc.report._build",
    ): "TargetSet.to_html (goals as reports write them)",
    ("learnsoc._tidy", "learnsoc.report.tables"): "TidyTable.to_csv, to_xlsx, to_pandas",
    # The old import path of rollup_parquet (moved to io: it reads files), through the
    # module's __getattr__: aggregate/ itself does not use it.
    ("learnsoc.aggregate.stream", "learnsoc.io.parquet"): "re-export of rollup_parquet",
}

#: The modules of the one allowed circle: Progress hands over to report/, which reads
#: Progress (the convenience above).
ALLOWED_CIRCLE = {"learnsoc._tidy", "learnsoc.targets.progress", "learnsoc.targets.targets"}


def test_no_upward_import_but_the_allowed(graph: ModuleType) -> None:
    found = {(e.source, e.target): e for e in graph.upward(graph.edges())}
    new = {
        f"{s} (floor {graph.floor(s)}) -> {t} (floor {graph.floor(t)}), line {e.line}"
        for (s, t), e in found.items()
        if (s, t) not in ALLOWED_UPWARD
    }
    assert not new, "upward imports (see DESIGN.md's floors): " + "; ".join(sorted(new))
    gone = set(ALLOWED_UPWARD) - set(found)
    assert not gone, f"no longer needed, remove from ALLOWED_UPWARD: {sorted(gone)}"


def test_no_import_circle_but_the_allowed(graph: ModuleType) -> None:
    for group in graph.circles(graph.edges()):
        others = {m for m in group if not m.startswith("learnsoc.report.")} - ALLOWED_CIRCLE
        assert not others, f"import circle: {' <-> '.join(group)}"


def test_every_module_has_a_floor(graph: ModuleType) -> None:
    for module in graph.all_modules():
        assert graph.unit(module) in graph.FLOORS, module


def test_imports_are_sorted_by_where_they_run(graph: ModuleType) -> None:
    edges = {(e.source, e.target, e.kind) for e in graph.edges()}
    # At module level; inside a function; under TYPE_CHECKING; a module __getattr__.
    assert ("learnsoc.model.population", "learnsoc.model.summary", "top") in edges
    assert ("learnsoc.rules.evaluation", "learnsoc.rules.explain", "lazy") in edges
    assert ("learnsoc.model.tables", "learnsoc.model.population", "typing") in edges
    assert ("learnsoc.rules.rulebook", "learnsoc.rules.registry", "reexport") in edges


def test_rules_has_no_circle_even_through_type_checking_imports(graph: ModuleType) -> None:
    """rules/ is cut so that its modules import down a list (the architecture page).

    Not even an import made for type checking only goes back up: explanations read the
    evaluation through a protocol, the verdicts table lives beside the ``Evaluation``.
    """
    kinds = ("top", "lazy", "typing")
    rules = [g for g in graph.circles(graph.edges(), kinds) if any("rules." in m for m in g)]
    assert rules == []
