"""Parquet, Arrow, Excel and data frames give the same population as CSV."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.io import FileFormatError, from_dataframe, read_population
from learnsoc.io.parquet import read_parquet
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
from tests.optional import needs, require

pd = require("pandas")
pl = require("polars")
pa = require("pyarrow")
feather = require("pyarrow.feather")
pq = require("pyarrow.parquet")


def _table(text: str) -> dict[str, list[str]]:
    head, *rows = [line.split(",") for line in text.strip().splitlines()]
    return {h: [r[i] for r in rows] for i, h in enumerate(head)}


@pytest.fixture
def synthetic(tmp_path: Path) -> tuple[ls.Population, dict[str, Path]]:
    """A synthetic population written as CSV files."""
    pop = ls.synthetic_population(persons=4_000, seed=21)
    paths = {
        "persons": write(tmp_path, "p.csv", csv_text(blank_sentinels(pop.columns("person")))),
        "households": write(tmp_path, "h.csv", csv_text(blank_sentinels(pop.columns("household")))),
        "units": write(tmp_path, "u.csv", csv_text(pop.hierarchy.to_columns())),
    }
    return pop, paths


def test_parquet_typed_columns_streamed_in_small_batches(
    tmp_path: Path, synthetic: tuple[ls.Population, dict[str, Path]]
) -> None:
    pop, csv_paths = synthetic
    from_csv = read(csv_paths)
    persons = pop.columns("person")
    arrow = pa.table(
        {
            k: pa.array(v, mask=(v == 255) if v.dtype == np.uint8 else None)
            for k, v in persons.items()
        }
    )
    pq.write_table(arrow, tmp_path / "p.parquet", row_group_size=700)
    households = {k: v for k, v in pop.columns("household").items() if k != "clan_id"}
    pq.write_table(pa.table(households), tmp_path / "h.parquet")
    raw = read_parquet(tmp_path / "p.parquet", batch_size=500)
    assert sum(1 for _ in raw.iter_batches()) == 8
    got = read_population(
        tmp_path / "p.parquet", households=tmp_path / "h.parquet", units=csv_paths["units"]
    )
    assert not got.rejects
    assert np.array_equal(got.person_ids, from_csv.person_ids)
    for name, col in from_csv.person_columns.items():
        assert np.array_equal(got.person_columns[name], col), name
    assert got.rejects.counts()["person"] == (pop.n_persons, pop.n_persons, 0)


@pytest.mark.parametrize("groups", [0, 1, 5])
def test_parquet_row_groups_read_ahead_in_order(tmp_path: Path, groups: int) -> None:
    """Row groups arrive whole and in order while the next is decoded; stopping is clean."""
    n = groups * 300
    table = pa.table({"person_id": pa.array(np.arange(n)), "age": pa.array(np.arange(n) % 90)})
    pq.write_table(table, tmp_path / "p.parquet", row_group_size=300)
    raw = read_parquet(tmp_path / "p.parquet", batch_size=300)
    batches = list(raw.iter_batches())
    assert len(batches) == pq.ParquetFile(tmp_path / "p.parquet").metadata.num_row_groups
    assert len(batches) == max(groups, 1)  # an empty file holds one empty group
    ids = [np.asarray(b["person_id"]) for b in batches]
    assert np.array_equal(np.concatenate(ids) if ids else np.zeros(0), np.arange(n))
    # A reader that stops after the first group (a strict read's first problem) is not
    # held up by the group decoded ahead.
    for batch in raw.iter_batches():
        assert len(batch["age"]) == min(n, 300)
        break


def test_parquet_rejects_name_the_row(tmp_path: Path) -> None:
    persons = _table(PERSONS)
    persons["age"][2] = "300"
    pq.write_table(pa.table(persons), tmp_path / "p.parquet")
    paths = files(tmp_path)
    pop = read_population(
        tmp_path / "p.parquet", households=paths["households"], units=paths["units"]
    )
    assert problems(pop) == [("p.parquet", 3, "age", "300", "out_of_range")]


def test_arrow_ipc_file(tmp_path: Path) -> None:
    feather.write_feather(pa.table(_table(PERSONS)), tmp_path / "p.arrow")
    paths = files(tmp_path)
    pop = read_population(
        tmp_path / "p.arrow", households=paths["households"], units=paths["units"]
    )
    assert pop == read(paths)


@needs("openpyxl")
def test_excel_workbook(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    rows = [line.split(",") for line in PERSONS.strip().splitlines()]
    ws.append(rows[0])
    ws.append([])
    for r in rows[1:]:
        ws.append([int(r[0]), r[1], float(r[2]), int(r[3]), r[4] == "1"])
    ws.append([9, "H1", "abc", 1, 1])
    wb.save(tmp_path / "p.xlsx")
    paths = files(tmp_path)
    pop = read_population(tmp_path / "p.xlsx", households=paths["households"], units=paths["units"])
    assert pop.n_persons == 4
    assert pop.person_by_id(2).literate is False
    assert problems(pop) == [("p.xlsx", 7, "age", "abc", "not_a_number")]


def test_broken_parquet_and_excel_files_are_clear_errors(tmp_path: Path) -> None:
    paths = files(tmp_path)
    for name in ("p.parquet", "p.xlsx", "p.arrow"):
        (tmp_path / name).write_bytes(b"not really")
        with pytest.raises(FileFormatError, match=name.replace(".", r"\.")):
            read_population(tmp_path / name, households=paths["households"], units=paths["units"])


@pytest.mark.parametrize("kind", ["dict", "pandas", "polars", "arrow"])
def test_data_frames_give_the_same_population(tmp_path: Path, kind: str) -> None:
    tables = {"persons": _table(PERSONS), "households": _table(HOUSEHOLDS), "units": _table(UNITS)}
    tables["persons"]["age"][1] = "300"

    def frame(t: dict[str, list[str]]) -> object:
        if kind == "pandas":
            return pd.DataFrame(t)
        if kind == "polars":
            return pl.DataFrame(t)
        if kind == "arrow":
            return pa.table(t)
        return t

    pop = from_dataframe(
        frame(tables["persons"]), frame(tables["households"]), frame(tables["units"])
    )
    paths = files(tmp_path, persons=csv_text(tables["persons"]))
    from_files = read(paths)
    assert pop == from_files
    assert [(r.row, r.column, r.reason) for r in pop.rejects.records()] == [
        (1, "age", "out_of_range")
    ]
    # The frame's second row (iloc[1]) is its row 2, as it is line 3 of the file.
    assert pop.rejects.records("en")[0].message.startswith(
        "persons, row 2 (counted from 1), column age:"
    )


def test_pandas_typed_frame_with_missing_values() -> None:
    persons = pd.DataFrame(
        {
            "person_id": [1, 2, 3],
            "household_id": ["H1", "H1", "H2"],
            "age": pd.array([40, None, 9], dtype="Int64"),
            "literate": [True, False, None],
        }
    )
    households = pd.DataFrame({"household_id": ["H1", "H2"], "unit_code": ["00001001", "00001002"]})
    pop = from_dataframe(persons, households, pd.DataFrame(_table(UNITS)))
    assert pop.n_persons == 2
    assert [(r.row, r.column, r.reason) for r in pop.rejects.records()] == [
        (1, "age", "missing_value")
    ]
    assert pop.column("person", "literate").tolist() == [1, 255]


def test_parquet_read_a_row_group_at_a_time(
    tmp_path: Path, synthetic: tuple[ls.Population, dict[str, Path]]
) -> None:
    """Row groups no bigger than a batch are read whole; the population is the same."""
    pop, csv_paths = synthetic
    persons = pop.columns("person")
    arrow = pa.table(
        {
            k: pa.array(v, mask=(v == 255) if v.dtype == np.uint8 else None)
            for k, v in persons.items()
        }
    )
    pq.write_table(arrow, tmp_path / "p.parquet", row_group_size=700)
    raw = read_parquet(tmp_path / "p.parquet", batch_size=700)
    assert [len(b["age"]) for b in raw.iter_batches(["age"])] == [700] * 5 + [500]
    households = {k: v for k, v in pop.columns("household").items() if k != "clan_id"}
    pq.write_table(pa.table(households), tmp_path / "h.parquet")
    got = read_population(
        tmp_path / "p.parquet", households=tmp_path / "h.parquet", units=csv_paths["units"]
    )
    assert got == ls.Population.from_columns(persons, households, pop.hierarchy)


NULLABLE_CASES = {
    # column: (Arrow array, the same cells as CSV text)
    "uint8 with nulls": (pa.array([1, None, 0, 1], pa.uint8()), ["1", "", "0", "1"]),
    "int64 with nulls": (pa.array([0, 1, None, 1], pa.int64()), ["0", "1", "", "1"]),
    "a real 255 is not a blank": (pa.array([255, None, 1, 0], pa.uint8()), ["255", "", "1", "0"]),
    "too big for uint8": (pa.array([300, 1, None, 0], pa.int64()), ["300", "1", "", "0"]),
    "negative": (pa.array([-1, 1, 0, None], pa.int16()), ["-1", "1", "0", ""]),
    "no nulls, wider type": (pa.array([1, 0, 0, 1], pa.int32()), ["1", "0", "0", "1"]),
}


@pytest.mark.parametrize("case", sorted(NULLABLE_CASES))
def test_parquet_integer_columns_read_as_the_same_text_would_be(tmp_path: Path, case: str) -> None:
    """Typed Parquet integers (with nulls, odd widths, bad values) give what the CSV gives."""
    arrow, text = NULLABLE_CASES[case]
    persons = _table(PERSONS)
    typed = {k: v for k, v in persons.items() if k != "literate"}
    pq.write_table(pa.table({**typed, "literate": arrow}), tmp_path / "p.parquet")
    persons["literate"] = text
    lines = [",".join(persons)] + [",".join(r) for r in zip(*persons.values(), strict=True)]
    paths = files(tmp_path, persons="\n".join(lines) + "\n")
    from_csv = read(paths)
    from_parquet = read_population(
        tmp_path / "p.parquet", households=paths["households"], units=paths["units"]
    )
    assert from_parquet == from_csv
    want = [(line, column, value, reason) for _, line, column, value, reason in problems(from_csv)]
    got = [
        (row + 1, column, value, reason)  # Parquet rows are data rows; CSV lines have a header
        for _, row, column, value, reason in problems(from_parquet)
    ]
    assert got == want


def test_required_integer_column_with_nulls_rejects_the_blank_rows(tmp_path: Path) -> None:
    persons = _table(PERSONS)
    typed = {k: v for k, v in persons.items() if k != "age"}
    ages = pa.array([40, None, 35, 70], pa.uint8())
    pq.write_table(pa.table({**typed, "age": ages}), tmp_path / "p.parquet")
    paths = files(tmp_path)
    pop = read_population(
        tmp_path / "p.parquet", households=paths["households"], units=paths["units"]
    )
    assert problems(pop) == [("p.parquet", 2, "age", "", "missing_value")]


def test_columns_option_reads_only_what_is_asked(tmp_path: Path) -> None:
    """columns= keeps ids, references and required columns, and the ones named."""
    paths = files(tmp_path)
    pop = read(paths, columns={"literate"})
    assert sorted(pop.person_columns) == ["age", "literate"]  # age is required
    assert sorted(pop.household_columns) == []
    full = read(paths)
    assert np.array_equal(pop.column("person", "literate"), full.column("person", "literate"))
    # The CSV reader leaves the other columns unconverted; the exact engine agrees.
    from learnsoc.io import read_table

    raw = read_table(paths["persons"], "person", columns={"literate"}, engine="pyarrow")
    assert raw.header == ("person_id", "household_id", "age", "sex", "literate")
    assert sorted(next(raw.iter_batches())) == ["age", "household_id", "literate", "person_id"]
    assert read(paths, columns={"literate"}, engine="python") == pop


def test_clans_are_read_only_when_asked(
    synthetic: tuple[ls.Population, dict[str, Path]],
) -> None:
    pop, paths = synthetic
    assert pop.n_clans > 0
    assert read(paths, columns={"literate"}).n_clans == 0
    assert read(paths, columns={"literate", "clan_id"}).n_clans == pop.n_clans


def test_columns_option_skips_problems_in_columns_not_read(tmp_path: Path) -> None:
    paths = files(tmp_path, persons=PERSONS.replace("1,H1,40,1,1", "1,H1,40,7,1"))
    assert [p[2:] for p in problems(read(paths))] == [("sex", "7", "unknown_code")]
    for engine in ("pyarrow", "python"):
        pop = read(paths, columns={"literate"}, engine=engine)
        assert not pop.rejects and pop.n_persons == 4


# vn-national on the 2025 tree after 1/7/2025: the commune title warns that its procedure
# was abolished (tested in tests/rules/test_bundled.py).
@pytest.mark.filterwarnings("ignore::learnsoc.rules.rulebook.AbolishedProcedureWarning")
def test_reading_what_a_rulebook_reads_gives_the_same_verdicts(
    tmp_path: Path, synthetic: tuple[ls.Population, dict[str, Path]]
) -> None:
    from learnsoc.rules.engine import evaluate
    from learnsoc.rules.registry import load_rulebook

    _, paths = synthetic
    book = load_rulebook("vn-national")
    full = read(paths)
    needed = read(paths, columns=book.columns_read())
    assert len(needed.person_columns) < len(full.person_columns)
    with pytest.warns(ls.MissingInputWarning):
        a = evaluate(full, book, "2025-12-31", trace=False)
    with pytest.warns(ls.MissingInputWarning):
        b = evaluate(needed, book, "2025-12-31", trace=False)
    assert a.missing_inputs == b.missing_inputs
    assert a.verdicts_by_title.keys() == b.verdicts_by_title.keys()
    for title in a.verdicts_by_title:
        assert np.array_equal(a.titles(title), b.titles(title)), title


def test_reading_parquet_does_not_import_pandas(tmp_path: Path) -> None:
    """pyarrow's to_numpy imports pandas (0.2 s): the Parquet path goes around it."""
    import subprocess
    import sys

    persons = _table(PERSONS)
    typed = {k: v for k, v in persons.items() if k not in ("person_id", "age")}
    ids = pa.array([1, 2, 3, 4], pa.int64())
    ages = pa.array([40, None, 35, 70], pa.uint8())
    pq.write_table(pa.table({"person_id": ids, **typed, "age": ages}), tmp_path / "p.parquet")
    paths = files(tmp_path)
    code = (
        "import sys; from learnsoc.io import read_population; "
        f"pop = read_population({str(tmp_path / 'p.parquet')!r}, "
        f"households={str(paths['households'])!r}, units={str(paths['units'])!r}); "
        "assert pop.n_persons == 3, pop.n_persons; print('pandas' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_reading_csv_does_not_import_pandas(tmp_path: Path) -> None:
    """Blanks, padded codes and optional references take no Python-made Arrow values."""
    import subprocess
    import sys

    households = "household_id,unit_code,clan_id,registered\n1, 00001001 ,7,1\n2,00001002,,1\n"
    persons = "person_id,household_id,age,sex,literate\n1,1,40,1,1\n2,2,9,,\n3,2,35,2,1\n"
    paths = files(tmp_path, persons=persons, households=households)
    code = (
        "import sys; from learnsoc.io import read_population; "
        f"pop = read_population({str(paths['persons'])!r}, "
        f"households={str(paths['households'])!r}, units={str(paths['units'])!r}, "
        "engine='pyarrow'); "
        "assert pop.n_persons == 3 and pop.n_households == 2, pop.rejects; "
        "assert pop.household_clan.tolist() == [0, -1], pop.household_clan; "
        "print('pandas' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
