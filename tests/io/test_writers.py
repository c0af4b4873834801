"""Atomic writers, the rejects file, and the verdicts table."""

from __future__ import annotations

import codecs
import csv
import json
import os
import re
import signal
import stat
import subprocess
import sys
import tracemalloc
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.errors import SchemaError
from learnsoc.io import atomic_path, write_rejects, write_table
from learnsoc.io.verdicts import verdict_chunks, verdict_columns, write_verdicts
from learnsoc.io.writers import (
    CHUNK_ROWS,
    OutputPathError,
    output_format,
    write_chunks,
    write_csv,
    write_json,
    write_parquet,
)
from learnsoc.rules.engine import evaluate
from learnsoc.rules.registry import load_rulebook
from tests.io.helpers import PERSONS, files, read
from tests.optional import require

pq = require("pyarrow.parquet")

ROOT = Path(__file__).resolve().parents[2]

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
    assert lines[0] == "file,line,table,column,value,reason,message,row"
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


# -- outputs that would replace an input (issue 14, item 3) ------------------------------


def test_rejects_are_not_written_over_the_file_they_came_from(tmp_path: Path) -> None:
    """By default the rejects refuse to replace an input, under any spelling of its name."""
    paths = files(tmp_path, persons=PERSONS + "5,H1,300,1,1\n")
    before = paths["persons"].read_bytes()
    pop = read(paths)
    (tmp_path / "sym.csv").symlink_to(paths["persons"])
    os.link(paths["persons"], tmp_path / "hard.csv")
    for target in (
        paths["persons"],
        tmp_path / "." / "persons.csv",
        tmp_path / "sub" / ".." / "persons.csv",
        tmp_path / "sym.csv",
        tmp_path / "hard.csv",
        paths["households"],
    ):
        with pytest.raises(OutputPathError, match="it is the input file") as info:
            write_rejects(pop.rejects, target)
        assert info.value.other is not None
        assert str(target) in str(info.value)
    assert paths["persons"].read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "hard.csv",
        "households.csv",
        "persons.csv",
        "sym.csv",
        "units.csv",
    ]


def test_every_writer_takes_files_to_protect(tmp_path: Path) -> None:
    source = tmp_path / "source.csv"
    source.write_text("keep", "utf-8")
    for write in (write_table, write_csv, write_json, write_parquet):
        name = "source.parquet" if write is write_parquet else "source.csv"
        if name != "source.csv":
            (tmp_path / name).write_text("keep", "utf-8")
        with pytest.raises(OutputPathError, match="input file"):
            write(TABLE, tmp_path / name, protect=[tmp_path / name])
        assert (tmp_path / name).read_text("utf-8") == "keep"
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(OutputPathError, match="it is a folder"):
        write_table(TABLE, tmp_path / "folder.csv")


def test_output_extensions_are_checked_first(tmp_path: Path) -> None:
    """A name learnsoc cannot write is refused before a file is created."""
    for name, problem in (
        ("v.ods", "'.ods' is not a format learnsoc writes"),
        ("v", "the name has no extension"),
    ):
        with pytest.raises(OutputPathError, match=problem) as info:
            write_table(TABLE, tmp_path / name)
        assert str(info.value).endswith("use .csv, .txt, .parquet, .pq, .json or .xlsx")
    assert list(tmp_path.iterdir()) == []
    assert output_format(tmp_path / "V.PQ") == "parquet"


# -- temporary files: durable, removed, swept (issue 14, item 4) -------------------------

STALL = """
import sys, time
import numpy as np
from learnsoc.io.writers import write_csv

class Stall:
    def __str__(self) -> str:
        print("half written", flush=True)
        time.sleep(120)
        return "never"

col = np.empty(200_000, object)
col[:] = "Nguyễn Văn A"
col[150_000] = Stall()
write_csv({"name": col}, sys.argv[1])
"""


