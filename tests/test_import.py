"""`import learnsoc` must need nothing but attrs, numpy and babel."""

import json
import subprocess
import sys

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
    for heavy in ("pandas", "polars", "pyarrow", "duckdb", "matplotlib", "dask", "tqdm"):
        assert heavy not in top_level


def test_public_names_are_importable() -> None:
    # (ruff's RUF022 keeps __all__ sorted)
    import learnsoc

    for name in learnsoc.__all__:
        assert hasattr(learnsoc, name), name


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
    with pytest.raises(AttributeError, match="has no attribute 'evalute'"):
        learnsoc.evalute  # noqa: B018


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
