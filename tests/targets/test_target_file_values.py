"""One wrong value in a valid target file: the error names the line, key path and fix.

Each case edits one spot of a bundled target set (read as a user's file); the expected line
is computed from the edit (``offset`` lines from the edited text; -3 is the ``[[targets]]``
header of a key that is missing).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.errors import RulebookError

SOURCE = (Path(ls.__file__).parent / "data" / "targets" / "vn-387-qd-ttg.toml").read_text("utf-8")
FIRST = 'year = 2025\nkind = "value"\nvalue = 70'
T0 = "targets[0] (learning-families-2025)"
INDICATOR = 'indicator = "learning_families"\nyear = 2025'
CLAUSE = (
    'clause = { vi = "Điều 1, mục II.2 (mục tiêu cụ thể)", '
    'en = "Article 1, section II.2 (specific objectives)" }'
)
OWN = '[indicators.x]\nnumerator = "a"\ndenominator = "b"\nlabel = { vi = "x", en = "x" }\n'

CASES = [
    (FIRST, 'kind = "value"\nvalue = 70', -3, f"{T0}.year", "'year' is required"),
    (FIRST, FIRST.replace("2025", "1800"), 0, f"{T0}.year", "year 1800 is not plausible"),
    (FIRST, FIRST.replace("2025", '"2025"'), 0, f"{T0}.year",
     "'year' must be an integer, got str '2025'"),
    (FIRST, 'year = 2025\nkind = "value"', -3, f"{T0}.value", "a value target needs 'value'"),
    (FIRST, FIRST.replace("70", '"70%"'), 2, f"{T0}.value",
     "'value' must be a number, got str '70%'"),
    (FIRST, FIRST + '\nuncertain = "no"', 3, f"{T0}.uncertain", "uncertain must be true or false"),
    (FIRST, FIRST + '\nunits = "01"', 3, f"{T0}.units",
     "units must be a list of unit codes (strings)"),
    (FIRST, FIRST + "\nbaseline = 50", 3, f"{T0}.baseline",
     "'baseline' does not apply to a value target"),
    (INDICATOR, INDICATOR.replace("families", "famlies"), 0, f"{T0}.indicator",
     "unknown indicator 'learning_famlies'; did you mean 'learning_families'?"),
    (INDICATOR, "year = 2025", -2, f"{T0}.indicator", "a value target needs an 'indicator'"),
    (INDICATOR, INDICATOR + '\ncolour = "red"', 2, "targets[0].colour",
     "unknown key 'colour'; expected one of 'baseline', 'baseline_year', 'clause'"),
    ('id = "learning-clans-2025"', 'id = "learning-families-2025"', 0, "targets[1].id",
     "target id 'learning-families-2025' is used twice (targets[0] and targets[1])"),
    (CLAUSE, "clause = 5", 0, f"{T0}.clause",
     "'clause' must be a text or a table { vi = \"...\", en = \"...\" }, got int 5"),
    (CLAUSE, 'clause = { vi = " ", en = "Article 1" }', 0, f"{T0}.clause",
     "clause needs a non-empty 'vi' text"),
    (CLAUSE, "clause = {}", 0, f"{T0}.clause", "clause needs a vi or an en text"),
    (CLAUSE, 'clause = { vi = "Điều 1", fr = "Article 1" }', 0, f"{T0}.clause.fr",
     "unknown key 'fr'; expected one of 'en', 'vi'"),
    (CLAUSE, 'clause = { en = 1 }', 0, f"{T0}.clause", "clause.en must be text, not a number"),
    ("[target_set]", OWN + 'denominator_label = 5\n[target_set]', 4,
     "indicators.x.denominator_label",
     "'denominator_label' must be a text or a table of nouns by locale"),
    ("[target_set]", OWN + 'denominator_label = { en = "pupils" }\n[target_set]', 4,
     "indicators.x.denominator_label",
     "'denominator_label' needs a noun for every locale; missing vi"),
    ("[target_set]",
     OWN + 'denominator_label = { vi = "học sinh", en = { one = "pupil" } }\n[target_set]', 4,
     "indicators.x.denominator_label.en",
     "'denominator_label.en' must be a noun, or its singular and plural: "
     "{ one = \"pupil\", other = \"pupils\" }; got {'one': 'pupil'}"),
    ("[target_set]",
     OWN + 'denominator_label = { vi = "học sinh", en = { one = "pupil", many = "pupils" } }\n'
     "[target_set]", 4, "indicators.x.denominator_label.en.many", "unknown key 'many'"),
    ('title = { vi = "Quyết định 387/QĐ-TTg", en = "Decision 387/QĐ-TTg" }', 'title = "x"', 0,
     "target_set.title", "'title' must be a table of texts by locale"),
    ("[target_set]", '[indicators.x]\nnumerator = "a"\n[target_set]', 0,
     "indicators.x.denominator", "'denominator' is required"),
    ("[target_set]", '[indicators.2x]\nnumerator = "a"\ndenominator = "b"\n[target_set]', 0,
     "indicators.2x", "indicator id '2x' must be an identifier"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "offset", "key_path", "message"), CASES)
def test_one_wrong_value_is_named_with_its_line_and_key_path(
    tmp_path: Path, old: str, new: str, offset: int, key_path: str, message: str
) -> None:
    """The error points at the edited line (or the target's header for a missing key)."""
    path = tmp_path / "mine.toml"
    path.write_text(SOURCE.replace(old, new, 1), "utf-8")
    line = SOURCE[: SOURCE.index(old)].count("\n") + 1 + offset
    with pytest.raises(RulebookError) as info:
        ls.load_targets(path)
    err = info.value
    assert (err.line, err.key_path) == (line, key_path)
    assert message in str(err)
    assert str(err).startswith(f"{path}:{line}")


@pytest.mark.parametrize(
    ("top", "message"),
    [
        ("indicators = 5", "[indicators] must be a table of tables"),
        ("indicators = { x = 5 }", "an indicator must be a table"),
    ],
)
def test_a_wrong_top_level_table_is_named(tmp_path: Path, top: str, message: str) -> None:
    """Tables of the wrong shape are refused before their contents are read."""
    path = tmp_path / "mine.toml"
    path.write_text(SOURCE.replace("[target_set]", f"{top}\n[target_set]", 1), "utf-8")
    with pytest.raises(RulebookError, match=message.replace("[", r"\[").replace("]", r"\]")):
        ls.load_targets(path)


def test_the_unedited_file_loads() -> None:
    path = Path(ls.__file__).parent / "data" / "targets" / "vn-387-qd-ttg.toml"
    assert ls.load_targets(path).id == "vn-387-qd-ttg"
