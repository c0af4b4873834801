"""Two keys of a mapping file that match the same header or cell, with two meanings.

TOML holds ``"Hoạt động học tập"`` typed on Windows (composed) and the same name saved
on a Mac (decomposed, NFD) as two keys; learnsoc matches both to one header, and the
last one silently won: an ``[inputs]`` table mapping one onto the rulebook's input and
the other onto ``household_id`` read every cell of the column as a household. So did
``"Tốt" = 1`` and ``"tốt" = 0`` in a value map (cells match without case). Both are now
a ``MappingError`` naming the line of each; the same name twice with one meaning is
read as before.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from learnsoc.errors import MappingError
from learnsoc.io.mapping import FileMapping, read_mapping

ACTIVITIES = "Hoạt động học tập"
MAC = unicodedata.normalize("NFD", ACTIVITIES)


def _mapping(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "m.toml"
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize("table", ["inputs", "person"])
def test_a_name_written_composed_and_decomposed_with_two_targets_is_refused(
    tmp_path: Path, table: str
) -> None:
    assert MAC != ACTIVITIES and len(MAC) > len(ACTIVITIES)  # two TOML keys
    target = "village_learning_activities" if table == "inputs" else "literate"
    text = f'[{table}.columns]\n"Mã" = "household_id"\n"{ACTIVITIES}" = "{target}"\n'
    text += f'"{MAC}" = "age"\n'
    with pytest.raises(MappingError) as caught:
        read_mapping(_mapping(tmp_path, text))
    error = caught.value
    assert error.line == 4
    message = unicodedata.normalize("NFC", str(error))
    assert f"is the column name '{ACTIVITIES}' of line 3" in message
    assert f"which maps onto '{target}', not 'age': keep one" in message


def test_the_same_name_twice_with_one_target_is_read(tmp_path: Path) -> None:
    text = f'[inputs.columns]\n"{ACTIVITIES}" = "x"\n"{MAC}" = "x"\n" {ACTIVITIES}  " = "x"\n'
    mapping = read_mapping(_mapping(tmp_path, text))
    assert mapping.table("inputs").columns == {ACTIVITIES: "x"}


def test_two_words_of_a_value_map_read_alike_with_two_values_are_refused(
    tmp_path: Path,
) -> None:
    text = '[inputs.values.village_learning_activities]\n"Tốt" = 1\n"Chưa tốt" = 0\n"TỐT" = 0\n'
    with pytest.raises(MappingError) as caught:
        read_mapping(_mapping(tmp_path, text))
    assert caught.value.line == 4
    assert "'TỐT' is the word 'Tốt' of line 2" in str(caught.value)
    assert "which is read as '1', not '0'" in str(caught.value)
    # Given as a dict, no lines: the words alone.
    with pytest.raises(MappingError, match="'tốt' is the word 'Tốt' \\(case"):
        FileMapping.from_dict({"values": {"bool": {"Tốt": True, "tốt": False}}})
    # The same value twice is no contradiction.
    same = FileMapping.from_dict({"values": {"bool": {"Tốt": True, "TỐT": 1}}})
    assert same.value_map("person", "literate", "bool") == {"tốt": "1"}


def test_vietnamese_says_it(tmp_path: Path) -> None:
    text = f'[inputs.columns]\n"{ACTIVITIES}" = "a"\n"{MAC}" = "b"\n'
    with pytest.raises(MappingError) as caught:
        read_mapping(_mapping(tmp_path, text))
    vi = caught.value.localized("vi")
    assert "dòng 2" in vi and "giữ lại một" in vi
