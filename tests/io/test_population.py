"""read_population on a suite of broken files: a clear error or a correct rejects table, each.

Every case runs with both CSV engines. Lines are file lines (the header is line 1).
"""

from __future__ import annotations

import codecs
from pathlib import Path

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.errors import DataError, HierarchyError, SchemaError
from learnsoc.io import FileFormatError, MappingError, read_population
from learnsoc.io.csv import Engine
from learnsoc.model.schema import ColumnSpec
from tests.io.helpers import (
    HOUSEHOLDS,
    PERSONS,
    UNITS,
    blank_sentinels,
    csv_text,
    files,
    problems,
    read,
    write,
)
from tests.optional import needs

ENGINES: list[Engine] = ["python", "pyarrow"]


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> Engine:
    value: Engine = request.param
    return value


def check_counts(pop: ls.Population) -> None:
    """accepted + rejected == read, and accepted is what the population holds."""
    held = {
        "unit": len(pop.hierarchy),
        "household": pop.n_households,
        "person": pop.n_persons,
        "clan": pop.n_clans,
    }
    for table, (n_read, accepted, rejected) in pop.rejects.counts().items():
        assert accepted + rejected == n_read
        if table in held:
            assert accepted == held[table], table


def test_good_files(tmp_path: Path, engine: Engine) -> None:
    pop = read(files(tmp_path), engine=engine)
    assert (pop.n_persons, pop.n_households, len(pop.hierarchy)) == (4, 3, 6)
    assert problems(pop) == []
    assert pop.rejects.counts() == {"unit": (6, 6, 0), "household": (3, 3, 0), "person": (4, 4, 0)}
    assert pop.person_by_id(2).literate is False
    assert pop.household_by_id("H3").registered is False


def test_empty_persons_file(tmp_path: Path, engine: Engine) -> None:
    with pytest.raises(FileFormatError, match=r"persons\.csv:1: the file is empty"):
        read(files(tmp_path, persons=""), engine=engine)


def test_header_only_files(tmp_path: Path, engine: Engine) -> None:
    pop = read(files(tmp_path, persons="person_id,household_id,age\n"), engine=engine)
    assert pop.n_persons == 0
    assert pop.rejects.counts()["person"] == (0, 0, 0)
    with pytest.raises(HierarchyError, match="level 'province' has no units"):
        read(files(tmp_path, units="code,level,parent_code\n"), engine=engine)


def test_truncated_last_line(tmp_path: Path, engine: Engine) -> None:
    pop = read(files(tmp_path, persons=PERSONS + "5,H3"), engine=engine)
    # Cut before the age, which learnsoc needs: a reject naming it (see test_short_rows).
    assert problems(pop) == [("persons.csv", 6, "age", "2", "short_line")]
    msg = pop.rejects.records("en")[0].message
    assert "persons.csv, line 6, column age: the line has 2 fields where the header has 5" in msg
    check_counts(pop)
    assert pop.rejects.counts()["person"] == (5, 4, 1)


def test_non_utf8_file(tmp_path: Path, engine: Engine) -> None:
    paths = files(tmp_path)
    paths["households"].write_bytes(HOUSEHOLDS.encode() + "H4,Tên,1\n".encode("cp1258"))
    with pytest.raises(FileFormatError) as err:
        read(paths, engine=engine)
    assert err.value.line == 5
    assert "households.csv:5: the file is not UTF-8" in str(err.value)


def test_mixed_encodings_and_explicit_encoding(tmp_path: Path, engine: Engine) -> None:
    text = (
        "code,name,level,parent_code\n01,Tên,province,\n00001,x,commune,01\n"
        "00001001,y,village,00001\n"
    )
    paths = files(
        tmp_path,
        units=text,
        households="household_id,unit_code\nH1,00001001\nH2,00001001\nH3,00001001\n",
    )
    paths["units"].write_bytes(text.encode("cp1258"))
    with pytest.raises(FileFormatError, match=r"units\.csv:2"):
        read(paths, engine=engine)
    pop = read(paths, engine=engine, encoding="cp1258")
    assert pop.hierarchy.unit("01").name == "Tên"


