"""Parquet, Arrow, Excel and data frames give the same population as CSV."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.parquet as pq
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


def test_excel_workbook(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
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
    assert pop.rejects.records("en")[0].message.startswith("persons, row 1, column age:")


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
