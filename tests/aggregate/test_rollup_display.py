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
    # Counts in the locale's digits, and what they count (labels14).
    assert f"/ {persons:,}".replace(",", ".") + " người dân)" in page
    with ls.use_locale("en"):
        english = roll._repr_html_(max_rows=2)
    assert "<th>level</th>" in english and "more rows" in english


def _heads(page: str) -> list[str]:
    """The header cells' texts of a rollup's HTML table."""
    import html
    import re

    row = page.split("</tr>")[0]
    return [html.unescape(text) for text in re.findall(r"<th[^>]*>([^<]*)</th>", row)]


def test_vietnamese_heads_name_the_measures_in_words() -> None:
    """Under vi, every standard measure is headed in Vietnamese words, its id in the tooltip.

    The table headed them ``families``, ``persons_15_60``: English ids in a
    Vietnamese table.
    """
    roll = _roll()
    with ls.use_locale("vi"):
        page = roll._repr_html_(max_rows=2)
    heads = _heads(page)
    assert len(heads) == 3 + len(roll.counts)
    measures = heads[3:]
    assert not set(measures) & set(roll.counts)  # no id left as a heading
    assert all(h[:1].isupper() for h in measures), measures
    assert '<th title="families">Số gia đình</th>' in page
    assert '<th title="persons_15_60">Số người 15-60 tuổi</th>' in page
    assert (
        '<th title="literate_15_60_missing">Số người 15-60 tuổi biết chữ: số trường hợp thiếu '
        "số liệu</th>"
    ) in page
    assert len(set(measures)) == len(measures)  # two measures never read the same


def test_english_heads_keep_the_ids_and_unknown_measures_keep_their_names() -> None:
    """English heads are the ids a user types; a measure of the user's own keeps its name."""
    pop = ls.synthetic_population(persons=300, seed=4)
    roll = ls.rollup(pop, {"persons": "person", "my_count": "household"})
    with ls.use_locale("en"):
        assert _heads(roll._repr_html_())[3:5] == ["persons", "my_count"]
    with ls.use_locale("vi"):
        assert _heads(roll._repr_html_())[3:5] == ["Số người", "my_count"]


def _commune_counts_with_bad_rows() -> ls.Rollup:
    """Three communes typed in a notebook: a blank and a "1.234" (no number in Python)."""
    tree = ls.Hierarchy.from_units(
        {"code": ["01", "00001", "00002", "00003"], "level": ["province"] + ["commune"] * 3,
         "parent_code": ["", "01", "01", "01"]},
        levels=["province", "commune"],
    )  # fmt: skip
    table = {
        "unit_code": ["00001", "00002", "00003"],
        "households": [120.0, float("nan"), 80.0],
        "learning_families": ["90", "50", "1.234"],
    }
    return ls.rollup_counts(table, tree)


def test_rows_rejected_are_said_in_the_repr_and_the_html() -> None:
    """A rollup of counts whose rows were rejected said nothing of them in a notebook.

    Rows 1 and 2 are rejected (by hand: a blank count, a text that is no whole number),
    so the province counts only commune 00001's 120 households.
    """
    roll = _commune_counts_with_bad_rows()
    assert roll.rejects is not None and roll.rejects.n_rejected("counts") == 2
    assert int(roll.unit("01")["households"]) == 120
    assert repr(roll).endswith("; 0 rates; 2 rejected rows)")
    assert "<p>2 rejected rows, not in these counts: see .rejects</p>" in roll.to_html("en")
    assert "<p>2 dòng bị loại, không được tính trong các số đếm này: xem .rejects</p>" in (
        roll.to_html("vi")
    )
    with ls.use_locale("vi"):
        assert repr(roll).endswith("; 0 tỷ lệ; 2 dòng bị loại)")


def test_a_rollup_without_rejected_rows_says_nothing_of_them() -> None:
    roll = _roll()
    assert "rejected" not in repr(roll) and "rejected" not in roll.to_html("en")
