"""The two CSV engines accept and refuse exactly the same files, cells and values.

Both engines read the same generated persons files through :func:`learnsoc.read_population`
(the public path: reading, conversion, the population's checks), and the populations and
their rejects must be equal. The files mix what agencies' files hold with what broke the
engines' agreement or lost rows before (issue 14, items 2 and 10): numbers pyarrow or
Python read and the other did not (``0x10``, ``1_0``, fullwidth ``１２``, Arabic-Indic
digits, ``1e1``, ``inf``), stray and unclosed quotes, quoted separators, blank lines,
``;`` separators, Excel's byte-order mark and Windows line breaks.
"""

from __future__ import annotations

import codecs
import tempfile
import warnings
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnsoc import Population
from learnsoc.io.convert import PlaceholderWarning
from learnsoc.io.csv import Engine
from tests.io.helpers import files, problems, read
from tests.optional import needs

ENGINES: list[Engine] = ["python", "pyarrow"]

#: Values that are numbers to one reader of text and not to another.
ODD_NUMBERS = ["0x10", "0X1f", "1_0", "１２", "٣", "1e1", "1E2", "inf", "-Infinity", "NaN"]
#: Values learnsoc reads as numbers (or blanks) in every engine.
NUMBERS = ["", "0", "1", "2", "9", "40", "40.0", "40.5", "+5", "-1", " 7 ", "007", "0300", "300"]
#: Values that are never numbers.
WORDS = ["x", "NA", "null", "-", "Có", "không", "4;0", "4,0"]
#: Numbers as Vietnamese spreadsheets write them: thousands dots, decimal commas (issue 16).
SPREADSHEET = ["1.250", "1.250.000", "1.250,5", "1,250", "12,5", "1.5", "1.2500", "12.50,5"]

_NUMBER_CELL = st.sampled_from(ODD_NUMBERS + NUMBERS + WORDS + SPREADSHEET)
_ID = st.sampled_from(["1", "2", "3", "12", "007", "P1", "１２", "-0", "0x1", "+3", "1e1"])
_HOUSEHOLD = st.sampled_from(["H1", "H2", "H3", "H9", ""])


@st.composite
def _cell(draw: st.DrawFn, values: st.SearchStrategy[str]) -> str:
    """A value as a file may write it: plain, quoted, or with a stray quote."""
    value = draw(values)
    how = draw(st.sampled_from(["plain"] * 6 + ["quoted", "open", "inside", "after"]))
    if how == "quoted":
        return '"' + value.replace('"', '""') + '"'
    if how == "open":
        return '"' + value  # a quote left open
    if how == "inside":
        return value[:1] + '"' + value[1:]  # a quote inside an unquoted cell
    if how == "after":
        return '"' + value + '"x'  # text after the closing quote
    return value


@st.composite
def persons_files(draw: st.DrawFn) -> tuple[bytes, bool, str]:
    """Return (the bytes of a persons file, whether it gives birth years, the decimal mark)."""
    delim = draw(st.sampled_from([",", ";"]))
    birth_years = draw(st.booleans())
    age = "birth_year" if birth_years else "age"
    columns = ["person_id", "household_id", age, "sex", "literate", "learning_hours"]
    if draw(st.booleans()):
        columns = ['"' + c + '"' for c in columns]  # a quoted header (pyarrow, R, QUOTE_ALL)
    lines = [delim.join(columns)]
    numbers = _cell(_NUMBER_CELL | st.sampled_from(["1990", "1990.5", "2.0e3", "-2e3"]))
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["row"] * 8 + ["blank", "short", "long"]))
        if kind == "blank":
            lines.append("")
            continue
        cells = [draw(_cell(_ID)), draw(_cell(_HOUSEHOLD))]
        cells += [draw(numbers) for _ in range(4)]
        if kind == "short":
            cells = cells[: draw(st.integers(1, 5))]
        elif kind == "long":
            cells.append(draw(numbers))
        lines.append(delim.join(cells))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    text = end.join(lines) + draw(st.sampled_from([end, ""]))
    bom = codecs.BOM_UTF8 if draw(st.booleans()) else b""
    return bom + text.encode(), birth_years, draw(st.sampled_from([".", ","]))