def _temporaries(folder: Path) -> list[str]:
    return sorted(
        p.name for p in folder.iterdir() if ".learnsoc-tmp-" in p.name or ".tmp" in p.name
    )


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL and the sweep are POSIX")
def test_a_writer_killed_mid_write_leaves_the_old_file_and_its_leftover_is_swept(
    tmp_path: Path,
) -> None:
    """kill -9 in the middle of a write: the old target is intact; the next write sweeps."""
    target = tmp_path / "names.csv"
    target.write_text("name\nold\n", "utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", STALL, str(target)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "half written\n"
        left = _temporaries(tmp_path)
        assert len(left) == 1
        assert re.fullmatch(
            rf"\.names\.csv\.learnsoc-tmp-{proc.pid}-[0-9a-f]{{8}}-[0-9a-f]{{8}}", left[0]
        )
        assert (tmp_path / left[0]).stat().st_size > 100_000  # rows were being written
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
    assert target.read_text("utf-8") == "name\nold\n"
    assert len(_temporaries(tmp_path)) == 1  # nobody could remove it ...
    write_table({"name": np.array(["new"])}, target)
    assert _temporaries(tmp_path) == []  # ... until the next write to the same target
    assert target.read_text("utf-8") == "name\nnew\n"


@pytest.mark.skipif(os.name != "posix", reason="the sweep is POSIX")
def test_the_sweep_spares_running_writers_and_other_targets(tmp_path: Path) -> None:
    from learnsoc.io.writers import _host_tag

    dead = subprocess.Popen([sys.executable, "-c", "pass"])  # a process id that has ended
    dead.wait()
    host = _host_tag()
    other_host = "0" * 8 if host != "0" * 8 else "1" * 8
    names = {
        "dead": f".t.csv.learnsoc-tmp-{dead.pid}-{host}-0123abcd",
        "alive": f".t.csv.learnsoc-tmp-{os.getpid()}-{host}-0123abcd",
        "elsewhere": f".t.csv.learnsoc-tmp-{dead.pid}-{other_host}-0123abcd",
        "other target": f".u.csv.learnsoc-tmp-{dead.pid}-{host}-0123abcd",
        "not ours": ".t.csv.learnsoc-tmp-notes",
    }
    for name in names.values():
        (tmp_path / name).write_text("x", "utf-8")
    write_table({"a": np.array([1])}, tmp_path / "t.csv")
    left = {p.name for p in tmp_path.iterdir()}
    assert left == {"t.csv", *names.values()} - {names["dead"]}


@pytest.mark.skipif(os.name != "posix", reason="folders are flushed on POSIX")
def test_the_file_is_flushed_before_the_rename_and_the_folder_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[tuple[str, int]] = []
    fsync, replace = os.fsync, os.replace

    def recording_fsync(fd: int) -> None:
        events.append(("fsync", os.fstat(fd).st_ino))
        fsync(fd)

    def recording_replace(src: Any, dst: Any) -> None:
        events.append(("replace", os.stat(src).st_ino))
        replace(src, dst)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    monkeypatch.setattr(os, "replace", recording_replace)
    path = write_table(TABLE, tmp_path / "t.csv")
    file_ino, folder_ino = path.stat().st_ino, tmp_path.stat().st_ino
    assert events == [("fsync", file_ino), ("replace", file_ino), ("fsync", folder_ino)]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    """Personal data kept private (0600) stays private when learnsoc rewrites it."""
    target = tmp_path / "rejects.csv"
    target.write_text("old", "utf-8")
    target.chmod(0o600)
    write_table(TABLE, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


# -- CSV formula injection (issue 14, item 18) ------------------------------------------


def test_text_cells_a_spreadsheet_would_run_are_escaped(tmp_path: Path) -> None:
    """OWASP: a leading ' on text starting = + - @ tab CR; numbers stay numbers."""
    text = np.array(
        ['=HYPERLINK("http://x.vn","bấm")', "+1+2", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)",
         "\t=1", "\r=1", "-5", "+84912345678", "-1.5e3", "Hà Nội", "a=b", ""]
    )  # fmt: skip
    numbers = np.arange(-6, 6)
    mixed = np.array([-3, "=x", None, 2.5, *([""] * 8)], dtype=object)
    path = write_table({"text": text, "n": numbers, "mixed": mixed}, tmp_path / "t.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert [r[0] for r in rows[1:]] == [
        '\'=HYPERLINK("http://x.vn","bấm")', "'+1+2", "'-2+3+cmd|' /C calc'!A0", "'@SUM(A1)",
        "'\t=1", "'\r=1", "-5", "+84912345678", "-1.5e3", "Hà Nội", "a=b", "",
    ]  # fmt: skip
    assert [r[1] for r in rows[1:]] == [str(i) for i in range(-6, 6)]
    assert [r[2] for r in rows[1:5]] == ["-3", "'=x", "", "2.5"]
    plain = write_table({"text": text}, tmp_path / "plain.csv", escape_formulas=False)
    with plain.open(encoding="utf-8", newline="") as fh:
        assert [r[0] for r in list(csv.reader(fh))[1:]] == text.tolist()
    back = json.loads(write_table({"text": text}, tmp_path / "t.json").read_text("utf-8"))
    assert [r["text"] for r in back] == text.tolist()  # JSON is not for spreadsheets


def test_a_formula_in_an_input_file_is_escaped_in_the_rejects(tmp_path: Path) -> None:
    bad = '=HYPERLINK("http://evil.example","Xem")'
    paths = files(
        tmp_path, persons=PERSONS + '5,"' + bad.replace('"', '""') + '",30,1,1\n6,H1,-7,1,1\n'
    )
    pop = read(paths)
    path = write_rejects(pop.rejects, tmp_path / "rejects.csv", locale="en")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["line"], r["column"], r["value"]) for r in rows] == [
        ("6", "household_id", "'" + bad),
        ("7", "age", "-7"),
    ]