def test_excel_bom_and_semicolons(tmp_path: Path, engine: Engine) -> None:
    paths = files(tmp_path)
    paths["persons"].write_bytes(codecs.BOM_UTF8 + PERSONS.replace(",", ";").encode())
    pop = read(paths, engine=engine)
    assert pop.n_persons == 4 and problems(pop) == []


def test_decimal_commas_on_request(tmp_path: Path, engine: Engine) -> None:
    persons = "person_id;household_id;age;score\n1;H1;40,0;7,5\n2;H1;9;10\n"
    schema = ls.STANDARD_SCHEMA.extend(
        person=[ColumnSpec("score", "float", "score", "float64", 0, 10)]
    )
    paths = files(tmp_path, persons=persons)
    pop = read(paths, engine=engine, decimal=",", schema=schema)
    assert pop.column("person", "score").tolist() == [7.5, 10.0]
    assert pop.column("person", "age").tolist() == [40, 9]
    without = read(paths, engine=engine, schema=schema)
    assert ("persons.csv", 2, "age", "40,0", "not_a_number") in problems(without)


def test_ten_thousand_columns(tmp_path: Path, engine: Engine) -> None:
    extra = [f"x{i}" for i in range(10_000)]
    header = "person_id,household_id,age," + ",".join(extra)
    row = "1,H1,40," + ",".join("0" for _ in extra)
    paths = files(tmp_path, persons=f"{header}\n{row}\n")
    with pytest.raises(SchemaError, match=r"person column 'x0': unknown column in .*persons\.csv"):
        read(paths, engine=engine)
    pop = read(paths, engine=engine, unknown_columns="ignore")
    assert pop.n_persons == 1
    wide = ",".join(["1"] * 10_000)
    pop = read(files(tmp_path, persons=PERSONS + wide + "\n"), engine=engine)
    assert problems(pop) == [("persons.csv", 6, "", "10000", "malformed_line")]


def test_unknown_column(tmp_path: Path, engine: Engine) -> None:
    paths = files(tmp_path, persons=PERSONS.replace("literate", "literat"))
    with pytest.raises(SchemaError) as err:
        read(paths, engine=engine)
    assert "'literat': unknown column" in str(err.value)
    assert "did you mean 'literate'?" in str(err.value)


def test_missing_required_column(tmp_path: Path, engine: Engine) -> None:
    paths = files(tmp_path, households="household_id,registered\nH1,1\n")
    with pytest.raises(
        SchemaError, match=r"'unit_code': required column is missing from .*households\.csv"
    ):
        read(paths, engine=engine)


def test_wrong_types_and_out_of_range_values(tmp_path: Path, engine: Engine) -> None:
    persons = PERSONS + "5,H1,abc,1,1\n6,H1,300,1,1\n7,H1,40,3,1\n8,H1,40,1,maybe\n9,H1, 12 ,1,1\n"
    pop = read(files(tmp_path, persons=persons), engine=engine)
    assert problems(pop) == [
        ("persons.csv", 6, "age", "abc", "not_a_number"),
        ("persons.csv", 7, "age", "300", "out_of_range"),
        ("persons.csv", 8, "sex", "3", "unknown_code"),
        ("persons.csv", 9, "literate", "maybe", "unknown_code"),
    ]
    assert pop.person_by_id(9).age == 12
    check_counts(pop)


def test_duplicate_ids(tmp_path: Path, engine: Engine) -> None:
    pop = read(files(tmp_path, persons=PERSONS + "2,H2,30,1,1\n"), engine=engine)
    assert problems(pop) == [
        ("persons.csv", 3, "person_id", "2", "duplicate_id"),
        ("persons.csv", 6, "person_id", "2", "duplicate_id"),
    ]
    check_counts(pop)


