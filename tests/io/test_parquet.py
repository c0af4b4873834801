"""Parquet and Arrow IPC: damaged files and cells that are not scalars are clear errors."""

from __future__ import annotations

import threading
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from learnsoc.io import FileFormatError, read_population
from learnsoc.io.parquet import read_arrow_ipc, read_parquet
from tests.io.helpers import files
from tests.optional import require

pa = require("pyarrow")
feather = require("pyarrow.feather")
pq = require("pyarrow.parquet")

N = 3_000


def persons(**columns: Any) -> Any:  # a pyarrow.Table
    """The persons of tests.io.helpers' households, ``N`` of them, with columns replaced."""
    base: dict[str, Any] = {
        "person_id": list(range(1, N + 1)),
        "household_id": ["H1", "H2", "H3"] * (N // 3),
        "age": [30] * N,
        "sex": [1, 2] * (N // 2),
        "literate": [True] * N,
    }
    return pa.table({**base, **columns})


def damage(path: Path, group: int, column: int) -> Path:
    """Scramble the pages of one column chunk (its header survives, its page headers not)."""
    chunk = pq.ParquetFile(path).metadata.row_group(group).column(column)
    data = bytearray(path.read_bytes())
    start = chunk.dictionary_page_offset if chunk.has_dictionary_page else chunk.data_page_offset
    for i in range(start + 20, start + chunk.total_compressed_size - 2):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


def readers() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("learnsoc-parquet")]


def test_a_damaged_page_names_the_file_and_row_group(tmp_path: Path) -> None:
    """The read-ahead thread's error surfaces as a FileFormatError, after the good groups."""
    path = tmp_path / "p.parquet"
    pq.write_table(persons(), path, row_group_size=1_000)
    damage(path, group=1, column=2)
    batches = read_parquet(path, batch_size=1_000).iter_batches()
    assert len(next(batches)["age"]) == 1_000
    with pytest.raises(FileFormatError, match=r"\(row group 2 of 3\): .*damaged") as err:
        next(batches)
    assert str(err.value).startswith(f"{path}: not a readable Parquet file (row group 2 of 3)")
    assert err.value.file == str(path)
    assert readers() == []


def test_a_damaged_page_read_in_batches_names_the_rows(tmp_path: Path) -> None:
    """One big row group read a batch at a time: the error says which rows."""
    path = tmp_path / "p.parquet"
    pq.write_table(persons(), path)
    damage(path, group=0, column=2)
    with pytest.raises(FileFormatError, match=r"\(rows 1 to 1,000\)"):
        list(read_parquet(path, batch_size=1_000).iter_batches())


def test_a_damaged_file_through_read_population(tmp_path: Path) -> None:
    """End to end: a learnsoc error, never a bare OSError."""
    path = tmp_path / "p.parquet"
    pq.write_table(persons(), path, row_group_size=1_000)
    damage(path, group=2, column=0)
    paths = files(tmp_path)
    with pytest.raises(FileFormatError, match=r"row group 3 of 3"):
        read_population(path, households=paths["households"], units=paths["units"])
    assert readers() == []


def test_stopping_early_leaves_no_thread(tmp_path: Path) -> None:
    """A caller that stops after the first row group does not leave the reader running."""
    path = tmp_path / "p.parquet"
    pq.write_table(persons(), path, row_group_size=500)
    batches = read_parquet(path, batch_size=500).iter_batches()
    assert isinstance(batches, Generator)
    next(batches)
    assert readers() == ["learnsoc-parquet_0"]
    batches.close()
    assert readers() == []


NESTED = {
    "list": ("age", pa.array([[30, 31]] * N), r"'age' holds lists of values \(Arrow type list<"),
    "struct": ("person_id", pa.array([{"id": 1}] * N), r"'person_id' holds records \(structs\)"),
    "map": (
        "household_id",
        pa.array([[("a", 1)]] * N, pa.map_(pa.string(), pa.int64())),
        r"'household_id' holds maps",
    ),
    # Arrow only: Parquet stores a dictionary of lists as the lists.
    "dictionary-of-lists": (
        "age",
        pa.DictionaryArray.from_arrays(pa.array([0] * N, pa.int32()), pa.array([[30]])),
        r"'age' holds lists",
    ),
}


@pytest.mark.parametrize(
    ("case", "kind"),
    [
        (case, kind)
        for case in NESTED
        for kind in ("parquet", "arrow")
        if (case, kind) != ("dictionary-of-lists", "parquet")
    ],
)
def test_a_column_that_is_not_one_value_per_cell_is_named(
    tmp_path: Path, case: str, kind: str
) -> None:
    """Before: 'setting an array element with a sequence', or a pyarrow cast error."""
    column, values, words = NESTED[case]
    path = tmp_path / f"p.{kind}"
    table = persons(**{column: values})
    if kind == "parquet":
        pq.write_table(table, path)
    else:
        feather.write_feather(table, path)
    paths = files(tmp_path)
    with pytest.raises(FileFormatError, match=words + r".*not one value per cell"):
        read_population(path, households=paths["households"], units=paths["units"])


def test_a_nested_column_that_is_not_read_is_left_alone(tmp_path: Path) -> None:
    """Only the columns the schema reads must be scalars."""
    path = tmp_path / "p.parquet"
    pq.write_table(persons(tags=pa.array([["a"]] * N)), path)
    batches = list(read_parquet(path).iter_batches(["age"]))
    assert [list(b) for b in batches] == [["age"]]
    with pytest.raises(FileFormatError, match=r"'tags' holds lists"):
        list(read_parquet(path).iter_batches())


def test_binary_text_is_read_as_text_and_bytes_that_are_not_utf8_are_named(
    tmp_path: Path,
) -> None:
    """Text written without its UTF-8 mark reads as text; other bytes are refused."""
    ids = pa.array([h.encode() for h in ["H1", "H2", "H3"] * (N // 3)], pa.binary())
    pq.write_table(persons(household_id=ids), tmp_path / "p.parquet")
    paths = files(tmp_path)
    pop = read_population(
        tmp_path / "p.parquet", households=paths["households"], units=paths["units"]
    )
    assert pop.n_persons == N
    bad = pa.array([b"H1", b"\xffH2", b"H3"] * (N // 3), pa.binary())
    for kind in ("parquet", "arrow"):
        path = tmp_path / f"bad.{kind}"
        if kind == "parquet":
            pq.write_table(persons(household_id=bad), path, row_group_size=1_000)
        else:
            feather.write_feather(persons(household_id=bad), path, chunksize=1_000)
        with pytest.raises(
            FileFormatError,
            match=r"'household_id' \((row group|record batch) "
            r"1 of 3\) holds bytes that are not UTF-8 text \(Arrow type binary\)",
        ):
            read_population(path, households=paths["households"], units=paths["units"])


def test_a_damaged_arrow_file_names_the_file(tmp_path: Path) -> None:
    """A truncated IPC file: a learnsoc error naming it, at open or at a batch."""
    path = tmp_path / "p.arrow"
    feather.write_feather(persons(), path, chunksize=1_000, compression="uncompressed")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] + data[len(data) // 2 + 64 :])
    with pytest.raises(FileFormatError, match=r"p\.arrow: not a readable Arrow IPC file"):
        list(read_arrow_ipc(path).iter_batches())


@pytest.mark.parametrize("writer", ["parquet", "arrow"])
def test_a_column_without_a_name_is_named_by_its_position(tmp_path: Path, writer: str) -> None:
    """Two unnamed columns cannot be told apart: a FileFormatError, not pyarrow's KeyError."""
    table = pa.table([pa.array(["1", "2"]), pa.array([1, 2]), pa.array([3, 4])], ["id", "", ""])
    path = tmp_path / "t.data"
    if writer == "parquet":
        pq.write_table(table, path)
        read: Any = read_parquet
    else:
        feather.write_feather(table, path)
        read = read_arrow_ipc
    with pytest.raises(FileFormatError, match="column 2 has no name; name every column"):
        read(path)


def test_a_footer_that_is_not_utf8_is_a_damaged_file() -> None:
    """Column names in the footer that are not UTF-8 (a fuzz find): the file is damaged."""
    path = Path(__file__).parents[1] / "fuzz/corpus/parquet/households--footer-bad-utf8.parquet"
    with pytest.raises(FileFormatError, match="not a readable Parquet file"):
        read_parquet(path)


def test_household_unit_codes_of_a_parquet_file_are_checked_as_text_cells(tmp_path: Path) -> None:
    """Unit codes are read dictionary-encoded, each village once: the cell checks still hold.

    Padding is trimmed, a code with a control character is its reject (not a unit
    ``'00001002\\x07'`` to look up), a blank is a missing unit code, as from a CSV file.
    """
    pa = require("pyarrow")
    import pyarrow.parquet as pq

    from tests.io.helpers import PERSONS, files, problems, read

    paths = files(tmp_path, persons=PERSONS + "5,H4,30,1,1\n6,H5,31,2,1\n")
    households = pa.table(
        {
            "household_id": ["H1", "H2", "H3", "H4", "H5"],
            "unit_code": [" 00001001 ", "00001002", "00004001", "00001002\x07", None],
            "registered": [True, True, False, True, True],
        }
    )
    paths["households"] = tmp_path / "households.parquet"
    pq.write_table(households, paths["households"])
    pop = read(paths)
    assert pop.household_ids.tolist() == ["H1", "H2", "H3"]
    assert pop.hierarchy.codes_at("village")[pop.household_unit].tolist() == [
        "00001001",
        "00001002",
        "00004001",
    ]
    assert [p[2:] for p in problems(pop) if p[0] == "households.parquet"] == [
        ("unit_code", "00001002\u2407", "control_character"),
        ("unit_code", "", "missing_value"),
    ]


def test_a_nan_id_of_a_float_column_is_a_missing_id(tmp_path: Path) -> None:
    """Ids written as floats (pandas' ids with a gap) read NaN as missing, as a null.

    A NaN person id was the person "nan", accepted.
    """
    from tests.io.helpers import problems

    ids: list[float | None] = [float(i) for i in range(1, N + 1)]
    ids[1] = float("nan")
    pq.write_table(persons(person_id=ids), tmp_path / "p.parquet")
    paths = files(tmp_path)
    pop = read_population(
        tmp_path / "p.parquet", households=paths["households"], units=paths["units"]
    )
    assert problems(pop) == [("p.parquet", 2, "person_id", "", "missing_value")]
    assert pop.n_persons == N - 1 and "nan" not in pop.ids("person").tolist()
    # As the same file with a null there.
    ids[1] = None
    pq.write_table(persons(person_id=ids), tmp_path / "p.parquet")
    again = read_population(
        tmp_path / "p.parquet", households=paths["households"], units=paths["units"]
    )
    assert problems(again) == problems(pop)


def test_float_ids_that_are_no_whole_number_are_rejects(tmp_path: Path) -> None:
    """Ids written as floats are whole: 3.0 is the id 3; 2.5 and ±inf are rejects by row.

    They were the ids "2.5", "inf" and "-inf", accepted.
    """
    from tests.io.helpers import problems

    bad = {1: 2.5, 4: float("inf"), 7: float("-inf")}
    ids = [bad.get(i, float(i + 1)) for i in range(N)]
    pq.write_table(persons(person_id=ids), tmp_path / "p.parquet")
    paths = files(tmp_path)
    pop = read_population(
        tmp_path / "p.parquet", households=paths["households"], units=paths["units"]
    )
    assert problems(pop) == [
        ("p.parquet", 2, "person_id", "2.5", "not_integer"),
        ("p.parquet", 5, "person_id", "inf", "not_a_number"),
        ("p.parquet", 8, "person_id", "-inf", "not_a_number"),
    ]
    read, accepted, rejected = pop.rejects.counts()["person"]
    assert (read, accepted, rejected) == (N, N - 3, 3) == (N, pop.n_persons, 3)
    # The others are the same persons as in the file without those rows, ids as integers.
    kept = [i for i in range(N) if i not in bad]
    pq.write_table(persons().take(kept), tmp_path / "whole.parquet")
    whole = read_population(
        tmp_path / "whole.parquet", households=paths["households"], units=paths["units"]
    )
    # (Read as text ids, as with a NaN: the blanked cells are no plain numbers.)
    assert sorted(map(int, pop.ids("person").tolist())) == sorted(whole.ids("person").tolist())
    assert pop.household_offsets.tolist() == whole.household_offsets.tolist()


def test_float_unit_codes_that_are_no_whole_number_are_rejects(tmp_path: Path) -> None:
    """Unit codes written as floats (lost zeros, restored): 1001.5 and inf are rejects."""
    from tests.io.helpers import PERSONS, problems, read

    paths = files(tmp_path, persons=PERSONS + "5,H4,30,1,1\n6,H5,31,2,1\n")
    households = pa.table(
        {
            "household_id": ["H1", "H2", "H3", "H4", "H5"],
            "unit_code": [1001.0, 1002.0, 4001.0, 1002.5, float("inf")],
            "registered": [True, True, False, True, True],
        }
    )
    paths["households"] = tmp_path / "households.parquet"
    pq.write_table(households, paths["households"])
    with pytest.warns(UserWarning, match="leading zeros"):
        pop = read(paths)
    assert pop.household_ids.tolist() == ["H1", "H2", "H3"]
    assert pop.hierarchy.codes_at("village")[pop.household_unit].tolist() == [
        "00001001",
        "00001002",
        "00004001",
    ]
    assert [p for p in problems(pop) if p[0] == "households.parquet"] == [
        ("households.parquet", 4, "unit_code", "1002.5", "not_integer"),
        ("households.parquet", 5, "unit_code", "inf", "not_a_number"),
    ]
    assert pop.rejects.counts()["household"] == (5, 3, 2)


def test_a_column_of_dates_where_numbers_belong_names_the_file(tmp_path: Path) -> None:
    """Ages written as dates: a SchemaError naming the file (it named the column only)."""
    import datetime

    from learnsoc.errors import SchemaError

    path = tmp_path / "p.parquet"
    for day in (datetime.date(1990, 1, 2), datetime.datetime(1990, 1, 2, 3)):
        pq.write_table(persons(age=[day] * N), path)
        paths = files(tmp_path)
        with pytest.raises(SchemaError, match="holds values of dtype datetime64") as err:
            read_population(path, households=paths["households"], units=paths["units"])
        assert str(path) in str(err.value)
        assert err.value.column == "age"
        assert "datetime64" in str(err.value)


def test_float_ids_beyond_two_to_the_53_are_rejects(tmp_path: Path) -> None:
    """A float id beyond 2**53 is no exact integer: an out_of_range reject by row.

    1e20 was the text id "1e+20" and 2**53 + 2 the id 9007199254740994, both accepted,
    though neither need be the id that was written; 2**53 itself is exact and an id.
    """
    from tests.io.helpers import problems

    bad = {2: 1e20, 5: -(2.0**60), 6: 2.0**53 + 2}
    ids = [bad.get(i, float(i + 1)) for i in range(N)]
    ids[0] = 2.0**53
    pq.write_table(persons(person_id=ids), tmp_path / "p.parquet")
    paths = files(tmp_path)
    pop = read_population(
        tmp_path / "p.parquet", households=paths["households"], units=paths["units"]
    )
    assert problems(pop) == [
        ("p.parquet", 3, "person_id", "1e+20", "out_of_range"),
        ("p.parquet", 6, "person_id", "-1.152921504606847e+18", "out_of_range"),
        ("p.parquet", 7, "person_id", "9007199254740994.0", "out_of_range"),
    ]
    (first, *_) = pop.rejects.records("en")
    assert "expected -9007199254740992..9007199254740992" in first.message
    assert pop.rejects.counts()["person"] == (N, N - 3, 3) == (N, pop.n_persons, 3)
    assert 2**53 in [int(i) for i in pop.ids("person").tolist()]


def test_long_whole_float_ids_are_their_digits_not_an_exponent(tmp_path: Path) -> None:
    """A 12-digit id written as a float (a column with a gap) is its 12 digits.

    pyarrow spelled 123456789012.0 "1.23456789012e+11": an id no file of integers holds,
    so a household or membership naming the person found none.
    """
    ids: list[float | None] = [float(123_456_789_000 + i) for i in range(N)]
    ids[1] = None
    pq.write_table(persons(person_id=ids), tmp_path / "p.parquet")
    paths = files(tmp_path)
    pop = read_population(
        tmp_path / "p.parquet", households=paths["households"], units=paths["units"]
    )
    whole = [123_456_789_000 + i for i in range(N) if i != 1]
    pq.write_table(persons(person_id=[*whole[:1], None, *whole[1:]]), tmp_path / "i.parquet")
    ints = read_population(
        tmp_path / "i.parquet", households=paths["households"], units=paths["units"]
    )
    got = sorted(int(i) for i in pop.ids("person").tolist())
    assert got == sorted(int(i) for i in ints.ids("person").tolist()) == whole
