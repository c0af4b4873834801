"""Millions of blank lines, and old Mac line breaks, read in one pass with a named result.

A form's rows that are no data (the row of column numbers, the notes and signatures) are
looked for line by line around the table; every blank line was parsed on the way, one at
a time: 1 MiB of line breaks took 5 s, 4 MiB 36 s, 100 MB more than 5 minutes (a file
of 4 million lines of bare separators, 67 s). Runs of blank lines are now skipped at
once. A file of old Mac line breaks (``\\r`` only) with more than 16,384 separators in
all was a raw ``_csv.Error`` traceback from the header's width check.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest

import learnsoc.io.csv as csv_module
from learnsoc.io.csv import Engine, read_csv_bytes
from learnsoc.io.headers import SheetWarning
from tests.io.test_csv import ENGINES, cells, lines


@pytest.fixture
def parsed_lines(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The lines the form-row search parses one at a time."""
    seen: list[bytes] = []
    original = csv_module._line_cells

    def counting(line: bytes, delimiter: str | None) -> Any:
        seen.append(line)
        return original(line, delimiter)

    monkeypatch.setattr(csv_module, "_line_cells", counting)
    return seen


BLANKS = 200_000


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("blank", ["", "  ", ";;;"], ids=["empty", "spaces", "seps"])
def test_runs_of_blank_lines_are_skipped_at_once(
    engine: Engine, blank: str, parsed_lines: list[bytes]
) -> None:
    body = f"{blank}\r\n" * BLANKS
    text = "id;age;note\r\n" + body + "1;40;x\r\n" + body + "2;9;y\r\n" + body
    table = read_csv_bytes(text.encode(), "b.csv", engine=engine)
    assert cells(table)["id"] == ["1", "2"]
    assert lines(table) == [BLANKS + 2, 2 * BLANKS + 3]  # counted: header, blanks, row
    assert len(parsed_lines) <= 6  # header, two rows, each way: not 600,000 lines


@pytest.mark.parametrize("engine", ENGINES)
def test_form_rows_are_found_across_runs_of_blank_lines(
    engine: Engine, parsed_lines: list[bytes]
) -> None:
    blanks = "\n" * BLANKS
    text = (
        "a;b;c\n"
        + blanks
        + "(1);(2);(3)\n1;2;3\n4;5;6\n"
        + blanks
        + "Người lập biểu;;Thủ trưởng đơn vị\n"
        + blanks
        + "Nguyễn Thị Hoa;;Trần Văn Bình\n"
        + blanks
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = read_csv_bytes(text.encode(), "f.csv", engine=engine)
    said = [str(w.message) for w in caught if issubclass(w.category, SheetWarning)]
    assert cells(table)["a"] == ["1", "4"]
    assert any(f"line {BLANKS + 2} numbers the columns ((1) (2) (3))" in s for s in said)
    footer = 2 * BLANKS + 5  # header, blanks, numbers, two rows, blanks
    assert any(f"the table ends above line {footer}" in s for s in said), said
    assert len(parsed_lines) <= 10


def test_a_line_of_two_separators_is_not_taken_for_blank() -> None:
    """``,;`` sniffs ``,`` and holds the cell ``;``: a row, as the exact reading says."""
    text = "a,b\n1,2\n,;\n" + "\n" * 10
    table = read_csv_bytes(text.encode(), "t.csv", engine="python")
    assert cells(table)["b"] == ["2", ";"]


@pytest.mark.parametrize("engine", ENGINES)
def test_old_mac_line_breaks_with_many_separators(engine: Engine) -> None:
    """9,000 rows of 3 columns: 18,000 commas on what the width check took for one line."""
    rows = 9_000
    text = "id,age,note\r" + "".join(f"{i},{i % 90},x\r" for i in range(1, rows + 1))
    table = read_csv_bytes(text.encode(), "mac.csv", engine=engine)
    ids = [int(v) for v in cells(table)["id"]]
    assert len(ids) == rows and sum(ids) == rows * (rows + 1) // 2
