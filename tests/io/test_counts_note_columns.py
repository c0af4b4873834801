"""A counts file's notes column is no count: every row was rejected as "not a number".

A commune's sheet ending with ``Ghi chú``, ``Note`` or ``Người lập biểu`` is read without
it; a column of words under a header of the commune's own (``Khác``) is left out with a
warning naming the file and the header; a measure's column holding words still rejects
those rows by name, and accepted + rejected = read.
"""

from __future__ import annotations

import unicodedata
import warnings
from pathlib import Path

import numpy as np
import openpyxl
import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.io.rejects import FileReject
from learnsoc.io.text_counts import TextColumnWarning
from learnsoc.io.unknown_measures import UnknownMeasuresWarning
from tests.io.helpers import write
from tests.test_cli_inputs_mapping import folder  # noqa: F401  (fixture)

TREE = ls.Hierarchy.from_units(
    {
        "code": ["01", "00004", "00004001", "00004002", "00004003"],
        "name": ["Hà Nội", "Xã Minh Phú", "Thôn Đông", "Thôn Đoài", "Thôn Bắc"],
        "level": ["province", "commune", "village", "village", "village"],
        "parent_code": [None, "01", "00004", "00004", "00004"],
    },
    levels=["province", "commune", "village"],
)
ROWS = [("00004001", 120, 90), ("00004002", 80, 40), ("00004003", 50, 50)]
NOTES = ["đã kiểm tra", "", "nộp muộn, chưa ký"]


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
        ws.append([None if c == "" else c for c in row])
    wb.save(path)
    return path


def _lines(roll: ls.Rollup) -> list[tuple[int, str, str, str]]:
    """Each reject's (line, reason, column, value), as the file writes them."""
    assert roll.rejects is not None
    found = [r for r in roll.rejects.records() if isinstance(r, FileReject)]
    assert len(found) == len(roll.rejects)
    return sorted((r.line, r.reason, r.column, r.value) for r in found)


def _commune(roll: ls.Rollup) -> tuple[int, int]:
    commune = roll.unit("00004")
    return int(commune["learning_families"]), int(commune["families"])


def _with_notes(header: str) -> tuple[list[str], list[list[object]]]:
    rows: list[list[object]] = [[*r, n] for r, n in zip(ROWS, NOTES, strict=True)]
    return ["unit_code", "families", "learning_families", header], rows


# The notes' headers as clerks type them: accents composed or decomposed (macOS), any case,
# with or without accents, a colon after.
NOTE_HEADERS = [
    "Ghi chú",
    unicodedata.normalize("NFD", "Ghi chú"),
    "GHI CHÚ",
    "Ghi chu",
    "ghi_chu:",
    "Note",
    "Notes",
    "Người lập biểu",
    "Lưu ý",
]


@pytest.mark.parametrize("header", NOTE_HEADERS)
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_notes_column_is_no_count(tmp_path: Path, header: str, kind: str) -> None:
    names, rows = _with_notes(header)
    write = _csv if kind == "csv" else _xlsx
    path = write(tmp_path / f"bao_cao.{kind}", names, rows)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a note by its name is said nothing of
        roll = ls.io.rollup_counts_file(path, TREE)
    assert roll.rejects is not None and not roll.rejects
    # 90 + 40 + 50 of 120 + 80 + 50, every row read.
    assert _commune(roll) == (sum(r[2] for r in ROWS), sum(r[1] for r in ROWS))
    assert sorted(roll.counts) == [
        "families",
        "learning_families",
        "units_expected",
        "units_reporting",
    ]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_column_of_words_of_its_own_is_left_out_with_a_warning(tmp_path: Path, kind: str) -> None:
    """``Khác`` ("other") may count something: left out only when it holds words."""
    names, rows = _with_notes("Khác")
    rows[1][3] = "x"
    write = _csv if kind == "csv" else _xlsx
    path = write(tmp_path / f"bao_cao.{kind}", names, rows)
    with pytest.warns(TextColumnWarning) as got:
        roll = ls.io.rollup_counts_file(path, TREE)
    (warning,) = [w.message for w in got]
    assert isinstance(warning, TextColumnWarning) and warning.column == "Khác"
    assert f"bao_cao.{kind}, column Khác: words, not numbers" in str(warning)
    assert "'đã kiểm tra'" in str(warning)
    assert roll.rejects is not None and not roll.rejects
    assert _commune(roll) == (180, 250)