def test_persons_whose_household_is_missing(tmp_path: Path, engine: Engine) -> None:
    pop = read(files(tmp_path, persons=PERSONS + "5,H9,30,1,1\n6,,30,1,1\n"), engine=engine)
    assert problems(pop) == [
        ("persons.csv", 6, "household_id", "H9", "unknown_household"),
        ("persons.csv", 7, "household_id", "", "missing_value"),
    ]


def test_households_whose_village_is_missing(tmp_path: Path, engine: Engine) -> None:
    households = HOUSEHOLDS + "H4,00009009,1\nH5,00001,1\n"
    persons = PERSONS + "5,H4,30,1,1\n"
    pop = read(files(tmp_path, persons=persons, households=households), engine=engine)
    assert problems(pop) == [
        ("households.csv", 5, "unit_code", "00009009", "unknown_unit"),
        ("households.csv", 6, "unit_code", "00001", "wrong_level"),
        ("persons.csv", 6, "household_id", "H4", "rejected_household"),
    ]
    check_counts(pop)


def test_units_whose_parent_is_missing(tmp_path: Path, engine: Engine) -> None:
    units = UNITS + "00007,Xã mồ côi,commune,09\n00007001,Thôn,village,00007\n"
    households = HOUSEHOLDS + "H4,00007001,1\n"
    persons = PERSONS + "5,H4,30,1,1\n"
    pop = read(files(tmp_path, persons=persons, households=households, units=units), engine=engine)
    assert problems(pop) == [
        ("units.csv", 8, "parent_code", "09", "unknown_unit"),
        ("units.csv", 9, "parent_code", "00007", "rejected_unit"),
        ("households.csv", 5, "unit_code", "00007001", "rejected_unit"),
        ("persons.csv", 6, "household_id", "H4", "rejected_household"),
    ]
    assert pop.rejects.counts()["unit"] == (8, 6, 2)
    check_counts(pop)


def test_strict_stops_with_the_first_problem(tmp_path: Path, engine: Engine) -> None:
    with pytest.raises(DataError, match=r"first: .*persons\.csv, line 6, column age") as err:
        read(files(tmp_path, persons=PERSONS + "5,H1,300,1,1\n"), engine=engine, strict=True)
    assert err.value.rejects.n_rejected("person") == 1


def test_mapping_file_and_agency_codes(tmp_path: Path, engine: Engine) -> None:
    mapping = write(
        tmp_path,
        "mapping.toml",
        """
[mapping]
delimiter = ";"
[values.bool]
"Có" = 1
"Không" = 0
[person]
ignore = ["Họ và tên"]
[person.columns]
"Mã NK" = "person_id"
"Mã hộ" = "household_id"
"Tuổi" = "age"
"Giới tính" = "sex"
"Biết chữ" = "literate"
[person.values.sex]
"Nam" = "male"
"Nữ" = "female"
[unit]
columns = { "Mã" = "code", "Tên" = "name", "Cấp" = "level", "Mã cấp trên" = "parent_code" }
[unit.values.level]
"Tỉnh" = "province"
"Xã" = "commune"
"Thôn" = "village"
""",
    )
    persons = (
        "Mã NK;Họ và tên;Mã hộ;Tuổi;Giới tính;Biết chữ\n"
        "1;Nguyễn Văn A;H1;40;Nam;Có\n2;Trần Thị B;H1;9;Nữ;Không\n"
    )
    units = (
        "Mã;Tên;Cấp;Mã cấp trên\n01;Hà Nội;Tỉnh;\n00001;Ba Đình;Xã;01\n00001001;Tổ 1;Thôn;00001\n"
    )
    households = "household_id;unit_code\nH1;00001001\n"
    paths = files(tmp_path, persons=persons, households=households, units=units)
    pop = read(paths, engine=engine, mapping=mapping)
    assert pop.n_persons == 2 and problems(pop) == []
    assert pop.person_by_id(2).sex == ls.Sex.FEMALE
    assert pop.person_by_id(1).literate is True
    # The spelling: the mapping file passed as schema=.
    assert read(paths, engine=engine, schema=mapping) == pop
    bad = write(tmp_path, "bad.toml", "[persons]\n")
    with pytest.raises(MappingError):
        read(paths, engine=engine, mapping=bad)


