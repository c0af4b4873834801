"""Two exports joined into one CSV file: the second header line is one reject, not data."""

from __future__ import annotations

import csv
import unicodedata
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
    assert lay.repeated_text == (HEADER.strip(),)
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


VI_HEADER = "Mã hộ;Họ và tên;Tuổi\n"

# Second headers as other programs write them: each names the first header's columns
# as the reader matches them (spaces, case, quotes, accents composed or not, tones
# placed by the old rule, a byte-order mark at its start).
VARIANTS = [
    (HEADER, " person_id , household_id,age,  sex,literate  \n"),
    (HEADER, "PERSON_ID,Household_ID,AGE,Sex,LITERATE\n"),
    (HEADER, '"person_id","household_id","age","sex","literate"\n'),
    (HEADER, "\ufeff" + HEADER),
    (HEADER, '\ufeff"Person_ID", household_id ,age,sex,literate\n'),
    (VI_HEADER, "MÃ HỘ;HỌ VÀ TÊN;TUỔI\n"),
    (VI_HEADER, unicodedata.normalize("NFD", VI_HEADER)),
    (VI_HEADER, "\ufeffMã  hộ ; Họ và tên ;Tuổi\n"),
]


def _vi_rows(first: int, last: int) -> str:
    return "".join(f"H{i};Nguyễn Văn {i};{20 + i % 60}\n" for i in range(first, last + 1))


@pytest.mark.parametrize("engine", ["pyarrow", "python"])
@pytest.mark.parametrize(("header", "second"), VARIANTS)
def test_a_header_repeated_as_another_program_writes_it_is_set_aside(
    engine: Engine, header: str, second: str
) -> None:
    pytest.importorskip("pyarrow")
    rows = _vi_rows if header == VI_HEADER else _rows
    age = "Tuổi" if header == VI_HEADER else "age"
    text = header + rows(1, 3) + second + rows(4, 5)
    table = read_csv_bytes(text.encode(), "p.csv", engine=engine)
    lay = table.layout
    assert lay.repeated.tolist() == [3]
    assert lay.line_of(lay.repeated).tolist() == [5]
    assert (lay.n_records, lay.n_rows) == (6, 5)
    # The line as this file writes it, not the first header.
    assert lay.repeated_text == (second.rstrip("\n"),)
    # The rows around it are read whole: ages computed from the row numbers.
    cells = [str(x) for b in table.iter_batches() for x in np.asarray(b[age])]
    assert cells == [str(20 + i % 60) for i in range(1, 6)]


@pytest.mark.parametrize(
    "line",
    [
        "person_id,household_id,age,sex,literacy\n",  # another column's name
        "person_id,household_id,age,sex\n",  # a column short
        "person_id,household_id,age,sex,literate,note\n",  # a column more
        "person id,household_id,age,sex,literate\n",  # not how a column is matched
    ],
)
def test_a_line_that_does_not_name_the_same_columns_is_no_repeated_header(line: str) -> None:
    pytest.importorskip("pyarrow")
    text = HEADER + _rows(1, 3) + line + _rows(4, 5)
    table = read_csv_bytes(text.encode(), "p.csv", engine="pyarrow")
    assert table.layout.repeated.tolist() == []
    assert table.layout.n_records == 6


@pytest.mark.parametrize("engine", ["pyarrow", "python"])
def test_each_repeated_header_reject_shows_its_own_line_cut(tmp_path: Path, engine: Engine) -> None:
    """Three exports joined, each header written otherwise: each reject shows its line.

    Before, every ``repeated_header`` reject showed the first header's text, though the
    message says "this line repeats the header line ('...')" of the line itself.
    """
    pytest.importorskip("pyarrow")
    from learnsoc.io import write_rejects
    from learnsoc.io.population import read_population

    (tmp_path / "u.csv").write_text(UNITS, "utf-8")
    (tmp_path / "h.csv").write_text(HOUSEHOLDS, "utf-8")
    # A header of 30 columns, 25 of them no column learnsoc knows (ignored): a long line.
    extra = [f"extra_column_{k:02d}" for k in range(25)]
    first = HEADER.strip() + "," + ",".join(extra)
    upper = first.upper()
    spaced = ", ".join(first.split(","))
    cells = ",".join("" for _ in extra)
    body = [f"{i},H1,{20 + i},1,1,{cells}" for i in range(1, 7)]
    lines = [first, body[0], body[1], upper, body[2], body[3], spaced, body[4], body[5]]
    persons = tmp_path / "p.csv"
    persons.write_text("\n".join(lines) + "\n", "utf-8")
    pop = read_population(
        persons,
        households=tmp_path / "h.csv",
        units=tmp_path / "u.csv",
        engine=engine,
        unknown_columns="ignore",
    )
    out = write_rejects(pop.rejects, tmp_path / "rejects.csv", locale="en")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    # Lines 4 and 7 (counted from 1, the header line 1), each shown as written, cut to
    # 80 characters (79 and an ellipsis): both lines are longer.
    assert len(upper) > 80 and len(spaced) > 80
    assert [(r["line"], r["reason"], r["value"]) for r in rows] == [
        ("4", "repeated_header", upper[:79] + "\u2026"),
        ("7", "repeated_header", spaced[:79] + "\u2026"),
    ]
    assert [lines[int(r["line"]) - 1][:79] for r in rows] == [r["value"][:79] for r in rows]
    assert repr(spaced[:79] + "\u2026") in rows[1]["message"]
    assert pop.rejects.n_read("person") == 8  # 6 people and 2 repeated headers
    assert pop.rejects.n_accepted("person") + pop.rejects.n_rejected("person") == 8
