"""`import learnsoc` must need nothing but attrs, numpy and babel."""

import importlib
import json
import subprocess
import sys
from pathlib import Path

ALLOWED_THIRD_PARTY = {"attrs", "attr", "numpy", "babel", "learnsoc"}

PROBE = """
import json, sys
before = set(sys.modules)
import learnsoc
after = set(sys.modules) - before
print(json.dumps(sorted({m.split('.')[0] for m in after})))
"""


def test_import_loads_only_core_dependencies() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout
    top_level = set(json.loads(out))
    stdlib = set(sys.stdlib_module_names)
    third_party = {m for m in top_level if m not in stdlib and not m.startswith("_")}
    assert third_party <= ALLOWED_THIRD_PARTY, third_party - ALLOWED_THIRD_PARTY
    for heavy in (
        "pandas",
        "polars",
        "pyarrow",
        "openpyxl",
        "duckdb",
        "matplotlib",
        "dask",
        "distributed",
        "tqdm",
    ):
        assert heavy not in top_level


def test_public_names_are_importable() -> None:
    """Every name in ``__all__`` imports, in a fresh interpreter, and ``dir()`` lists it."""
    probe = (
        "import json, learnsoc; "
        "missing = [n for n in learnsoc.__all__ if not hasattr(learnsoc, n)]; "
        "print(json.dumps([missing, sorted(set(learnsoc.__all__) - set(dir(learnsoc)))]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == [[], []]


def test_one_grouped_list_gives_all_and_the_lazy_table() -> None:
    """``__all__``, the lazy table and the type checkers' imports come from ``_PUBLIC``."""
    import ast
    from pathlib import Path

    import learnsoc

    grouped = [
        n for modules in learnsoc._PUBLIC.values() for names in modules.values() for n in names
    ]
    assert len(grouped) == len(set(grouped)), "a name is listed twice"
    assert ["__version__", *grouped] == learnsoc.__all__
    assert set(learnsoc._LAZY) <= set(grouped) | set(learnsoc._DEPRECATED)
    assert set(learnsoc._PUBLIC) == {
        "entities",
        "hierarchy",
        "population",
        "rules",
        "aggregation",
        "targets",
        "reports",
        "io",
        "datasets",
        "errors",
        "locale",
    }
    # The TYPE_CHECKING block must import each name from the module the table names.
    tree = ast.parse(Path(learnsoc.__file__).read_text(encoding="utf-8"))
    block = next(
        n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING"
    )
    static = {
        alias.name: node.module
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert static == {**learnsoc._WHERE, **learnsoc._DEPRECATED}
    for name, module in learnsoc._WHERE.items():
        assert getattr(learnsoc, name) is getattr(importlib.import_module(module), name), name


def test_import_loads_no_file_reader_nor_frame_library() -> None:
    """``import learnsoc`` stays light: what it loads, not how long it takes, is checked.

    An eager import of rules, io, a frame library or babel (each seconds on a cold
    machine) shows here as a module loaded; the count of learnsoc's own modules catches
    a subpackage imported whole.
    """
    probe = (
        "import json, sys; import learnsoc; "
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('learnsoc', 'pandas', 'polars', 'pyarrow', 'openpyxl', 'babel', 'dask', 'duckdb'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    loaded = json.loads(out)
    others = [m for m in loaded if not m.startswith("learnsoc")]
    assert others == [], others
    # 45 when this was written; importing learnsoc.io eagerly as well makes 85.
    assert len(loaded) < 70, loaded


def test_files_rules_targets_and_reports_load_on_first_use() -> None:
    probe = (
        "import json, sys; import learnsoc as ls; "
        "lazy = ['learnsoc.io', 'learnsoc.rules', 'learnsoc.targets', 'learnsoc.report']; "
        "before = [m in sys.modules for m in lazy]; ls.evaluate; ls.read_population; "
        "print(json.dumps([before, [m in sys.modules for m in lazy]]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    before, after = json.loads(out)
    assert before == [False, False, False, False]
    assert after[:2] == [True, True]


def test_unknown_attribute_and_dir() -> None:
    import pytest

    import learnsoc

    assert {"evaluate", "Report", "load_targets", "rollup"} <= set(dir(learnsoc))
    with pytest.raises(AttributeError, match="has no attribute 'evalute'; did you mean 'evaluate'"):
        learnsoc.evalute  # noqa: B018


def test_a_name_guessed_at_the_top_says_where_it_lives() -> None:
    """``ls.read_units`` is ``ls.io.read_units``: say so, not only "no attribute"."""
    import pytest

    import learnsoc
    import learnsoc.io

    for name in ("read_units", "read_counts", "rollup_counts_file"):
        with pytest.raises(AttributeError, match=f"; it is learnsoc.io.{name}$"):
            getattr(learnsoc, name)
        assert callable(getattr(learnsoc.io, name))
    for probe in ("_repr_html_", "__wrapped__", "zzz"):
        with pytest.raises(AttributeError, match=f"has no attribute {probe!r}$"):
            getattr(learnsoc, probe)


def test_frame_methods_import_their_library_only_when_called() -> None:
    # Reprs, summaries and the frame helpers must not pull in a frame library: only
    # to_pandas() / to_polars() / to_arrow() do, each its own.
    probe = (
        "import json, sys, warnings; import learnsoc as ls; import learnsoc._frames; "
        "import learnsoc.io.export; "
        "pop = ls.synthetic_population(persons=300, seed=1); "
        "parts = [repr(pop), pop._repr_html_(), repr(pop.summary()), pop.summary()._repr_html_(), "
        "pop.rejects._repr_html_(), repr(ls.load_targets('hanoi-23-nq-tu')._repr_html_())]; "
        "warnings.simplefilter('ignore'); "
        "ev = ls.evaluate(pop, ls.load_rulebook('example'), '2025-12-31'); "
        "parts += [repr(ev), ev._repr_html_(), repr(ev.summary()), ev.summary()._repr_html_()]; "
        "heavy = ['pandas', 'polars', 'pyarrow', 'narwhals']; "
        "before = [m for m in heavy if m in sys.modules]; pop.to_polars('persons'); "
        "print(json.dumps([before, [m for m in heavy if m in sys.modules]]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    before, after = json.loads(out)
    assert before == []
    assert "polars" in after
    assert "pandas" not in after


def test_no_private_name_is_imported_from_another_module() -> None:
    """A helper two modules share is public where it lives (``as_measure``), not ``_x``.

    Private modules (``learnsoc._bars``, ``learnsoc._arrays``) hold public names for the
    whole package; a ``_name`` stays inside its module.
    """
    import ast
    from pathlib import Path

    import learnsoc

    allowed: set[str] = set()
    root = Path(learnsoc.__file__).parent
    found = set()
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.ImportFrom) and node.module):
                continue
            if not node.module.startswith("learnsoc."):
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.add(f"{path.relative_to(root)} {node.module}.{alias.name}")
    assert found <= allowed, found - allowed


def test_old_names_still_import_and_warn_naming_the_new_one(tmp_path: Path) -> None:
    """``ls.load_mapping`` (a path reader) is now ``ls.read_mapping``; the old name warns."""
    import pytest

    import learnsoc as ls

    path = tmp_path / "mapping.toml"
    path.write_text('[household]\ncolumns = { "Mã hộ" = "household_id" }\n', "utf-8")
    assert "load_mapping" not in ls.__all__
    assert "load_mapping" not in dir(ls)
    with pytest.warns(DeprecationWarning, match=r"use learnsoc\.read_mapping"):
        old = ls.load_mapping(path)
    assert old == ls.read_mapping(path)


def test_the_api_reference_lists_every_public_name_in_its_group() -> None:
    """docs/api.md names each ``learnsoc.X`` of ``__all__``, under its group's section."""
    import re

    import learnsoc

    text = (Path(__file__).parent.parent / "docs" / "api.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^## ([^\n]+)\n(.*?)(?=^## |\Z)", text, re.M | re.S))
    titles = list(sections)
    # One section per group, in the order of learnsoc._PUBLIC.
    heads = ["Entities", "Hierarchy", "Population", "Rules", "Aggregation", "Targets",
             "Reports", "Files", "Partitioned", "Errors", "Words"]  # fmt: skip
    assert [t.split()[0].rstrip(":") for t in titles] == heads
    for head, (group, modules) in zip(titles, learnsoc._PUBLIC.items(), strict=True):
        for names in modules.values():
            for name in names:
                assert re.search(rf"learnsoc\.{name}\b", sections[head]), (group, name)


SUBMODULE_PROBE = """
import sys
import learnsoc as ls
assert "learnsoc.io" not in sys.modules and "learnsoc.scale" not in sys.modules
print(ls.io.read_units.__module__, ls.scale.evaluate_dataset.__name__, "io" in dir(ls))
"""


def test_subpackages_are_attributes_in_a_fresh_interpreter() -> None:
    """``ls.io.read_units`` works right after ``import learnsoc as ls``, as the docs write it.

    Before, ``ls.io`` was an attribute only once something had imported ``learnsoc.io``
    (as the doctests do): a fresh notebook got "module 'learnsoc' has no attribute 'io'".
    """
    out = subprocess.run(
        [sys.executable, "-c", SUBMODULE_PROBE], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["learnsoc.io.population", "evaluate_dataset", "True"]


def test_every_name_one_module_imports_from_another_is_in_its_all() -> None:
    """A module's ``__all__`` lists what the rest of the package imports from it.

    ``__all__`` is the module's public face (the docs, the docstring checks and
    ``from m import *`` read it): a name another module imports is public, so it is listed,
    or the module has no ``__all__``. The command line's modules are importers as any.
    """
    import ast
    import inspect

    import learnsoc

    root = Path(learnsoc.__file__).parent
    unlisted = set()
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.ImportFrom) and node.module):
                continue
            if node.module != "learnsoc" and not node.module.startswith("learnsoc."):
                continue
            module = importlib.import_module(node.module)
            listed = getattr(module, "__all__", None)
            if listed is None:
                continue
            for alias in node.names:
                # ``from learnsoc.io import dataset`` imports a module, not a name.
                if alias.name in listed or inspect.ismodule(getattr(module, alias.name, None)):
                    continue
                unlisted.add(f"{path.relative_to(root)}: {node.module}.{alias.name}")
    assert sorted(unlisted) == []


def test_helpers_modules_share_are_not_the_public_api_of_a_public_module() -> None:
    """Helpers only learnsoc's modules use live in private modules, public inside them.

    ``learnsoc.rejects.first_rows`` and ``learnsoc.rules.evaluation.repr_tail`` were in
    those modules' ``__all__`` only because another module imported them: the docs and
    ``from learnsoc.rejects import *`` offered them to users as API.
    """
    import learnsoc._apostrophes
    import learnsoc._date_cells
    import learnsoc._reprs
    import learnsoc._row_arrays
    import learnsoc.io.rejects
    import learnsoc.rejects
    import learnsoc.rules._display
    import learnsoc.rules.evaluation
    import learnsoc.rules.summary

    moved = {
        learnsoc._row_arrays: ("first_rows", "unique_rows", "is_count"),
        learnsoc._apostrophes: ("apostrophe_hint", "add_apostrophe_hint"),
        learnsoc._date_cells: ("number_of",),
        learnsoc._reprs: ("repr_tail",),
        learnsoc.rules._display: ("as_of_text",),
    }
    public = (
        learnsoc.rejects,
        learnsoc.io.rejects,
        learnsoc.rules.evaluation,
        learnsoc.rules.summary,
    )
    for helpers, names in moved.items():
        for name in names:
            assert name in helpers.__all__, (helpers.__name__, name)
            assert not any(name in module.__all__ for module in public), name
