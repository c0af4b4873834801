"""A rollup in a notebook: one short line, and an HTML table in the reader's language."""

from __future__ import annotations

import learnsoc as ls


def _roll() -> ls.Rollup:
    pop = ls.synthetic_population(persons=3_000, seed=4)
    return ls.rollup(pop, ls.standard_measures(pop))


def test_repr_of_the_standard_measures_is_one_short_line() -> None:
    roll = _roll()
    text = repr(roll)
    assert len(text) < 250, text
    assert text.startswith("Rollup(1 province, 1 commune, ")
    assert f"{len(roll.counts)} measures: persons, adults," in text
    assert "more)" in text and "0 rates)" in text


def test_repr_lists_every_name_of_a_small_rollup() -> None:
    pop = ls.synthetic_population(persons=300, seed=4)
    roll = ls.rollup(
        pop,
        {"persons": "person", "households": "household"},
        rates={"size": ("persons", "households")},
    )
    assert repr(roll).endswith(
        "; 4 measures: persons, households, units_reporting, units_expected; 1 rate: size)"
    )


def test_html_speaks_vietnamese_under_vi() -> None:
    pop = ls.synthetic_population(persons=30_000, seed=4)
    roll = ls.rollup(
        pop,
        {"persons": "person", "adults": ("person", pop.column("person", "age") >= 15)},
        rates={"adult_share": ("adults", "persons")},
    )
    with ls.use_locale("vi"):
        page = roll._repr_html_(max_rows=2)
    assert "<th>cấp</th><th>mã đơn vị hành chính</th><th>tên</th>" in page
    assert "<td>cấp tỉnh</td>" in page
    assert "more rows" not in page and "dòng" in page
    persons = int(roll.level("total").counts["persons"][0])
    assert f"/{persons:,}".replace(",", ".") + ")" in page  # counts in the locale's digits
    with ls.use_locale("en"):
        english = roll._repr_html_(max_rows=2)
    assert "<th>level</th>" in english and "more rows" in english