def _outcome(
    paths: dict[str, Path], engine: Engine, options: dict[str, Any]
) -> tuple[Population | str, list[str]]:
    """Return the population read (or the error as text) and the words read as missing.

    Words for "no value" (``NaN``, ``NULL``, ``-``) are counted in a PlaceholderWarning:
    both engines must count the same ones.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PlaceholderWarning)
        try:
            out: Population | str = read(paths, engine=engine, **options)
        except ValueError as err:
            out = f"{type(err).__name__}: {err}"
    return out, sorted(str(w.message) for w in caught)


def _options(birth_years: bool, decimal: str) -> dict[str, Any]:
    """Return the options that read a file of :func:`persons_files` as it is written."""
    options: dict[str, Any] = {"reference_year": 2025} if birth_years else {}
    if decimal == ",":
        options["decimal"] = ","
    return options


@settings(max_examples=60, deadline=None, derandomize=True)
@given(persons_files())
def test_engines_read_the_same_population_and_rejects(case: tuple[bytes, bool, str]) -> None:
    """Same persons, same stored values, same rejects (file, line, column, value, reason)."""
    data, birth_years, decimal = case
    options = _options(birth_years, decimal)
    with tempfile.TemporaryDirectory() as tmp:
        paths = files(Path(tmp))
        paths["persons"].write_bytes(data)
        exact, exact_words = _outcome(paths, "python", options)
        fast, fast_words = _outcome(paths, "pyarrow", options)
    assert fast_words == exact_words
    assert fast == exact
    if isinstance(exact, str):
        return
    assert isinstance(fast, Population)
    assert problems(fast) == problems(exact)
    assert fast.rejects.counts() == exact.rejects.counts()
    # Nothing lost: every line that is not blank is one record, read or rejected (no cell
    # here holds a line break, so a quote across lines is always one left open).
    records = sum(1 for line in data.splitlines()[1:] if line.strip())
    assert exact.rejects.counts()["person"][0] == records


@settings(max_examples=30, deadline=None, derandomize=True)
@given(persons_files(), st.sampled_from([1, 2, 3, 7, 16]))
def test_engines_agree_when_lines_are_found_a_few_bytes_at_a_time(
    case: tuple[bytes, bool, str], block: int
) -> None:
    """The lines of a file are found a block of bytes at a time: blocks of a few bytes
    cut lines, line breaks and carriage returns anywhere, and the lines are the same."""
    data, birth_years, decimal = case
    options = _options(birth_years, decimal)
    with tempfile.TemporaryDirectory() as tmp:
        paths = files(Path(tmp))
        paths["persons"].write_bytes(data)
        exact, _ = _outcome(paths, "python", options)
        with mock.patch("learnsoc.io._line_fields.LINES_BLOCK", block):
            fast, _ = _outcome(paths, "pyarrow", options)
    assert fast == exact
    if isinstance(exact, Population):
        assert isinstance(fast, Population)
        assert problems(fast) == problems(exact)


@needs("pyarrow")
def test_a_million_blank_lines_cost_little_memory(tmp_path: Path) -> None:
    """4 million line breaks between two rows: the row after them is named by its line.

    Each line was 8 bytes in half a dozen arrays at once: 100 MB of line breaks took
    5 GB (40 s), 50 times the file. Now a block of lines is looked at at a time.
    """
    import tracemalloc

    blank = 4_000_000
    persons = "person_id,household_id,age,sex,literate\r\n1,H1,40,1,1\r\n"
    persons += "\r\n" * (blank // 2) + "\n" * (blank // 2) + "2,H1,x,1,1"
    paths = files(tmp_path, persons=persons)
    tracemalloc.start()
    try:
        pop = read(paths, engine="pyarrow")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert problems(pop) == [("persons.csv", blank + 3, "age", "x", "not_a_number")]
    assert pop.rejects.counts()["person"] == (2, 1, 1)
    assert peak < 64 << 20


@pytest.mark.parametrize("value", ODD_NUMBERS)
@pytest.mark.parametrize("column", ["age", "learning_hours", "literate", "sex"])
def test_odd_numbers_are_refused_by_both_engines(tmp_path: Path, column: str, value: str) -> None:
    """``0x10``, ``1_0``, ``１２``, ``٣``, ``1e1``, ``inf``: not_a_number, with the value shown."""
    header = "person_id,household_id,age,sex,literate,learning_hours"
    row = {"age": "40", "sex": "1", "literate": "1", "learning_hours": "10", column: value}
    text = f"{header}\n1,H1,{row['age']},{row['sex']},{row['literate']},{row['learning_hours']}\n"
    text += "2,H1,9,2,0,0\n"
    paths = files(tmp_path, persons=text)
    outcomes = {engine: _outcome(paths, engine, {}) for engine in ENGINES}
    assert outcomes["python"][1] == outcomes["pyarrow"][1]
    got = {}
    for engine, (pop, _words) in outcomes.items():
        assert isinstance(pop, Population), pop
        got[engine] = problems(pop)
    assert got["python"] == got["pyarrow"]
    reason = "unknown_code" if column in ("literate", "sex") else "not_a_number"
    if value == "NaN":
        # A word for "no value": read as missing and counted (see convert); in a
        # required number column (age) it is a number a program could not compute,
        # refused as not_a_number (not as a blank: "a value is required").
        required = [("persons.csv", 2, column, value, "not_a_number")]
        assert got["python"] == (required if column == "age" else [])
        assert column == "age" or "'NaN' (1)" in outcomes["python"][1][0]
        return
    assert got["python"] == [("persons.csv", 2, column, value, reason)]


@pytest.mark.parametrize("value", ["0x10", "1.99e3", "inf", "1_0", "١٩٩٠", "1e1"])
def test_odd_numbers_in_a_decimal_column(tmp_path: Path, value: str) -> None:
    """Birth years (a decimal column) take exponents but not hex, infinity or underscores."""
    from learnsoc.io.convert import convert_table
    from learnsoc.io.population import read_table
    from learnsoc.rejects import RejectBatch

    path = tmp_path / "persons.csv"
    path.write_text(f"person_id,household_id,birth_year\n1,H1,{value}\n2,H1,1990\n")
    got = {}
    for engine in ENGINES:
        raw = read_table(path, "person", engine=engine)
        found: list[RejectBatch] = []
        column = convert_table(raw, "person", rejects=found)["birth_year"]
        bad = [(b.reason, b.rows.tolist(), b.values.tolist()) for b in found]
        got[engine] = (float(column[1]), bad)
    assert got["python"] == got["pyarrow"]
    # A bad cell is a reject with its value as written, for the population to refuse.
    # 1e1 is a number (10), out of a birth year's range; the others are no numbers.
    reason = "out_of_range" if value == "1e1" else "not_a_number"
    assert got["python"] == (
        (1990.0, []) if value == "1.99e3" else (1990.0, [(reason, [0], [value])])
    )


@pytest.mark.parametrize("value", ["0300", "-0", "003"])
def test_rejected_numbers_are_shown_as_written(tmp_path: Path, value: str) -> None:
    """A number column parsed as numbers by pyarrow still shows a bad cell as written."""
    text = f"person_id,household_id,age,sex\n1,H1,40,{value}\n2,H1,{value},1\n3,H1,9,2\n"
    paths = files(tmp_path, persons=text)
    got = {engine: problems(read(paths, engine=engine)) for engine in ENGINES}
    assert got["python"] == got["pyarrow"]
    # A sex of 300, 0 or 3 is no code; an age of 300 is out of range, -0 and 3 are fine.
    bad = [(2, "sex", value)] + ([(3, "age", value)] if value == "0300" else [])
    assert [(line, column, value) for _, line, column, value, _ in got["python"]] == bad


@needs("openpyxl")
@pytest.mark.parametrize("decimal", [".", ","])
def test_spreadsheet_numbers_read_alike_in_csv_and_excel(tmp_path: Path, decimal: str) -> None:
    """Thousands dots with a decimal comma (``1.250`` = 1250); ``1,250`` alone is refused.

    The CSV engines and the Excel reader (the same text typed in cells) give the same
    population and rejects; a number cell with a fraction is never read as thousands.
    """
    from openpyxl import Workbook

    values = ["1.250", "2.000", "1.250,0", "1.250.000", "1,250", "12"]
    rows = [["person_id", "household_id", "age", "learning_hours"]]
    rows += [[str(i), "H1", "40", v] for i, v in enumerate(values, 1)]
    text = "".join(",".join(r[:3]) + f',"{r[3]}"\n' for r in rows)
    paths = files(tmp_path, persons=text)
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    ws.append([99, "H1", 40, 1.125])  # a number cell with a fraction: never 1125
    wb.save(tmp_path / "persons.xlsx")
    got = {}
    for engine in ENGINES:
        pop = read(paths, engine=engine, decimal=decimal)
        hours = pop.columns("person")["learning_hours"].tolist()
        got[engine] = (hours, [p[1:] for p in problems(pop)])
    assert got["python"] == got["pyarrow"]
    sheet = read({**paths, "persons": tmp_path / "persons.xlsx"}, decimal=decimal)
    assert sheet.columns("person")["learning_hours"].tolist() == got["python"][0]
    assert [p[1:] for p in problems(sheet)] == [
        *got["python"][1],
        (8, "learning_hours", "1,125" if decimal == "," else "1.125", "not_integer"),
    ]
    expected = {
        ",": (
            [1250, 2000, 1250, 12],
            [(5, "learning_hours", "1.250.000", "out_of_range"),
             (6, "learning_hours", "1,250", "not_integer")],
        ),
        # 2.000 is 2 or two thousand: with a decimal point, not read either way.
        ".": (
            [12],
            [(2, "learning_hours", "1.250", "not_integer"),
             (3, "learning_hours", "2.000", "thousands_dot"),
             (4, "learning_hours", "1.250,0", "not_a_number"),
             (5, "learning_hours", "1.250.000", "not_a_number"),
             (6, "learning_hours", "1,250", "not_a_number")],
        ),
    }  # fmt: skip
    assert got["python"] == expected[decimal]