def test_a_column_of_numbers_of_its_own_is_still_counted(tmp_path: Path) -> None:
    """Numbers under ``Khác`` count, and a word among them rejects its row (not lost)."""
    names = ["unit_code", "families", "learning_families", "Khác"]
    rows: list[list[object]] = [[*ROWS[0], 3], [*ROWS[1], "chưa rõ"], [*ROWS[2], 2]]
    path = _csv(tmp_path / "bao_cao.csv", names, rows)
    with warnings.catch_warnings():
        warnings.simplefilter("error", TextColumnWarning)
        # A count of its own, read by no indicator: said so (learnsoc.io.unknown_measures).
        with pytest.warns(UnknownMeasuresWarning, match="no indicator reads the columns Khác"):
            roll = ls.io.rollup_counts_file(path, TREE)
    assert roll.rejects is not None
    assert _lines(roll) == [(3, "not_a_number", "Khác", "chưa rõ")]
    assert int(roll.unit("00004")["Khác"]) == 3 + 2
    assert _commune(roll) == (90 + 50, 120 + 50)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_measures_column_of_words_still_rejects_its_rows(tmp_path: Path, kind: str) -> None:
    """``clans`` is a measure: words there are a mistake, said row by row."""
    names = ["unit_code", "families", "learning_families", "clans"]
    rows: list[list[object]] = [[*r, n] for r, n in zip(ROWS, NOTES, strict=True)]
    write = _csv if kind == "csv" else _xlsx
    path = write(tmp_path / f"bao_cao.{kind}", names, rows)
    with warnings.catch_warnings():
        warnings.simplefilter("error", TextColumnWarning)
        roll = ls.io.rollup_counts_file(path, TREE)
    assert roll.rejects is not None
    assert [found[:3] for found in _lines(roll)] == [
        (2, "not_a_number", "clans"),
        (3, "missing_value", "clans"),
        (4, "not_a_number", "clans"),
    ]
    assert roll.rejects.read["counts"] == 3 == len(roll.rejects.rows("counts"))


def test_a_column_the_mapping_names_still_rejects_its_words(tmp_path: Path) -> None:
    names, rows = _with_notes("Khác")
    path = _csv(tmp_path / "bao_cao.csv", names, rows)
    mapping = tmp_path / "so_lieu.toml"
    mapping.write_text('[mapping]\ndelimiter = ";"\n[counts.columns]\n"Khác" = "other"\n', "utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", TextColumnWarning)
        roll = ls.io.rollup_counts_file(path, TREE, mapping=mapping)
    assert roll.rejects is not None
    assert [found[:2] for found in _lines(roll)] == [
        (2, "not_a_number"),
        (3, "missing_value"),
        (4, "not_a_number"),
    ]


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        ("en", "learnsoc: warning: bao_cao.xlsx, column Tình trạng: words, not numbers"),
        ("vi", "learnsoc: cảnh báo: bao_cao.xlsx, cột Tình trạng: chỉ có chữ, không có số"),
    ],
)
def test_the_command_line_says_it_in_the_readers_language(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    locale: str,
    said: str,
) -> None:
    """A header of two words (``Tình trạng``) was refused as no count name: now a note."""
    monkeypatch.chdir(tmp_path)
    units = "code;name;level;parent_code\n01;Hà Nội;province;\n00004;Xã Minh Phú;commune;01\n"
    units += "".join(f"{c};Thôn {c[-1]};village;00004\n" for c, _, _ in ROWS)
    Path("don_vi.csv").write_text(units, encoding="utf-8")
    names, rows = _with_notes("Tình trạng")
    _xlsx(tmp_path / "bao_cao.xlsx", names, rows)
    argv = ["rollup", "--counts", "bao_cao.xlsx", "--units", "don_vi.csv", "--out", "r.csv"]
    assert main([*argv, "--locale", locale]) == 0
    err = capsys.readouterr().err
    assert said in err
    written = Path("r.csv").read_text(encoding="utf-8").splitlines()
    head = written[0].split(",")
    commune = next(r.split(",") for r in written[1:] if r.split(",")[head.index("code")] == "00004")
    assert commune[head.index("learning_families")] == "180"


def test_an_inputs_sheets_notes_column_is_no_input(folder: Path) -> None:  # noqa: F811
    """``Ghi chú`` beside the evaluators' marks stopped the read as an unknown input."""
    head = "STT;Tên thôn;village_learning_activities"
    rows = ["1;Thôn Tây;1", "2;Thôn Bắc;0"]
    write(folder, "plain_names.csv", "\n".join([head, *rows]) + "\n")
    noted = [f"{r};{n}" for r, n in zip(rows, ["đã kiểm tra, đạt", ""], strict=True)]
    write(folder, "ghi_chu.csv", "\n".join([f"{head};Ghi chú", *noted]) + "\n")
    pop = ls.read_population(
        folder / "p.csv",
        households=folder / "h.csv",
        units=folder / "u.csv",
        levels=["province", "commune", "village"],
    )
    book = ls.load_rulebook("vn-national")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ls.errors.LearnsocWarning)  # villages by name
        want, want_rejects = ls.read_inputs("plain_names.csv", book, pop)
        got, rejects = ls.read_inputs("ghi_chu.csv", book, pop)
    values = got["village"]["village_learning_activities"]
    np.testing.assert_array_equal(values, want["village"]["village_learning_activities"])
    assert sorted(int(v) for v in values[~np.isnan(values)]) == [0, 1]
    assert rejects.counts()["village inputs"] == want_rejects.counts()["village inputs"]
