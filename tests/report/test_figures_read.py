"""Figures read as a journalist would: each says what it is of, and never more than it is.

Found by running ``learnsoc demo``, ``learnsoc targets`` and ``learnsoc report`` on the
bundled data and reading every printed figure.
"""

from __future__ import annotations

import learnsoc as ls
from learnsoc.report.results import results
from learnsoc.targets import load_targets, progress, standard_measures


def _roll() -> ls.Rollup:
    pop = ls.synthetic_population(persons=2_000, seed=5)
    return ls.rollup(pop, standard_measures(pop))


def _line(text: str, label: str) -> str:
    (line,) = [s for s in text.splitlines() if label in s and not s.startswith("-")]
    return line


def test_an_indicator_not_in_the_data_has_no_units_reporting_in_progress() -> None:
    """ "no data" beside "20 of 20 villages" read as every village having reported it."""
    targets = load_targets("hanoi-23-nq-tu").select(
        indicators=["public_schools_standard", "literacy_15_60"]
    )
    prog = progress(_roll(), targets, year=2025, levels=["province"])
    cols = prog.to_columns("en")
    by_indicator = dict(zip(cols["indicator"], cols["units_reporting"], strict=True))
    assert by_indicator["public_schools_standard"] == -1
    assert by_indicator["literacy_15_60"] > 0
    line = _line(prog.to_text("en"), "share of public schools meeting national standards")
    assert "villages" not in line
    assert line.endswith("—  no data")
    vi = _line(prog.to_text("vi"), "Tỷ lệ trường công lập đạt chuẩn quốc gia")
    assert "thôn" not in vi


def test_an_indicator_not_in_the_data_has_no_units_reporting_in_results() -> None:
    """The same in a results table (no targets)."""
    res = results(_roll(), ["public_schools_standard", "literacy_15_60"], ["province"])
    cols = res.to_columns()
    reporting = dict(zip(cols["indicator"], cols["units_reporting"], strict=True))
    assert reporting["public_schools_standard"] == -1
    assert reporting["literacy_15_60"] > 0
    line = _line(res.to_text("en"), "share of public schools meeting national standards")
    assert "villages" not in line