# -- bounded memory: CSV, JSON and Parquet written in chunks (issue 14, item 6) ---------


def test_json_is_written_as_json_dumps_would(tmp_path: Path) -> None:
    """The streamed JSON text equals the one-shot ``json.dumps`` of the records."""
    rng = np.random.default_rng(3)
    words = np.array(['a "q"', "Hộ-1", "{0}", "{", "\\", "tab\there", "\u2028", "", "x\ny"])
    floats = rng.normal(size=40) * 10.0 ** rng.integers(-5, 20, 40)
    floats[::7] = np.nan
    floats[3], floats[4] = np.inf, -np.inf
    table = {
        "text": words[rng.integers(0, len(words), 40)],
        "int": rng.integers(-(2**62), 2**62, 40),
        "small": rng.integers(0, 255, 40).astype(np.uint8),
        "float": floats,
        "float32": floats.astype(np.float32),
        "ok": rng.random(40) < 0.5,
        'key "with" {braces}': np.array([None, "x", 1, 2.5] * 10, dtype=object),
    }
    cols = {k: np.asarray(v) for k, v in table.items()}
    records = [
        {
            k: (None if isinstance(v, float) and v != v else v)
            for k, v in zip(cols, row, strict=True)
        }
        for row in zip(*(c.tolist() for c in cols.values()), strict=True)
    ]
    expected = json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    assert write_json(table, tmp_path / "one.json").read_text("utf-8") == expected
    parts = ({k: v[i : i + 7] for k, v in cols.items()} for i in range(0, 40, 7))
    assert write_chunks(parts, tmp_path / "parts.json").read_text("utf-8") == expected
    empty = {k: v[:0] for k, v in cols.items()}
    assert write_json(empty, tmp_path / "empty.json").read_text("utf-8") == "[]\n"


def test_chunks_write_every_format_and_must_agree_on_columns(tmp_path: Path) -> None:
    parts = [{k: np.asarray(v)[i : i + 1] for k, v in TABLE.items()} for i in range(2)]
    whole = write_table(TABLE, tmp_path / "whole.csv").read_text("utf-8")
    assert write_chunks(parts, tmp_path / "parts.csv").read_text("utf-8") == whole
    back = pq.read_table(write_chunks(parts, tmp_path / "parts.parquet")).to_pydict()
    assert back["name"] == TABLE["name"].tolist()
    assert back["n"] == [3, 4]
    target = tmp_path / "bad.csv"
    target.write_text("old", "utf-8")
    with pytest.raises(SchemaError, match="a chunk has the columns"):
        write_chunks([{"a": np.array([1])}, {"b": np.array([2])}], target)
    assert target.read_text("utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "bad.csv",
        "parts.csv",
        "parts.parquet",
        "whole.csv",
    ]


