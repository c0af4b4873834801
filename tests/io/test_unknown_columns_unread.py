"""Columns learnsoc will not read are not parsed, and every row is judged as before.

With ``unknown_columns="ignore"`` (``--ignore-unknown-columns``) a CSV export of a whole
survey (16,000 columns, 64 MB) peaked at 511 MB: its unknown columns were parsed and
dropped after. They are now left out by the parsers (and a mapping file's ``ignore``
columns too). A record with at most two cells filled among the columns read gets its
other cells back, so that a row filled only in an unknown column is still a record
(rejected for what it lacks), a heading typed in an unknown name column is still
skipped, and a blank row is still no record: the rows read, accepted, rejected and
skipped are those of the whole file read.
"""

from __future__ import annotations

import random
import tracemalloc
import warnings
from pathlib import Path

import pytest

from learnsoc.io.csv import Engine
from learnsoc.io.mapping import FileMapping
from learnsoc.io.population import assemble, read_population, read_table
from learnsoc.model.schema import STANDARD_SCHEMA

UNITS = (
    "code,name,level,parent_code\n01,P,province,\n00001,C,commune,01\n00001001,V,village,00001\n"
)
HOUSEHOLDS = "household_id,unit_code\nH1,00001001\nH2,00001001\nH3,00001001\n"
ENGINES = ["pyarrow", "python"]


def _paths(folder: Path, persons: str) -> dict[str, Path]:
    paths = {"persons": folder / "p.csv", "households": folder / "h.csv", "units": folder / "u.csv"}
    paths["persons"].write_text(persons, "utf-8")
    paths["households"].write_text(HOUSEHOLDS, "utf-8")
    paths["units"].write_text(UNITS, "utf-8")
    return paths


def _wide(folder: Path, n_extra: int, n_rows: int, *, known: bool = True) -> dict[str, Path]:
    """A file of unknown columns; ``known=False``: its known columns blank in every row."""
    head = "person_id,household_id,age," + ",".join(f"x{k}" for k in range(n_extra))
    cells = ",".join(["1"] * n_extra)
    body = "".join(
        (f"{i},H1,{20 + i % 60}," if known else ",,,") + cells + "\n" for i in range(n_rows)
    )
    return _paths(folder, head + "\n" + body)


def _read(paths: dict[str, Path], engine: Engine) -> object:
    return read_population(
        paths["persons"],
        households=paths["households"],
        units=paths["units"],
        engine=engine,
        unknown_columns="ignore",
    )


@pytest.mark.parametrize("known", [True, False], ids=["data", "only-unknown-cells"])
@pytest.mark.parametrize("engine", ENGINES)
def test_unknown_columns_ignored_cost_no_memory(
    tmp_path: Path, engine: Engine, known: bool
) -> None:
    """4,000 unknown columns by 500 rows (4 MB). Before: the standard-library engine's
    traced peak was 11.7x the file, pyarrow's own pool 5.5x; now 6.2x and 3.0x. Rows
    filled only in the unknown columns, each parsed again to be judged, cost the same."""
    pa = pytest.importorskip("pyarrow")
    for name in ("small", "wide"):
        (tmp_path / name).mkdir()
    _read(_wide(tmp_path / "small", 3, 2), engine)  # the modules it imports, untraced
    paths = _wide(tmp_path / "wide", 4_000, 500, known=known)
    size = paths["persons"].stat().st_size
    default = pa.default_memory_pool()
    pool = pa.proxy_memory_pool(default)  # counts pyarrow's buffers, which are not traced
    pa.set_memory_pool(pool)
    tracemalloc.start()
    try:
        pop = _read(paths, engine)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        pa.set_memory_pool(default)
    # Rows lacking every known cell are rows all the same: read, and rejected.
    counts = pop.rejects.counts()["person"]  # type: ignore[attr-defined]
    assert counts == ((500, 500, 0) if known else (500, 0, 500))
    assert peak < 8 * size, (peak / size, engine)
    assert pool.max_memory() < 4.25 * size, (pool.max_memory() / size, engine)