def test_round_trip_of_a_synthetic_population(tmp_path: Path, engine: Engine) -> None:
    pop = ls.synthetic_population(persons=3_000, seed=11)
    for table, name in (("person", "p.csv"), ("household", "h.csv")):
        write(tmp_path, name, csv_text(blank_sentinels(pop.columns(table))))
    write(tmp_path, "u.csv", csv_text(pop.hierarchy.to_columns()))
    write(tmp_path, "c.csv", csv_text(blank_sentinels(pop.columns("clan"))))
    write(tmp_path, "o.csv", csv_text(blank_sentinels(pop.columns("organisation"))))
    write(tmp_path, "m.csv", csv_text(pop.columns("membership")))
    again = read_population(
        tmp_path / "p.csv",
        households=tmp_path / "h.csv",
        units=tmp_path / "u.csv",
        clans=tmp_path / "c.csv",
        organisations=tmp_path / "o.csv",
        memberships=tmp_path / "m.csv",
        engine=engine,
    )
    assert not again.rejects
    assert again == pop
    check_counts(again)


def test_unknown_file_type_and_missing_tables(tmp_path: Path) -> None:
    paths = files(tmp_path)
    with pytest.raises(FileFormatError, match=r"unknown file type '\.dat'"):
        read_population(tmp_path / "p.dat", households=paths["households"], units=paths["units"])
    with pytest.raises(SchemaError, match="a units file"):
        read_population(paths["persons"], households=paths["households"])
    units = [line.split(",") for line in UNITS.splitlines()[1:]]
    h = ls.Hierarchy.from_units([ls.AdminUnit(c, n, lv, p or None) for c, n, lv, p in units])
    pop = read_population(paths["persons"], households=paths["households"], hierarchy=h)
    assert pop.n_persons == 4


def test_reading_reasons_are_allowed_in_line_batches_only() -> None:
    from learnsoc.io.rejects import LineBatch
    from learnsoc.rejects import RejectBatch

    line = LineBatch("person", "", "malformed_line", [4], [""])
    assert isinstance(line, RejectBatch) and len(line) == 1
    with pytest.raises(ValueError, match="'reason' must be in"):
        RejectBatch("person", "", "malformed_line", [4], [""])
    with pytest.raises(ValueError, match="'reason' must be in"):
        LineBatch("person", "", "no_such_reason", [4], [""])


@pytest.mark.parametrize("engine", ["pyarrow", "python"])
def test_reading_some_columns_keeps_the_clans_given_units(tmp_path: Path, engine: Engine) -> None:
    """columns= never drops a unit code: a clan's given home is what reports count it under."""
    households = "household_id,unit_code,clan_id\nH1,00001001,A\nH2,00001002,A\nH3,00004001,B\n"
    paths = files(tmp_path, households=households)
    clans = write(tmp_path, "clans.csv", "clan_id,unit_code\nA,01\nB,\n")
    book = ls.load_rulebook("example")
    for columns in (None, book.columns_read(as_of="2025-12-31")):
        pop = read_population(
            paths["persons"],
            households=paths["households"],
            units=paths["units"],
            clans=clans,
            engine=engine,
            columns=columns,
        )
        # A: given the province (its households share commune 00001); B: found, its village.
        assert [pop.clan(i).unit_code for i in range(pop.n_clans)] == ["01", "00004001"]


def _long_cells_files(folder: Path) -> dict[str, Path]:
    """1,000 persons: one 40,000-character age (over the cell limit), one 5,000-character one."""
    lines = ["person_id,household_id,age,sex,literate"]
    for i in range(1000):
        age = {3: "9" * 40_000, 7: "x" * 5_000}.get(i, str(20 + i % 50))
        lines.append(f"{i},H{1 + i % 3},{age},1,1")
    return files(folder, persons="\n".join(lines) + "\n")