@pytest.fixture(scope="module")
def national() -> object:
    """The national rulebook on 40,000 persons: about 92,000 verdict rows."""
    pop = ls.synthetic_population(persons=40_000, seed=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return evaluate(pop, load_rulebook("vn-national"), "2025-12-31")


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_verdicts_are_written_in_memory_bounded_by_a_chunk(
    tmp_path: Path, suffix: str, national: Any
) -> None:
    """Writing the verdicts of a large population needs memory for one chunk, not all rows.

    Before, the ``failed``/``unknown`` columns were fixed-width numpy strings (rows x the
    longest list of criteria x 4 bytes) and JSON built every record at once: 2 million
    persons did not fit in 7 GB (here: about 200 MiB for CSV and 370 MiB for JSON).
    """
    ev = national
    rows = sum(len(v) for v in ev.verdicts_by_title.values())
    assert rows > CHUNK_ROWS
    tracemalloc.start()
    try:
        path = write_verdicts(ev, tmp_path / f"v{suffix}")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 96 * 2**20, f"{peak / 2**20:.0f} MiB"
    with path.open(encoding="utf-8") as fh:
        lines = sum(1 for _ in fh)
    assert lines == (rows + 1 if suffix == ".csv" else rows * 12 + 2)


def test_verdict_chunks_make_the_verdict_columns(evaluation: object) -> None:
    cols = verdict_columns(evaluation)  # type: ignore[arg-type]
    chunks = list(verdict_chunks(evaluation, rows=500))  # type: ignore[arg-type]
    assert max(len(c["id"]) for c in chunks) <= 500
    for name, whole in cols.items():
        joined = np.concatenate([c[name] for c in chunks])
        assert joined.tolist() == whole.tolist() or name == "points"
    assert cols["failed"].dtype == object


def test_long_tables_are_written_chunk_after_chunk(tmp_path: Path) -> None:
    """Tables longer than a chunk (CSV, JSON) or a row group (Parquet) lose no row."""
    n = 2 * CHUNK_ROWS + 5
    table = {"i": np.arange(n), "x": np.arange(n) / 4}
    lines = write_table(table, tmp_path / "t.csv").read_text("utf-8").splitlines()
    assert len(lines) == n + 1
    assert lines[-1] == f"{n - 1},{(n - 1) / 4!r}"
    back = json.loads(write_table(table, tmp_path / "t.json").read_text("utf-8"))
    assert [r["i"] for r in back] == list(range(n))
    # int32 chunks after an int64 one are cast to the first chunk's schema
    parts = ({"i": np.arange(s, s + 70_000, dtype=np.int64 if s == 0 else np.int32)}
             for s in range(0, 350_000, 70_000))  # fmt: skip
    file = pq.ParquetFile(write_chunks(parts, tmp_path / "t.parquet"))
    assert file.metadata.num_rows == 350_000
    assert file.metadata.num_row_groups == 2
    assert file.read().column("i").to_pylist() == list(range(350_000))
    with pytest.raises(ValueError, match="cannot also be the delimiter"):
        write_chunks([table], tmp_path / "d.csv", delimiter=";", decimal=";")


def test_no_rejects_make_a_file_with_the_columns(tmp_path: Path) -> None:
    from learnsoc.rejects import Rejects

    table = pq.read_table(write_rejects(Rejects(), tmp_path / "r.parquet"))
    assert table.num_rows == 0
    assert table.column_names == [
        "file",
        "line",
        "table",
        "column",
        "value",
        "reason",
        "message",
        "row",
    ]
    assert {str(t) for t in table.schema.types} == {"string", "int64"}
    text = write_rejects(Rejects(), tmp_path / "r.csv").read_text("utf-8-sig")
    assert text == "file,line,table,column,value,reason,message,row\n"
    assert write_rejects(Rejects(), tmp_path / "r.json").read_text("utf-8") == "[]\n"


def test_parquet_text_columns_and_dictionaries(tmp_path: Path) -> None:
    """``text_columns`` spells integers as ``str`` does; text of mostly distinct values is
    stored without a dictionary, repeated text with one; the values read back unchanged."""
    pq = pytest.importorskip("pyarrow.parquet")
    from learnsoc.io.writers import write_chunks

    n = 5_000
    ids = np.arange(-3, n - 3, dtype=np.int64) * 7919
    chunks = [
        {"level": np.full(n, "person"), "id": ids, "failed": np.array(["a", "b;c"] * (n // 2))},
        {"level": np.full(3, "village"), "id": np.array(["01", "x", ""]), "failed": np.full(3, "")},
    ]
    path = write_chunks(chunks, tmp_path / "v.parquet", text_columns=["id"])
    table = pq.read_table(path)
    assert table["id"].to_pylist() == [str(i) for i in ids.tolist()] + ["01", "x", ""]
    assert table["level"].to_pylist() == ["person"] * n + ["village"] * 3
    assert table["failed"].to_pylist() == ["a", "b;c"] * (n // 2) + [""] * 3
    meta = pq.ParquetFile(path).metadata.row_group(0)
    encodings = {meta.column(j).path_in_schema: meta.column(j).encodings for j in range(3)}
    assert "RLE_DICTIONARY" not in encodings["id"]
    assert "RLE_DICTIONARY" in encodings["level"]
    assert "RLE_DICTIONARY" in encodings["failed"]
    # Without the option an integer column stays an integer column.
    plain = pq.read_table(write_chunks(chunks[:1], tmp_path / "p.parquet"))
    assert plain["id"].to_pylist() == ids.tolist()
