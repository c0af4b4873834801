"""Mapping files: renames, value maps, and one broken file per error."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from learnsoc.io.files import FileFormatError
from learnsoc.io.mapping import FileMapping, MappingError, read_mapping
from learnsoc.model.schema import STANDARD_SCHEMA, ColumnSpec

GOOD = """
[mapping]
name = "Xã A"
delimiter = ";"
decimal = ","
levels = ["tinh", "xa", "thon"]
unknown_columns = "ignore"

[values.bool]
"Có" = 1
"Không" = false

[person]
columns = { "Mã NK" = "person_id", "Mã hộ" = "household_id", "Tuổi" = "age", "Giới tính" = "sex" }
ignore = ["Họ và tên"]

[person.values.sex]
"Nam" = "male"
"Nữ" = 2

[unit]
columns = { "Mã" = "code", "Cấp" = "level", "Mã cấp trên" = "parent_code" }
[unit.values.level]
"Tỉnh" = "tinh"
"""


def test_a_complete_mapping_file(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(GOOD, "utf-8")
    m = read_mapping(path)
    assert (m.name, m.delimiter, m.decimal, m.levels, m.unknown_columns) == (
        "Xã A",
        ";",
        ",",
        ("tinh", "xa", "thon"),
        "ignore",
    )
    person = m.table("person")
    assert person.schema_name(" Tuổi ") == "age"
    assert person.schema_name(unicodedata.normalize("NFD", "Mã hộ")) == "household_id"
    assert person.schema_name("literate") == "literate"
    assert "Họ và tên" in person.ignore
    assert m.value_map("person", "sex", "code") == {"nam": "male", "nữ": "2"}
    assert m.value_map("household", "registered", "bool") == {"có": "1", "không": "0"}
    assert m.value_map("unit", "level", "text") == {"tỉnh": "tinh"}
    assert m.table("clan").columns == {}


def _bad(tmp_path: Path, text: str) -> MappingError:
    path = tmp_path / "bad.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(MappingError) as err:
        read_mapping(path)
    return err.value


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("[persons]\n", 1, "unknown key 'persons'; did you mean 'person'?"),
        ('[person]\ncolums = {"a" = "age"}\n', 2, "unknown key 'colums'; did you mean 'columns'?"),
        (
            '[household]\ncolumns = { "Mã thôn" = "unit_kode" }\n',
            2,
            "'unit_kode' is not a household column; did you mean 'unit_code'?",
        ),
        ('[person.values.sex]\n"Nam" = "mael"\n', 2, "'mael' is not a valid value of 'sex'"),
        ('[person.values.literate]\n"Có" = 2\n', 2, "'2' is not a valid value of 'literate'"),
        ('[person.values.sx]\n"Nam" = 1\n', 1, "'sx' is not a person column; did you mean 'sex'?"),
        ('[values.sexx]\n"Nam" = 1\n', 1, "no column named 'sexx'; did you mean 'sex'?"),
        ("[mapping]\ndelimiter = ':'\n", 2, "delimiter ':' is not one of"),
        ("[mapping]\ndecimal = ';'\n", 2, "decimal must be '.' or ','"),
        ("[mapping]\nunknown_columns = 'warn'\n", 2, "unknown_columns must be 'error' or 'ignore'"),
        ("[mapping]\nlevels = 3\n", 2, "levels must be a preset name or a list"),
        ('[person]\nignore = "x"\n', 2, "ignore must be a list of column names"),
        ("[person]\ncolumns = 3\n", 2, "must be a table, got int"),
        ('[person]\ncolumns = { "a" = "age", "b" = "age" }\n', 2, "several file columns map"),
        ('[person.values.sex]\n"Nam" = [1]\n', 2, "must be text, a number or true/false"),
    ],
)
def test_each_broken_mapping_names_its_line_and_key(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    err = _bad(tmp_path, text)
    assert words in str(err)
    assert err.line == line
    assert str(err).startswith(f"{tmp_path / 'bad.toml'}:{line}")


@pytest.mark.parametrize(
    ("entries", "line", "words"),
    [
        (['"a" = 1', '"b" = 7', '"c" = [1]', '"d" = 9'], 3, "'7' is not a valid value of"),
        (['"a" = 1', '"b" = [1]', '"c" = 7'], 3, "value for 'b' must be text, a number"),
        (['"a" = 1', '"b" = "maybe"', '"c" = 7'], 3, "'maybe' is not a valid value of"),
    ],
)
def test_the_first_bad_value_of_a_value_map_is_named(
    tmp_path: Path, entries: list[str], line: int, words: str
) -> None:
    """A map's values are checked together, and the first bad one in the file is named."""
    err = _bad(tmp_path, "[values.bool]\n" + "\n".join(entries) + "\n")
    assert words in str(err)
    assert err.line == line


