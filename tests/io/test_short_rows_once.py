"""Excel's short rows filled before the one parse: the table read first, then again, as before.

:func:`learnsoc.io.csv._read_filled` counts each line's fields in numpy and fills the short
records before pyarrow parses (which reported each one to Python, one at a time). These
tests hold what it reads equal to the way it was read before: a first parse, then
:func:`~learnsoc.io._short_rows.fill_short_records` (``_read_filled`` switched off).
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnsoc.io import _line_fields, csv
from learnsoc.io._line_fields import blank_lines, odd_lines
from learnsoc.io.csv import Engine, read_csv_bytes
from learnsoc.io.table import Layout, RawTable
from tests.io.test_csv import cells

HEADER = ("id", "age", "note", "extra")

#: Cells: plain, Vietnamese, blank, a number; with ODD, a totals label, a quote, spaces.
PLAIN = ["1", "007", "Hộ 1", "", "x y", "12", "-"]
ODD = [*PLAIN, " ", "Tổng cộng", '"q"']


def lines(cells: list[str]) -> Any:
    """A line: a record of 1 to 6 fields, or a blank line (empty, spaces, a tab)."""
    return st.one_of(
        st.lists(st.sampled_from(cells), min_size=1, max_size=6),
        st.sampled_from([[], ["   "], ["\t"]]),
    )


@st.composite
def files(draw: Any) -> tuple[bytes, str]:
    delim = draw(st.sampled_from([";", ","]))
    odd = draw(st.integers(0, 4)) == 0
    rows = draw(st.lists(lines(ODD if odd else PLAIN), min_size=1, max_size=25))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = delim.join(HEADER) + newline + newline.join(delim.join(r) for r in rows)
    if draw(st.booleans()):
        text += newline  # Excel ends every row; a file cut off does not
    data = text.encode()
    if draw(st.integers(0, 9)) == 0:
        data = data.replace(b"x y", b"\xff y")  # not UTF-8
    if draw(st.integers(0, 9)) == 0:
        data = data.replace(b"12", b"1\r2")  # a carriage return alone
    return data, delim


def outcome(data: bytes, **options: Any) -> tuple[str, Any]:
    """Return what a read gives: the table's parts, or the error's type and text."""
    try:
        table = read_csv_bytes(data, "t.csv", **options)
    except Exception as exc:  # the reads must fail alike
        return "error", (type(exc).__name__, str(exc))
    return "table", parts(table)


def parts(table: RawTable) -> Any:
    layout = {
        f.name: v.tolist() if hasattr(v, "tolist") else v
        for f in attrs.fields(Layout)
        for v in [getattr(table.layout, f.name)]
    }
    return table.header, cells(table), layout, table.is_file, dict(table.hidden_columns)


# A short row of bytes that are not UTF-8 makes pyarrow's report of it fail to decode, in
# the first parse (the reference): "Exception ignored in on_invalid", left as it was.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@settings(max_examples=400, deadline=None)
@given(
    files(),
    st.sets(st.sampled_from(HEADER[:3])),
    st.sampled_from(["auto", "pyarrow", "python"]),
    st.booleans(),
    st.booleans(),
)
def test_short_rows_read_once_as_they_were_read_twice(
    file: tuple[bytes, str], needed: set[str], engine: Engine, typed: bool, words: bool
) -> None:
    data, delim = file
    options: dict[str, Any] = {
        "needed": needed.__contains__,
        "engine": engine,
        "delimiter": delim if typed else None,
        "numbers": (lambda h: "int64" if h == "age" else None) if typed else None,
        "dictionary": ("note",) if words else (),
    }
    got = outcome(data, **options)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(csv, "_read_filled", lambda *args: None)
        want = outcome(data, **options)
    assert got == want


def test_a_file_of_short_rows_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Excel's short rows are filled before pyarrow parses: one parse, not two."""
    body = "".join(
        f"{i};{i % 90};\r\n" if i % 10 else f"{i};{i % 90};ghi chú\r\n" for i in range(1000)
    )
    data = ("id;age;note\r\n" + body.replace(";\r\n", "\r\n")).encode()
    parses: list[int] = []
    engine = csv._read_engine

    def counted(*args: Any) -> RawTable:
        parses.append(len(args[0]))
        return engine(*args)

    monkeypatch.setattr(csv, "_read_engine", counted)
    table = read_csv_bytes(data, "t.csv", needed={"id", "age"}.__contains__)
    assert len(parses) == 1
    assert parses[0] == len(data) + 900  # a separator added to each short row
    got = cells(table)
    assert got["note"][:11] == ["ghi chú", *[""] * 9, "ghi chú"]
    assert got["age"][:3] == ["0", "1", "2"]
    assert table.layout.malformed.tolist() == []
    assert table.layout.short_of == ("id", "age", "")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["\n", "\r\n", "\r", "a", ";", "a;b"]), max_size=40))
def test_blank_lines_are_counted_as_the_lines_are_found(pieces: list[str]) -> None:
    """The count of blank lines is that of :func:`odd_lines`, across blocks too."""
    body = "".join(pieces).encode()
    if body.endswith(b"\r"):
        body += b"\n"  # a last line of a carriage return alone is not counted (see there)
    found = odd_lines(np.frombuffer(body, np.uint8), ord(";"), 2)
    unended = 0 if not body or body.endswith(b"\n") else int(not body.rsplit(b"\n")[-1])
    want = found.n_lines - found.n_records - unended
    with_break = np.frombuffer(b"\n" + body, np.uint8)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_line_fields, "LINES_BLOCK", 3)
        small_blocks = blank_lines(with_break)
    assert blank_lines(with_break) == small_blocks == want


def test_blank_lines_without_short_rows_are_read_in_one_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Blank lines lack separators but are no short rows: the fields are not counted."""
    rows = [f"{i};{i % 90};{'x' if i % 3 == 0 else ''}" for i in range(30)]
    text = "id;age;note\r\n\r\n" + "\r\n".join(rows[:10]) + "\r\n\r\n\r\n"
    data = (text + "\r\n".join(rows[10:]) + "\r\n\n").encode()
    want = outcome(data, needed={"id"}.__contains__, engine="pyarrow")

    def not_counted(*args: Any) -> Any:
        raise AssertionError("the fields of each line were counted")

    monkeypatch.setattr(_line_fields, "_fields", not_counted)
    table = read_csv_bytes(data, "t.csv", needed={"id"}.__contains__, engine="pyarrow")
    assert parts(table) == want[1]
    assert table.layout.n_records == 30
    assert table.layout.line_of(np.array([0, 10, 29])).tolist() == [3, 15, 34]
