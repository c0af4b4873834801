"""A published report says the rows its figures leave out, in every form and language.

A dataset built with ``--drop-rejected`` keeps its build's rows read / accepted /
rejected; ``learnsoc report`` printed them on stderr only, so the HTML page, the workbook
and the Markdown an agency publishes did not say that a row was left out. The
``rejects.csv`` the dataset keeps was in English whatever ``--locale`` said, where the
``--rejects`` file of the same run was in the reader's language.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.cli import main
from tests._workbooks import column_ids
from tests.io.dataset_folders import make_folders, population
from tests.optional import needs, require

pytestmark = needs("pyarrow")
require("openpyxl")

READING = ["--mapping", "mapping.toml", "--encoding", "cp1258", "--header-row", "2"]
FOLDERS = ["tinh-01", "tinh-02", "tinh-03"]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A results folder of a dataset built with one row rejected (an age in words)."""
    root = tmp_path_factory.mktemp("rows-read")
    whole = population(persons=900, seed=4)
    make_folders(root, whole, bad_cell=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        args = ["dataset", "--out", "DIR", "--units", "units.csv", *READING, "--drop-rejected"]
        assert main([*args, "--rejects", "given.csv", "--locale", "vi", *FOLDERS]) == 1
        book = ["--rulebook", "vn-national", "--as-of", "31/12/2025"]
        assert main(["evaluate", "DIR", *book, "--out", "results", "--locale", "en"]) == 1
    return root


def _persons_rows(root: Path) -> int:
    """The persons rows the folders' files hold, counted from the files themselves."""
    from openpyxl import load_workbook

    n = 0
    for folder in FOLDERS:
        workbook = root / folder / "persons.xlsx"
        if workbook.exists():
            book = load_workbook(workbook, read_only=True)
            rows = book.worksheets[0].iter_rows(values_only=True)
            n += sum(1 for row in rows if any(row)) - 2  # a title row above the header
            book.close()
        else:
            text = (root / folder / "persons.csv").read_bytes()
            n += len([line for line in text.splitlines() if line.strip()]) - 1
    return n


def _report(root: Path, *args: str, locale: str) -> int:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        return main(["report", "results", "--targets", "hanoi-23-nq-tu", *args, "--locale", locale])


def test_the_dataset_rejects_file_is_in_the_readers_language(results: Path) -> None:
    """DIR/rejects.csv says what the --rejects file of the same run says, column for column.

    Its columns, tables, columns named in it and reason codes stay learnsoc's names, as in
    every --rejects file; the message is in the language of the run.
    """
    with open(results / "given.csv", encoding="utf-8-sig", newline="") as f:
        given = list(csv.DictReader(f))
    with open(results / "DIR" / "rejects.csv", encoding="utf-8-sig", newline="") as f:
        kept = list(csv.DictReader(f))
    assert kept == given
    (row,) = kept
    assert list(row) == ["file", "line", "table", "column", "value", "reason", "message", "row"]
    assert (row["table"], row["column"], row["reason"]) == ("person", "age", "not_a_number")
    assert "dòng 235, cột Tuổi: giá trị 'ba mươi' không phải là số" in row["message"]


def test_python_datasets_write_their_rejects_in_the_locale_asked(tmp_path: Path) -> None:
    """ls.write_dataset(locale=...) writes rejects.csv's messages in that language."""
    pop = ls.synthetic_population(persons=300, seed=2)
    persons = tmp_path / "persons.csv"
    ls.io.write_population(pop, tmp_path)
    lines = persons.read_text("utf-8").splitlines()
    header = lines[0].split(",")
    bad = lines[1].split(",")
    bad[header.index("age")] = "ba mươi"
    persons.write_text("\n".join([*lines, ",".join(bad)]) + "\n", "utf-8")
    read = ls.read_population(
        persons, households=tmp_path / "households.csv", units=tmp_path / "units.csv"
    )
    assert len(read.rejects) > 0
    for locale, words in (("vi", "không phải là số"), ("en", "is not a number")):
        ls.write_dataset(read, tmp_path / locale, locale=locale)
        text = (tmp_path / locale / "rejects.csv").read_text("utf-8-sig")
        assert text.startswith("file,line,table,column,value,reason,message")
        assert words in text


@pytest.mark.parametrize(
    ("locale", "person", "rows_read", "rejected_file"),
    [
        (
            "en",
            "person: read {read}, accepted {accepted}, 1 row rejected",
            "Rows read, accepted, rejected",
            "(the rows rejected, with their files and lines: {file})",
        ),
        (
            "vi",
            "người: đọc {read}, nhận {accepted}, 1 dòng bị loại",
            "Số dòng đã đọc, được nhận, bị loại",
            "(các dòng bị loại, kèm tệp và số dòng: {file})",
        ),
    ],
)
def test_every_form_of_the_report_says_the_rows_read(
    results: Path, locale: str, person: str, rows_read: str, rejected_file: str
) -> None:
    """Text, Markdown and HTML reports carry the build's counts, as stderr says them."""
    read = _persons_rows(results)
    assert read == 901  # the 900 persons and the one whose age is words
    line = person.format(read=read, accepted=read - 1)  # under 1,000: no separator
    listed = rejected_file.format(file=Path("DIR") / "rejects.csv")
    for suffix in ("txt", "md", "html"):
        out = results / f"report-{locale}.{suffix}"
        assert _report(results, "--out", out.name, locale=locale) == 1
        text = out.read_text("utf-8")
        assert rows_read in text, suffix
        assert line in text, suffix
        assert listed in text, suffix


def test_the_workbook_has_a_sheet_of_the_rows_read(results: Path) -> None:
    """The .xlsx report has a rows_read sheet: a row per table, named in the locale."""
    from openpyxl import load_workbook

    assert _report(results, "--out", "report.xlsx", locale="vi") == 1
    workbook = load_workbook(results / "report.xlsx")
    assert workbook.sheetnames == ["tiến độ", "ghi chú", "số dòng đã đọc"]
    rows = [[c.value for c in row] for row in workbook["số dòng đã đọc"].iter_rows()]
    assert column_ids(workbook["số dòng đã đọc"]) == [
        "table",
        "table_label",
        "read",
        "accepted",
        "rejected",
        "skipped",
        "rejects_file",
    ]
    by_table = {row[0]: row for row in rows[1:]}
    read = _persons_rows(results)
    assert by_table["person"] == [
        "person",
        "người",
        read,
        read - 1,
        1,
        0,
        str(Path("DIR") / "rejects.csv"),
    ]
    assert all(row[2] == row[3] + row[4] + row[5] for row in rows[1:])  # read = the rest


def test_the_json_report_counts_the_rows_read(results: Path) -> None:
    """JSON keeps every table's counts, as the dataset's manifest does."""
    assert _report(results, "--out", "report.json", locale="en") == 1
    doc = json.loads((results / "report.json").read_text("utf-8"))
    manifest = json.loads((results / "DIR" / "manifest.json").read_text("utf-8"))
    assert doc["rows_read"] == manifest["rejects"]["tables"]
    assert doc["rows_read"]["person"]["rejected"] == 1
    assert doc["rejects_file"] == str(Path("DIR") / "rejects.csv")


def test_a_report_of_clean_files_says_nothing_more(tmp_path: Path) -> None:
    """No row rejected or skipped: the report reads as before, with no rows-read block."""
    pop = ls.synthetic_population(persons=400, seed=3)
    ls.io.write_population(pop, tmp_path)
    args = [
        "report",
        str(tmp_path / "persons.csv"),
        "--households",
        str(tmp_path / "households.csv"),
        "--units",
        str(tmp_path / "units.csv"),
        "--rulebook",
        "vn-national",
        "--as-of",
        "31/12/2025",
        "--locale",
        "en",
    ]
    assert main([*args, "--out", str(tmp_path / "r.html")]) == 0
    assert "Rows read" not in (tmp_path / "r.html").read_text("utf-8")
