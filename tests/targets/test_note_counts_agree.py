"""Every count a progress report prints agrees with its noun, in English and Vietnamese.

A note listing one measure said "needs the measures universal_preschool_districts" and
"2023: the measures districts are counted ..."; one unit, "units 01 are not in the data".
The newly literate were counted without a noun: "24 / 29 newly literate", in Vietnamese
"24 / 29 mới biết chữ" (no classifier: *người* mới biết chữ).
"""

from __future__ import annotations

import pytest

import learnsoc as ls
from learnsoc.targets import load_targets, progress
from learnsoc.targets.progress import (
    NOTE_NOT_MEASURED,
    NOTE_NOT_MOVED,
    NOTE_UNKNOWN_UNITS,
    Note,
)

HANOI = load_targets("hanoi-23-nq-tu")


def _province(counts: dict[str, int]) -> ls.Rollup:
    tree = ls.Hierarchy.from_units(
        {"code": ["02"], "level": ["province"], "parent_code": [None]}, levels=["province"]
    )
    return ls.rollup_counts({"unit_code": ["02"], **{k: [v] for k, v in counts.items()}}, tree)


@pytest.mark.parametrize(
    ("note", "one", "two"),
    [
        (
            Note(NOTE_NOT_MOVED, year=2023, items=("districts",)),
            "2023: the measure districts is counted at units above the crosswalk's level "
            "and could not be re-expressed in the later tree",
            "2023: the measures districts, learning_districts are counted at units above the "
            "crosswalk's level and could not be re-expressed in the later tree",
        ),
        (
            Note(NOTE_UNKNOWN_UNITS, target="x", items=("01",)),
            "x: unit 01 is not in the data",
            "x: units 01, 02 are not in the data",
        ),
    ],
)
def test_a_note_of_one_item_says_it_in_the_singular(note: Note, one: str, two: str) -> None:
    assert note.text(HANOI, "en") == one
    second = "learning_districts" if note.message == NOTE_NOT_MOVED else "02"
    more = Note(note.message, target=note.target, year=note.year,
                items=(*note.items, second))  # fmt: skip
    assert more.text(HANOI, "en") == two


def test_an_indicator_missing_one_measure_names_it_in_the_singular() -> None:
    """Universal preschool counts one measure (the districts keeping it) over districts."""
    tree = ls.Hierarchy.from_units(
        {"code": ["02", "001"], "level": ["province", "district"], "parent_code": [None, "02"]},
        levels=["province", "district"],
    )
    roll = ls.rollup_counts({"unit_code": ["001"], "districts": [1]}, tree)
    chosen = HANOI.select(ids=["preschool-districts-2025"])
    prog = progress(roll, chosen, year=2025)
    (note,) = [n for n in prog.notes if n.message == NOTE_NOT_MEASURED]
    assert note.items == ("universal_preschool_districts",)
    assert note.text(prog.targets, "en").endswith(
        "not in the data (needs the measure universal_preschool_districts)"
    )
    assert note.text(prog.targets, "vi").endswith("chưa có số liệu (cần số đạt)")
    # The results table of the same rollup says it as progress does.
    (said,) = ls.results(roll, ["universal_preschool_districts"]).notes("en")
    assert said.endswith("not in the data (needs the measure universal_preschool_districts)")


@pytest.mark.parametrize(
    ("still", "newly", "en", "vi"),
    [
        (24, 29, "24 / 29 newly literate persons", "24 / 29 người mới biết chữ"),
        (1, 1, "1 / 1 newly literate person", "1 / 1 người mới biết chữ"),
    ],
)
def test_the_newly_literate_are_counted_as_persons(
    still: int, newly: int, en: str, vi: str
) -> None:
    roll = _province({"newly_literate": newly, "newly_literate_still_learning": still})
    chosen = HANOI.select(indicators=["newly_literate_still_learning"])
    prog = progress(roll, chosen, year=2025)
    # By hand: the share is of all the newly literate, none without data.
    assert prog.columns["value"][0] == pytest.approx(100 * still / newly)
    assert en in prog.to_text("en")
    assert "all newly literate persons" in prog.to_text("en")
    assert vi in prog.to_text("vi")
    assert "tổng số người mới biết chữ" in prog.to_text("vi")
    res = ls.results(roll, ["newly_literate_still_learning"])
    assert res.to_columns("vi")["denominator_label"].tolist() == ["tổng số người mới biết chữ"]