def test_a_value_map_of_thousands_is_checked_a_column_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each value was checked alone against each yes/no column: 10,000 values (130 KB)
    made 170,000 checks and took 30 s. Now one check per column, and the same answer."""
    from learnsoc.model.schema import convert_column as convert

    calls: list[int] = []

    def counted(values: object, *args: object, **kwargs: object) -> object:
        calls.append(len(values))  # type: ignore[arg-type]
        return convert(values, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("learnsoc.io.mapping.convert_column", counted)
    n = 2_000
    entries = [f'"có {i}" = {i % 2}' for i in range(n)]
    path = tmp_path / "m.toml"
    path.write_text("[values.bool]\n" + "\n".join(entries) + "\n", "utf-8")
    m = read_mapping(path)
    assert m.values["bool"]["có 1999"] == "1" and len(m.values["bool"]) == n
    bools = [c for t in STANDARD_SCHEMA.tables.values() for c in t.columns if c.kind == "bool"]
    assert calls == [n] * len(bools)


def test_thousands_of_column_names_are_counted_once(tmp_path: Path) -> None:
    """Names mapped onto one column were counted per name (the square of the names)."""
    entries = [f'"c{i}" = "age"' for i in range(3_000)]
    err = _bad(tmp_path, "[person.columns]\n" + "\n".join(entries) + "\n")
    assert "several file columns map onto 'age'" in str(err)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    err = _bad(tmp_path, "[person\ncolumns = 1\n")
    assert "invalid TOML" in str(err)
    assert err.line == 1
    assert err.file is not None and err.file.endswith("bad.toml")


def test_mapping_file_must_be_utf8_and_small(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_bytes('[person]\ncolumns = { "Tên" = "age" }\n'.encode("cp1258"))
    with pytest.raises(FileFormatError, match="not UTF-8"):
        read_mapping(path)
    path.write_bytes(b"#" * (1 << 21))
    with pytest.raises(FileFormatError, match="mapping files are limited to 1,048,576 bytes"):
        read_mapping(path)


def test_extended_schema_columns_can_be_mapped() -> None:
    schema = STANDARD_SCHEMA.extend(
        household=[ColumnSpec("children_results_good", "bool", "children's results good")]
    )
    m = FileMapping.from_dict(
        {"household": {"columns": {"Kết quả học tập": "children_results_good"}}}, schema=schema
    )
    assert m.table("household").schema_name("Kết quả học tập") == "children_results_good"
    with pytest.raises(MappingError, match="not a household column"):
        FileMapping.from_dict({"household": {"columns": {"x": "children_results_good"}}})


def test_column_value_map_wins_over_kind_map() -> None:
    m = FileMapping.from_dict(
        {
            "values": {"bool": {"x": 1}, "literate": {"x": 0}},
            "person": {"values": {"in_school": {"x": "no"}}},
        }
    )
    assert m.value_map("person", "in_school", "bool") == {"x": "no"}
    assert m.value_map("person", "literate", "bool") == {"x": "0"}
    assert m.value_map("person", "trained", "bool") == {"x": "1"}


def test_header_case_and_tone_position_match_the_mapping(tmp_path: Path) -> None:
    """'MÃ HỘ', 'Giới Tính' and 'Xoá' (old tone rule) are the mapping's 'Mã hộ' ... columns."""
    import learnsoc as ls

    (tmp_path / "units.csv").write_text(
        "code;level;parent_code\n01;province;\n001;village;01\n", encoding="utf-8"
    )
    (tmp_path / "hh.csv").write_text("Mã Hộ;Mã Thôn\nH1;001\n", encoding="utf-8")
    (tmp_path / "p.csv").write_text(
        "Mã NK;MÃ HỘ;Tuổi;Giới Tính;Đã xoá mù chữ;HỌ VÀ TÊN\nP1;H1;30;Nam;Có;An\n",
        encoding="utf-8",
    )
    (tmp_path / "map.toml").write_text(
        '[mapping]\ndelimiter = ";"\nlevels = ["province", "village"]\n'
        '[values.bool]\n"Có" = 1\n'
        '[person]\nignore = ["Họ và tên"]\n[person.columns]\n'
        '"Mã NK" = "person_id"\n"Mã hộ" = "household_id"\n"Tuổi" = "age"\n'
        '"Giới tính" = "sex"\n"Đã xóa mù chữ" = "literate"\n[person.values.sex]\n"Nam" = "male"\n'
        '[household.columns]\n"Mã hộ" = "household_id"\n"Mã thôn" = "unit_code"\n',
        encoding="utf-8",
    )
    pop = ls.read_population(
        tmp_path / "p.csv",
        households=tmp_path / "hh.csv",
        units=tmp_path / "units.csv",
        mapping=tmp_path / "map.toml",
    )
    assert (pop.n_persons, pop.n_households) == (1, 1)
    assert pop.person_columns["literate"].tolist() == [True]