@pytest.mark.parametrize(
    "fmt", ["python", "pyarrow", pytest.param("parquet", marks=needs("pyarrow"))]
)
def test_long_cells_are_rejects_and_do_not_widen_their_column(tmp_path: Path, fmt: str) -> None:
    """Issue 14, item 5: memory follows the bytes of the bad cells, not rows x longest cell.

    Before, the age column went on as text as wide as its longest cell: 1,000 rows x
    40,000 characters x 4 bytes = 160 MB here (a 1 MB cell in 3,000 rows: 11 GiB).
    """
    import tracemalloc

    paths = _long_cells_files(tmp_path)
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq

        strings = pacsv.ConvertOptions(column_types={"age": pa.string()})
        table = pacsv.read_csv(paths["persons"], convert_options=strings)
        paths["persons"] = tmp_path / "persons.parquet"
        pq.write_table(table, paths["persons"])
    engine: Engine = "python" if fmt == "python" else "pyarrow"
    warm = tmp_path / "warm"
    warm.mkdir()
    read(files(warm), engine=engine)  # imports, caches: not what is measured
    tracemalloc.start()
    try:
        pop = read(paths, engine=engine)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 2**20, f"{peak / 2**20:.0f} MiB"
    check_counts(pop)
    assert pop.rejects.counts()["person"] == (1000, 998, 2)
    line = 2 if fmt != "parquet" else 1  # Parquet rows are numbered from 1
    got = problems(pop)
    assert [(r[1], r[2], r[4]) for r in got] == [
        (3 + line, "age", "cell_too_long"),
        (7 + line, "age", "not_a_number"),
    ]
    assert [r[3] for r in got] == ["9" * 80 + "…", "x" * 80 + "…"]
    first = pop.rejects.records("en")[0].message
    assert first.endswith("is too long (at most 32767 characters are read)")


def test_too_long_ids_and_unit_codes_are_rejects(tmp_path: Path, engine: Engine) -> None:
    """An id over MAX_ID_CHARS (64) is refused once, by name, and its row only."""
    long_id = "P" * 100
    long_unit = "0" * 70
    persons = PERSONS + f"{long_id},H1,30,1,1\n5,{long_id},30,1,1\n"
    units = UNITS + f"{long_unit},Tổ 9,village,00001\n"
    pop = read(files(tmp_path, persons=persons, units=units), engine=engine)
    check_counts(pop)
    cut = "P" * 80 + "…"
    assert problems(pop) == [
        ("units.csv", 8, "code", "0" * 70, "cell_too_long"),
        ("persons.csv", 6, "person_id", cut, "cell_too_long"),
        ("persons.csv", 7, "household_id", cut, "cell_too_long"),
    ]
    assert pop.rejects.counts()["person"] == (6, 4, 2)
    assert pop.rejects.counts()["unit"] == (7, 6, 1)


@needs("openpyxl")
def test_long_cell_in_an_excel_sheet_does_not_widen_its_column(tmp_path: Path) -> None:
    """Issue 14, item 5, Excel: the sheet's cells follow their length too."""
    import tracemalloc

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["person_id", "household_id", "age"])
    for i in range(1000):
        sheet.append([i, f"H{1 + i % 3}", "x" * 30_000 if i == 3 else 20 + i % 50])
    paths = files(tmp_path)
    paths["persons"] = tmp_path / "persons.xlsx"
    book.save(paths["persons"])
    warm = tmp_path / "warm"
    warm.mkdir()
    read(files(warm))  # imports, caches: not what is measured
    tracemalloc.start()
    try:
        pop = read(paths)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 30 * 2**20, f"{peak / 2**20:.0f} MiB"  # before: 1,000 x 30,000 x 4 = 114 MiB
    assert problems(pop) == [("persons.xlsx", 5, "age", "x" * 80 + "…", "not_a_number")]


