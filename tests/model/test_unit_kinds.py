"""The words that name a kind of unit: one list for a unit's name and a form's headings.

Before, the prefixes stripped from a unit written by name lacked ``cụm`` and ``đội`` that
block headings knew, and headings lacked ``khối phố``: ``Đội 3`` headed a block but, in a
unit column, named no unit ``3``.
"""

from __future__ import annotations

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.i18n import gettext
from learnsoc.io.headers import HEADING_WORDS, block_heading
from learnsoc.model.hierarchy import PRESETS
from learnsoc.model.unit_kinds import (
    EXTRA_KIND_WORDS,
    KIND_WORDS,
    LEVEL_WORDS,
    OTHER_LEVEL_NAMES,
)
from learnsoc.model.unit_names import short_key, units_by_name


def test_level_words_are_the_catalogs() -> None:
    # "cấp thôn, tổ dân phố": the words after "cấp", each part of the name.
    for level in PRESETS["vn-pre-2025"].levels:
        name = gettext(level.label, "vi")
        words = tuple(part.strip().removeprefix("cấp ") for part in name.split(","))
        assert words == LEVEL_WORDS[level.name]


def test_one_list_for_names_and_headings() -> None:
    levels = ("province", "district", "commune", "village")
    expected = {w for lv in levels for w in LEVEL_WORDS[lv] + OTHER_LEVEL_NAMES[lv]}
    assert set(KIND_WORDS) == expected | set(EXTRA_KIND_WORDS)
    assert HEADING_WORDS == KIND_WORDS
    assert len(set(KIND_WORDS)) == len(KIND_WORDS)
    assert [len(w) for w in KIND_WORDS] == sorted((len(w) for w in KIND_WORDS), reverse=True)
    assert "hộ" not in KIND_WORDS  # an entity, not a unit: "Hộ 3" is no unit's name


@pytest.mark.parametrize(
    ("text", "short"),
    [("đội 3", "3"), ("cụm 2", "2"), ("khối phố 5", "5"), ("tổ dân phố 3", "3"), ("hộ 3", "hộ 3")],
)
def test_kind_stripped(text: str, short: str) -> None:
    assert short_key(text) == short


def test_khoi_pho_heads_a_block() -> None:
    assert block_heading(["", "Khối phố 5", "", ""]) == "Khối phố 5"
    assert block_heading(["", "Đội 2", "", ""]) == "Đội 2"


def tree(villages: list[str]) -> ls.Hierarchy:
    n = len(villages)
    return ls.Hierarchy.from_units(
        {
            "code": ["01", "001", *[f"001{i:03d}" for i in range(1, n + 1)]],
            "name": ["Tỉnh A", "Xã B", *villages],
            "level": ["province", "commune", *["village"] * n],
            "parent_code": [None, "01", *["001"] * n],
        }
    )


def test_doi_in_data_names_the_unit_3() -> None:
    # The units file writes the production team's number alone, the data its kind too.
    found, shared = units_by_name(np.array(["Đội 3", "ĐỘI 4", "Cụm 3", "Thôn 3"]), tree(["3"]), [2])
    # Units 0 and 1 are the province and the commune: the village "3" is unit 2.
    assert found.tolist() == [2, -1, 2, 2]
    assert shared == {}


def test_doi_in_the_units_file_matches_data_without_it() -> None:
    hierarchy = tree(["Đội 3", "Cụm dân cư 2", "Đội 4"])
    found, _ = units_by_name(np.array(["Đội 3", "đội 4", "Thôn 3", "Đội 9"]), hierarchy, [2])
    assert found.tolist() == [2, 4, 2, -1]


def test_doi_of_two_units_is_no_guess() -> None:
    # "Đội 3" and "3" both stand for "3" once the kind is stripped: two units, no guess.
    found, shared = units_by_name(np.array(["Đội 3"]), tree(["Đội 3", "Cụm 3"]), [2])
    assert found.tolist() == [2]  # the whole name first
    found, shared = units_by_name(np.array(["Thôn 3"]), tree(["Đội 3", "Cụm 3"]), [2])
    assert found.tolist() == [-1]
    assert shared == {0: [2, 3]}


def test_households_named_by_doi() -> None:
    hierarchy = tree(["3", "4"])
    persons = {"person_id": [1, 2, 3], "household_id": [1, 2, 3], "age": [40, 30, 20]}
    households = {"household_id": [1, 2, 3], "unit_code": ["Đội 3", "Cụm 4", "Đội 5"]}
    with pytest.warns(ls.LearnsocWarning):
        pop = ls.Population.from_columns(persons, households, hierarchy)
    units = pop.columns("household")["unit_code"].tolist()
    assert units == ["001001", "001002"]
    assert [(r.table, r.value) for r in pop.rejects.records()][:1] == [("household", "Đội 5")]
