"""Two exports joined into one CSV file: the second header line is one reject, not data."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from learnsoc.cli import main
from learnsoc.io.csv import Engine, NumberKind, read_csv_bytes

HEADER = "person_id,household_id,age,sex,literate\n"
UNITS = (
    "code,name,level,parent_code\n01,P,province,\n00001,C,commune,01\n00001001,V1,village,00001\n"
)
HOUSEHOLDS = "household_id,unit_code,registered\nH1,00001001,1\nH2,00001001,1\n"


def _rows(first: int, last: int) -> str:
    return "".join(
        f"{i},H{i % 2 + 1},{20 + i % 60},{i % 2 + 1},1\n" for i in range(first, last + 1)
    )


def _numbers(name: str) -> NumberKind | None:
    return "int64" if name == "age" else None


@pytest.mark.parametrize("engine", ["pyarrow", "python"])
@pytest.mark.parametrize("crlf", [False, True])
def test_a_repeated_header_line_is_set_aside_and_named(engine: Engine, crlf: bool) -> None:
    pytest.importorskip("pyarrow")
    text = HEADER + _rows(1, 3) + HEADER + _rows(4, 5)
    if crlf:
        text = text.replace("\n", "\r\n")
    table = read_csv_bytes(text.encode(), "p.csv", engine=engine, numbers=_numbers)
    lay = table.layout
    # Line 5 is the second header: record 3 of six, the other five handed on.
    assert lay.repeated.tolist() == [3]
    assert lay.line_of(lay.repeated).tolist() == [5]
    assert (lay.n_records, lay.n_rows) == (6, 5)
    assert lay.repeated_text == HEADER.strip()
    ages = np.concatenate([np.asarray(b["age"]).astype(np.int64) for b in table.iter_batches()])
    assert ages.tolist() == [21, 22, 23, 24, 25]
    if engine == "pyarrow":
        # The header's "age" did not turn the number column into text.
        batch = next(iter(table.iter_batches()))
        assert str(batch["age"].type) == "int64"


def test_a_line_holding_the_header_inside_it_is_data_not_a_header() -> None:
    pytest.importorskip("pyarrow")
    text = HEADER + "x" + HEADER + _rows(1, 2)
    table = read_csv_bytes(text.encode(), "p.csv")
    assert table.layout.repeated.tolist() == []


def test_validate_counts_one_repeated_header_reject_not_one_per_cell(tmp_path: Path) -> None:
    (tmp_path / "u.csv").write_text(UNITS, "utf-8")
    (tmp_path / "h.csv").write_text(HOUSEHOLDS, "utf-8")
    persons = tmp_path / "p.csv"
    persons.write_text(HEADER + _rows(1, 400) + HEADER + _rows(401, 800), "utf-8")
    out = tmp_path / "rejects.csv"
    argv = [
        "validate",
        str(persons),
        "--households",
        str(tmp_path / "h.csv"),
        "--units",
        str(tmp_path / "u.csv"),
        "--rejects",
        str(out),
    ]
    main(argv)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    # The old reader made the line 4 rejects (one per coded or number cell).
    assert [(r["line"], r["reason"], r["column"]) for r in rows] == [("402", "repeated_header", "")]
    assert "repeats the header line" in rows[0]["message"]