def test_ids_are_compared_in_unicode_nfc(tmp_path: Path, engine: Engine) -> None:
    """Issue 14, item 11: "Hộ-1" precomposed (NFC) and decomposed (NFD) is one household."""
    import unicodedata

    nfc, nfd = "Hộ-1", unicodedata.normalize("NFD", "Hộ-1")
    assert nfc != nfd
    households = f"household_id,unit_code\n{nfc},00001001\nH2,00001002\n"
    p_nfd = unicodedata.normalize("NFD", "Người-1")
    persons = f"person_id,household_id,age\nA,{nfd},40\nNgười-1,H2,9\n{p_nfd},H2,7\n"
    pop = read(files(tmp_path, persons=persons, households=households), engine=engine)
    # The two spellings of one person id are one id, given twice: both rows refused.
    assert problems(pop) == [
        ("persons.csv", 3, "person_id", "Người-1", "duplicate_id"),
        ("persons.csv", 4, "person_id", "Người-1", "duplicate_id"),
    ]
    assert pop.household_ids.tolist() == [nfc, "H2"]
    assert pop.person_household.tolist() == [0]
    # Unit codes too: the units file and the households file may be typed differently.
    units = UNITS.replace("00001001,Tổ 1", "Tổ-1,Tổ 1")
    households = f"household_id,unit_code\nH1,{unicodedata.normalize('NFD', 'Tổ-1')}\n"
    pop = read(files(tmp_path, units=units, households=households), engine=engine)
    assert pop.n_households == 1 and problems(pop)[0][4] == "unknown_household"


def test_from_columns_normalizes_ids_to_nfc() -> None:
    """The same for arrays given to Population.from_columns (and from_records)."""
    import unicodedata

    from learnsoc.model.ids import nfc_text

    h = ls.synthetic_hierarchy(villages=1, seed=1)
    nfd = unicodedata.normalize("NFD", "Hộ-1")
    pop = ls.Population.from_columns(
        {"person_id": [1], "household_id": [nfd], "age": [30]},
        {"household_id": ["Hộ-1"], "unit_code": h.codes_at("village")[:1]},
        h,
    )
    assert (pop.n_persons, len(pop.rejects)) == (1, 0)
    ascii_ids = np.array(["H-1", "H-2"])
    assert nfc_text(ascii_ids) is ascii_ids  # ASCII: one check, no copy


_WORDS = (
    "person_id,household_id,age,sex,literate,learning_hours\n"
    "1,H1,40,1,1,NULL\n2,H1,9,2,-,null\n3,H2,nan,2,1,-\n4,H3,70,1,NA,N/A\n"
)


@pytest.mark.parametrize(
    "fmt",
    [
        "python",
        "pyarrow",
        pytest.param("parquet", marks=needs("pyarrow")),
        pytest.param("xlsx", marks=needs("openpyxl")),
    ],
)
def test_words_for_no_value_are_counted_not_silent(tmp_path: Path, fmt: str) -> None:
    """Issue 14, item 11: NULL, NaN, NA, - in number columns are missing values, reported.

    Blank cells are missing; a word is read as missing too but counted per column and
    word in a PlaceholderWarning. In a required column it is a missing_value reject with
    the word, except ``nan``, a number a program could not compute: not_a_number (so is a
    word not on the list, N/A). Every reader agrees.
    """
    from learnsoc.io.convert import PlaceholderWarning

    paths = files(tmp_path, persons=_WORDS)
    if fmt in ("parquet", "xlsx"):
        rows = [line.split(",") for line in _WORDS.splitlines()]
        if fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            columns = {h: [r[i] for r in rows[1:]] for i, h in enumerate(rows[0])}
            paths["persons"] = tmp_path / "persons.parquet"
            pq.write_table(pa.table(columns), paths["persons"])
        else:
            import openpyxl

            book = openpyxl.Workbook()
            for r in rows:
                book.active.append(r)
            paths["persons"] = tmp_path / "persons.xlsx"
            book.save(paths["persons"])
    engine: Engine = "python" if fmt == "python" else "pyarrow"
    with pytest.warns(PlaceholderWarning) as caught:
        pop = read(paths, engine=engine)
    got = {(w.message.column, tuple(w.message.words.items())) for w in caught}  # type: ignore[union-attr]
    assert got == {
        ("literate", (("-", 1), ("NA", 1))),
        ("learning_hours", (("-", 1), ("NULL", 1), ("null", 1))),
    }
    assert str(caught[0].message).endswith("2 cells read as missing values: '-' (1), 'NA' (1)")
    line = 1 if fmt == "parquet" else 2
    assert [(r[1] - line, r[2], r[3], r[4]) for r in problems(pop)] == [
        (2, "age", "nan", "not_a_number"),
        (3, "learning_hours", "N/A", "not_a_number"),
    ]
    check_counts(pop)