def test_words_match_the_mapping_wherever_their_tone_marks_sit(tmp_path: Path) -> None:
    """A mapping written by the old tone rule ('Đã xoá mù chữ', 'Hoà nhập') reads cells typed
    by the new one ('Đã xóa mù chữ', 'HÒA NHẬP'), in persons and counts files alike, as it
    reads their headers; they were unknown_code rejects, whose message listed the mapping's
    word, looking the same."""
    import learnsoc as ls

    (tmp_path / "units.csv").write_text(
        "code;level;parent_code\n01;province;\n001;village;01\n", encoding="utf-8"
    )
    (tmp_path / "hh.csv").write_text("Mã hộ;Mã thôn\nH1;001\n", encoding="utf-8")
    (tmp_path / "p.csv").write_text(
        "Mã NK;Mã hộ;Tuổi;Xoá mù chữ\n"
        "P1;H1;30;Đã xóa mù chữ\n"  # the new rule: the tone on the o
        "P2;H1;40;ĐÃ XOÁ MÙ CHỮ\n"  # the mapping's own rule, in capitals
        "P3;H1;50;Chưa\n"
        "P4;H1;60;Đã xoa mù chữ\n",  # no tone at all: another word, refused
        encoding="utf-8",
    )
    (tmp_path / "map.toml").write_text(
        '[mapping]\ndelimiter = ";"\nlevels = ["province", "village"]\n'
        '[person.columns]\n"Mã NK" = "person_id"\n"Mã hộ" = "household_id"\n'
        '"Tuổi" = "age"\n"Xoá mù chữ" = "newly_literate"\n'
        '[person.values.newly_literate]\n"Đã xoá mù chữ" = 1\n"Chưa" = 0\n'
        '[household.columns]\n"Mã hộ" = "household_id"\n"Mã thôn" = "unit_code"\n'
        '[counts.columns]\n"Mã thôn" = "unit_code"\n"Hộ hoà nhập" = "families"\n'
        '[counts.values.families]\n"Không hoà nhập" = 0\n',
        encoding="utf-8",
    )
    pop = ls.read_population(
        tmp_path / "p.csv",
        households=tmp_path / "hh.csv",
        units=tmp_path / "units.csv",
        mapping=tmp_path / "map.toml",
    )
    assert pop.rejects.counts()["person"] == (4, 3, 1)
    assert pop.person_ids.tolist() == ["P1", "P2", "P3"]
    assert pop.person_columns["newly_literate"].tolist() == [1, 1, 0]
    [refused] = pop.rejects.records(locale="en")
    assert (refused.value, refused.reason) == ("Đã xoa mù chữ", "unknown_code")
    assert "p.csv, line 5, column Xoá mù chữ" in refused.message

    (tmp_path / "c.csv").write_text("Mã thôn;Hộ hòa nhập\n001;KHÔNG HÒA NHẬP\n", encoding="utf-8")
    counts, _ = ls.io.read_counts(tmp_path / "c.csv", mapping=tmp_path / "map.toml")
    assert counts["families"].tolist() == ["0"]


def test_two_mapping_names_folding_alike_are_not_guessed() -> None:
    """'Mã hộ' and 'MÃ HỘ' both in the mapping: 'Mã Hộ' matches neither, so stays unknown."""
    m = FileMapping.from_dict(
        {"person": {"columns": {"Mã hộ": "household_id", "MÃ HỘ": "person_id"}}}
    ).table("person")
    assert m.schema_name("MÃ HỘ") == "person_id"
    assert m.schema_name("Mã hộ") == "household_id"
    assert m.schema_name("Mã Hộ") == "Mã Hộ"