#: Rows whose judgement rests on the unknown columns (STT, Họ và tên, Ghi chú, Khác).
HOSTILE = """STT;Họ và tên;Ghi chú;person_id;household_id;age;sex;literate;Khác
1;Nguyễn An;;P1;H1;40;1;1;a
;Xóm 3;;;;;;;
;;;;;;;;
;;;;;;;;x
2;;;P2;;;;;
II;Thôn Đông;;;;;;;
;;;Xóm 4;;;;;
3;Lê Bình;;P3;H2;30;2;1;
;;ghi;;;;;;
;"Tổ 5
";;;;;;;
4;Trần Chi;"x";P4;H3;22;1;1;"y"
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_rows_filled_only_in_unknown_columns_are_judged_as_before(
    tmp_path: Path, engine: Engine
) -> None:
    if engine == "pyarrow":
        pytest.importorskip("pyarrow")
    paths = _paths(tmp_path, HOSTILE)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pop = _read(paths, engine)
    rejects = pop.rejects  # type: ignore[attr-defined]
    found = sorted({(r.line, r.reason) for r in rejects.records("en")})
    # By hand: line 3 'Xóm 3', line 7 'II | Thôn Đông' and line 11 'Tổ 5' (a cell over two
    # lines) are headings in the name column; line 4 is blank; lines 5 ('x' under Khác),
    # 10 ('ghi' under Ghi chú), 6 (P2 alone) and 8 ('Xóm 4' under person_id, not one of
    # the first three columns) are records lacking their household and age.
    assert found == [(line, "missing_value") for line in (5, 6, 8, 10)]
    assert rejects.counts()["person"] == (10, 3, 4)
    assert rejects.n_skipped("person") == 3
    said = " ".join(str(w.message) for w in caught)
    assert "line 3 ('Xóm 3'), line 7 ('Thôn Đông'), line 11 ('Tổ 5')" in said


def _whole(paths: dict[str, Path], engine: Engine) -> object:
    """The population of the file read whole, its unknown columns parsed, then ignored.

    (Read as the mapping's ``unknown_columns = "error"`` reads them; a row number, STT, is
    left out either way.)
    """
    raws = {
        table: read_table(paths[key], table, engine=engine)
        for table, key in (("unit", "units"), ("household", "households"), ("person", "persons"))
    }
    return assemble(
        raws,
        hierarchy=None,
        mapping=FileMapping(),
        levels=None,
        schema=STANDARD_SCHEMA,
        reference_year=None,
        strict=False,
        unknown_columns="ignore",
    )


def _random_file(rng: random.Random) -> str:
    known = ["person_id", "household_id", "age", "sex", "literate"]
    columns = list(known)
    for name in rng.sample(["STT", "Họ và tên", "Ghi chú", "Khác"], rng.randint(1, 4)):
        columns.insert(rng.randint(0, len(columns)), name)
    others = ["", "", "", "x", "Xóm 3", "Thôn Đông", "II", "1", "Tổng cộng", " ", '"a\nb"']
    cells = {"person_id": ["", "P{i}", "Xóm 9", "II"], "household_id": ["", "H1", "H2"]}
    lines = [";".join(columns)]
    for i in range(rng.randint(1, 10)):
        filled = rng.random() > 0.4
        lines.append(
            ";".join(
                (rng.choice(cells.get(c, ["", "1"])).format(i=i) if filled else "")
                if c in known
                else rng.choice(others)
                for c in columns
            )
        )
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("engine", ENGINES)
def test_random_files_read_as_when_parsed_whole(tmp_path: Path, engine: Engine) -> None:
    """Rows of headings, totals, blanks and data, with unknown columns anywhere."""
    if engine == "pyarrow":
        pytest.importorskip("pyarrow")
    rng = random.Random(12)  # noqa: S311 -- reproducible test files
    for k in range(40):
        paths = _paths(tmp_path, _random_file(rng))
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            got = _read(paths, engine)
            whole = _whole(paths, engine)
        said = [str(w.message) for w in seen]
        assert said[: len(said) // 2] == said[len(said) // 2 :], k
        counts = [p.rejects.counts() for p in (got, whole)]  # type: ignore[attr-defined]
        assert counts[0] == counts[1], k
        rows = [
            [(r.line, r.column, r.reason) for r in p.rejects.records("en")]  # type: ignore[attr-defined]
            for p in (got, whole)
        ]
        assert rows[0] == rows[1], k
        assert got.n_persons == whole.n_persons, k  # type: ignore[attr-defined]