@pytest.mark.parametrize(
    ("column", "born"),
    [("birth_date", ["15/03/1975", "02/09/2016"]), ("birth_year", ["1975", "2016"])],
)
def test_a_blank_birth_date_is_rejected_on_its_own_column_as_written(
    tmp_path: Path, engine: Engine, column: str, born: list[str]
) -> None:
    """Ages computed from birth dates or years: a row whose birth cell is blank was a
    ``missing_value`` reject on ``age``, a column the file does not have, with the value
    ``'nan'`` (the age computed from nothing), in the rejects file and its ``column`` and
    ``value`` columns, though its message named the birth column. It is a reject on the
    birth column, with the empty cell."""
    persons = f"person_id,household_id,{column}\n1,H1,{born[0]}\n2,H1,\n3,H2,{born[1]}\n4,H3,\n"
    pop = read(files(tmp_path, persons=persons), engine=engine, reference_year=2025)
    assert problems(pop) == [
        ("persons.csv", 3, column, "", "missing_value"),
        ("persons.csv", 5, column, "", "missing_value"),
    ]
    assert pop.columns("person")["age"].tolist() == [2025 - 1975, 2025 - 2016]
    written = ls.write_rejects(pop.rejects, tmp_path / "rejects.csv")
    lines = written.read_text("utf-8-sig").splitlines()
    assert lines[1].split(",")[1:6] == ["3", "person", column, "", "missing_value"]
    check_counts(pop)


def test_nan_parsed_as_a_number_is_counted_too(tmp_path: Path, engine: Engine) -> None:
    """The pyarrow engine parses "nan" in a float column itself: it is still counted."""
    from learnsoc.io.convert import PlaceholderWarning

    persons = "person_id,household_id,age,birth_year\n1,H1,40,nan\n2,H1,9,2016\n"
    with pytest.warns(PlaceholderWarning, match="birth_year: 1 cell read as missing"):
        pop = read(files(tmp_path, persons=persons), engine=engine, reference_year=2025)
    assert problems(pop) == []


@needs("pyarrow")
def test_a_blank_trailing_column_of_a_big_csv_is_checked_block_by_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An Excel export ending each line with a separator, over one pyarrow block.

    The unnamed column of a file over 16 MiB (about 800,000 persons) is read in several
    blocks; checking that it is blank stopped with a bare ``AttributeError: 'ChunkedArray'
    object has no attribute 'buffers'``. Small blocks make it happen on a small file.
    """
    import learnsoc.io.csv as csv_module

    monkeypatch.setattr(csv_module, "_BLOCK_BYTES", 64)
    rows = "".join(f"{i},H{1 + i % 3},{20 + i % 50},1,1,\n" for i in range(1, 200))
    paths = files(tmp_path, persons="person_id,household_id,age,sex,literate,\n" + rows)
    pop = read(paths, engine="pyarrow")
    assert pop.n_persons == 199
    bad = rows.splitlines()
    bad[150] += "x"  # a value under the unnamed column, in a later block
    paths = files(tmp_path, persons="person_id,household_id,age,sex,literate,\n" + "\n".join(bad))
    with pytest.raises(FileFormatError, match=r"persons\.csv:152: <column 6> has no name"):
        read(paths, engine="pyarrow")
