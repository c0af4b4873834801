"""Atomic writers, the rejects file, and the verdicts table."""

from __future__ import annotations

import codecs
import json
import warnings
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

import learnsoc as ls
from learnsoc.errors import SchemaError
from learnsoc.io import atomic_path, write_rejects, write_table
from learnsoc.io.verdicts import verdict_columns, write_verdicts
from learnsoc.rules.engine import evaluate
from learnsoc.rules.registry import load_rulebook
from tests.io.helpers import PERSONS, files, read

TABLE = {
    "unit_code": np.array(["01", "002"]),
    "name": np.array(["Hà Nội", 'a "quoted", name']),
    "share": np.array([0.5, np.nan]),
    "n": np.array([3, 4], np.int64),
    "ok": np.array([True, False]),
}


def test_interrupted_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old", "utf-8")

    def interrupted() -> None:
        with atomic_path(target) as tmp:
            tmp.write_text("half", "utf-8")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        interrupted()
    assert target.read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_csv_with_bom_semicolons_and_decimal_commas(tmp_path: Path) -> None:
    path = write_table(TABLE, tmp_path / "t.csv", bom=True, delimiter=";", decimal=",")
    data = path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    assert data.decode("utf-8-sig").splitlines() == [
        "unit_code;name;share;n;ok",
        "01;Hà Nội;0,5;3;1",
        '002;"a ""quoted"", name";;4;0',
    ]
    with pytest.raises(ValueError, match="cannot also be the delimiter"):
        write_table(TABLE, tmp_path / "x.csv", decimal=",")


def test_parquet_and_json_round_trip(tmp_path: Path) -> None:
    back = pq.read_table(write_table(TABLE, tmp_path / "t.parquet")).to_pydict()
    assert back["unit_code"] == ["01", "002"]
    assert back["n"] == [3, 4]
    records = json.loads(write_table(TABLE, tmp_path / "t.json").read_text("utf-8"))
    assert records[1] == {
        "unit_code": "002",
        "name": 'a "quoted", name',
        "share": None,
        "n": 4,
        "ok": False,
    }


def test_bad_tables_and_extensions_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="different lengths"):
        write_table({"a": [1, 2], "b": [1]}, tmp_path / "t.csv")
    with pytest.raises(ValueError, match=r"t\.xls': '\.xls' is not a format learnsoc writes"):
        write_table(TABLE, tmp_path / "t.xls")


def test_rejects_file_has_file_line_column_value_reason_message(tmp_path: Path) -> None:
    pop = read(files(tmp_path, persons=PERSONS + "5,H1,300,1,1\n6,H9,3,1,1\n"))
    path = write_rejects(pop.rejects, tmp_path / "rejects.csv", locale="vi")
    lines = path.read_text("utf-8-sig").splitlines()
    assert lines[0] == "file,line,table,column,value,reason,message"
    persons = str(tmp_path / "persons.csv")
    assert lines[1].startswith(f"{persons},6,person,age,300,out_of_range,")
    assert "dòng 6" in lines[1]
    assert lines[2].startswith(f"{persons},7,person,household_id,H9,unknown_household,")
    assert len(lines) == 3
    back = pq.read_table(write_rejects(pop.rejects, tmp_path / "r.parquet")).to_pydict()
    assert back["line"] == [6, 7]


@pytest.fixture(scope="module")
def evaluation() -> object:
    pop = ls.synthetic_population(persons=3_000, seed=8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return evaluate(pop, load_rulebook("example"), "2025-12-31")


def test_verdict_table_matches_the_evaluation_entity_by_entity(evaluation: object) -> None:
    ev = evaluation
    cols = verdict_columns(ev)  # type: ignore[arg-type]
    n = 0
    for title_id, v in ev.verdicts_by_title.items():  # type: ignore[attr-defined]
        rows = np.flatnonzero(cols["title"] == title_id)
        assert np.array_equal(rows, np.arange(n, n + len(v)))
        n += len(v)
        assert np.array_equal(cols["passed"][rows], v.passed)
        assert np.array_equal(cols["assessed"][rows], v.assessed)
        ids = [c.id for c in v.criteria]
        for k in range(0, len(v), max(1, len(v) // 50)):  # the slow way, on a sample
            failed = [
                cid
                for j, cid in enumerate(ids)
                if (int(v.known_bits[k]) >> j) & 1 and not (int(v.passed_bits[k]) >> j) & 1
            ]
            unknown = [cid for j, cid in enumerate(ids) if not (int(v.known_bits[k]) >> j) & 1]
            assert cols["failed"][rows[k]] == ";".join(failed)
            assert cols["unknown"][rows[k]] == ";".join(unknown)
            grade = -1 if v.grade is None else int(v.grade[k])
            assert int(cols["grade"][rows[k]]) == grade
    assert n == len(cols["id"])


def test_verdicts_parquet(tmp_path: Path, evaluation: object) -> None:
    path = write_verdicts(evaluation, tmp_path / "v.parquet")  # type: ignore[arg-type]
    table = pq.read_table(path)
    assert table.column_names[:3] == ["level", "id", "title"]
    assert table.num_rows == len(verdict_columns(evaluation)["id"])  # type: ignore[arg-type]
