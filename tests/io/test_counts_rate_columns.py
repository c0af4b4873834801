"""A counts file's rate column (``Tỷ lệ (%)``) is no count: it stopped the run.

A commune's sheet often carries the rates it computed beside its counts. learnsoc
computes the rates itself: a column under a rate's header that no mapping names is left
out with a :class:`RateColumnWarning` naming the file and the header, its cells never
counted; a column the mapping names is read as it says.
"""

from __future__ import annotations

import unicodedata
import warnings
from pathlib import Path

import openpyxl
import pytest

import learnsoc as ls
from learnsoc.errors import SchemaError
from learnsoc.io.rate_columns import RateColumnWarning, is_rate_column
from learnsoc.io.rejects import FileReject

TREE = ls.Hierarchy.from_units(
    {
        "code": ["01", "00004", "00004001", "00004002", "00004003"],
        "level": ["province", "commune", "village", "village", "village"],
        "parent_code": [None, "01", "00004", "00004", "00004"],
    },
    levels=["province", "commune", "village"],
)
ROWS = [("00004001", 120, 90), ("00004002", 80, 40), ("00004003", 50, 50)]
# The commune's own rates, in percent, as it typed them (a decimal comma, a whole number).
RATES = ["75,0", "50", "100"]
FAMILIES = sum(r[1] for r in ROWS)
LEARNING = sum(r[2] for r in ROWS)

RATE_HEADERS = [
    "Tỷ lệ (%)",
    unicodedata.normalize("NFD", "Tỷ lệ (%)"),
    "TỶ LỆ GĐHT",
    "Ty le GDHT",
    "Tỉ lệ",
    "%",
    "(%)",
    "Số GĐHT/ tổng số hộ (%)",
    "GĐHT %",
    "Rate",
    "Share of learning families",
]


def _rows(header: str) -> tuple[list[str], list[list[object]]]:
    rows: list[list[object]] = [[*r, v] for r, v in zip(ROWS, RATES, strict=True)]
    return ["unit_code", "families", "learning_families", header], rows


def _csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    lines = [";".join(header)] + [";".join(str(c) for c in r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _commune(roll: ls.Rollup) -> tuple[int, int]:
    commune = roll.unit("00004")
    return int(commune["learning_families"]), int(commune["families"])


@pytest.mark.parametrize("header", RATE_HEADERS)
def test_a_rate_column_is_left_out_with_a_warning(tmp_path: Path, header: str) -> None:
    names, rows = _rows(header)
    path = _csv(tmp_path / "bao_cao.csv", names, rows)
    with pytest.warns(RateColumnWarning) as got:
        roll = ls.io.rollup_counts_file(path, TREE)
    (warning,) = [w.message for w in got]
    shown = unicodedata.normalize("NFC", header)  # as the reader writes every header
    assert isinstance(warning, RateColumnWarning) and warning.column == shown
    assert f"bao_cao.csv, column {shown}: a rate, not a count" in str(warning)
    assert roll.rejects is not None and not roll.rejects
    assert roll.rejects.read["counts"] == 3
    # The counts alone, added up: 90 + 40 + 50 of 120 + 80 + 50.
    assert _commune(roll) == (LEARNING, FAMILIES)
    assert sorted(roll.counts) == [
        "families",
        "learning_families",
        "units_expected",
        "units_reporting",
    ]


def test_a_workbooks_rate_formulas_are_never_asked_for_results(tmp_path: Path) -> None:
    """``=C2/B2*100`` saved by a program, without its result: it stopped the run."""
    names, rows = _rows("Tỷ lệ GĐHT (%)")
    for i, row in enumerate(rows, start=2):
        row[3] = f"=C{i}/B{i}*100"
    path = _xlsx(tmp_path / "bao_cao.xlsx", names, rows)
    with pytest.warns(RateColumnWarning, match=r"bao_cao\.xlsx, column Tỷ lệ GĐHT \(%\)"):
        roll = ls.io.rollup_counts_file(path, TREE)
    assert roll.rejects is not None and not roll.rejects
    assert _commune(roll) == (LEARNING, FAMILIES)


def test_a_rate_columns_numbers_never_count(tmp_path: Path) -> None:
    """A one-word ``Rate`` of whole numbers was a count of its own, added up the tree."""
    names = ["unit_code", "families", "learning_families", "Rate"]
    rows: list[list[object]] = [[*r, v] for r, v in zip(ROWS, (75, 50, 100), strict=True)]
    path = _xlsx(tmp_path / "bao_cao.xlsx", names, rows)
    with pytest.warns(RateColumnWarning):
        roll = ls.io.rollup_counts_file(path, TREE)
    assert "Rate" not in roll.counts
    assert _commune(roll) == (LEARNING, FAMILIES)


def test_a_rate_column_the_mapping_names_is_read_as_it_says(tmp_path: Path) -> None:
    names, rows = _rows("Tỷ lệ (%)")
    path = _csv(tmp_path / "bao_cao.csv", names, rows)
    mapping = tmp_path / "so_lieu.toml"
    mapping.write_text(
        '[mapping]\ndelimiter = ";"\n[counts.columns]\n"Tỷ lệ (%)" = "ty_le"\n', "utf-8"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a count of its own: read by no indicator
        roll = ls.io.rollup_counts_file(path, TREE, mapping=mapping)
    # Counted as the mapping says: "75,0" is no number without decimal = ",".
    assert roll.rejects is not None
    found = [(r.line, r.reason) for r in roll.rejects.records() if isinstance(r, FileReject)]
    assert found == [(2, "not_a_number")] and len(roll.rejects) == 1
    assert int(roll.unit("00004")["ty_le"]) == 50 + 100


def test_an_ignored_rate_column_is_said_nothing_of(tmp_path: Path) -> None:
    names, rows = _rows("Tỷ lệ (%)")
    path = _csv(tmp_path / "bao_cao.csv", names, rows)
    mapping = tmp_path / "so_lieu.toml"
    mapping.write_text('[mapping]\ndelimiter = ";"\n[counts]\nignore = ["Tỷ lệ (%)"]\n', "utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        roll = ls.io.rollup_counts_file(path, TREE, mapping=mapping)
    assert _commune(roll) == (LEARNING, FAMILIES)


def test_other_unknown_headers_still_stop_the_run(tmp_path: Path) -> None:
    """Only a rate's header is left out: another name no count can have still stops."""
    names, rows = _rows("Số hộ (người)")
    path = _csv(tmp_path / "bao_cao.csv", names, rows)
    with pytest.raises(SchemaError, match="is not a count column learnsoc knows"):
        ls.io.rollup_counts_file(path, TREE)


@pytest.mark.parametrize(
    "header", ["Số gia đình", "Rated", "Shared", "share", "share_status", "Tỷ", "percent"]
)
def test_headers_that_are_no_rates(header: str) -> None:
    assert not is_rate_column(header)
