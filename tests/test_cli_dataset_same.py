"""The same messy files, in memory and through a dataset: the same rows, the same figures.

An agency's files with a bad cell in columns no rulebook reads (a yes/no that is "maybe",
points that are words, codes out of their list), a duplicate id, a member of an unknown
household, a household in an unknown village, and two rulebook inputs as columns of the
households and organisations files (one "maybe"). ``learnsoc evaluate`` and
``learnsoc report`` on the files must reject the rows and print the figures that
``learnsoc dataset --drop-rejected`` then ``learnsoc evaluate DIR`` and ``learnsoc report``
on its results give, for every bundled rulebook; the rejects files are the same lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.cli import main
from tests.io.messy_files import BAD_CELLS, excel_rows, messy_folder, rows
from tests.optional import needs, require

pytestmark = needs("pyarrow")
require("openpyxl")

BOOKS = ("vn-national", "hanoi", "example")
AS_OF = "2025-12-31"
FILES = [
    "all/persons.xlsx",
    "--households",
    "all/households.csv",
    "--units",
    "all/units.csv",
    "--clans",
    "all/clans.csv",
    "--organisations",
    "all/organisations.csv",
    "--memberships",
    "all/memberships.csv",
]


@pytest.fixture(scope="module")
def agency(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The messy folder and the dataset built from it (rows rejected dropped)."""
    root = tmp_path_factory.mktemp("agency")
    messy_folder(root, persons="xlsx")
    here = Path.cwd()
    try:
        import os

        os.chdir(root)
        # The rulebook whose inputs the files hold as columns: kept in the dataset.
        args = ["dataset", "all", "--units", "all/units.csv", "--out", "DIR"]
        args += ["--rulebook", "vn-national"]
        assert main([*args, "--drop-rejected", "--rejects", "dataset-rejects.csv"]) == 1
    finally:
        os.chdir(here)
    return root


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(args)
    return code, capsys.readouterr().out


@pytest.mark.parametrize("book", BOOKS)
def test_evaluate_files_equals_evaluate_dataset(
    book: str, agency: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every title's counts are the same, and so are the rows rejected (file, line, column)."""
    monkeypatch.chdir(agency)
    rules = ["--rulebook", book, "--as-of", AS_OF]
    code, in_memory = _run(["evaluate", *FILES, *rules, "--rejects", f"{book}.csv"], capsys)
    assert code == 1  # rows were rejected
    code, from_dataset = _run(["evaluate", "DIR", *rules, "--out", f"results-{book}"], capsys)
    assert code == 1  # the rows rejected when the dataset was built, as for the files
    assert in_memory == from_dataset
    assert "learning citizen" in in_memory
    # Titles decided on the members with data (none by the example's criteria on these
    # files) are said alike by the files and the dataset.
    assert ("with data; " in in_memory) == (book != "example")
    assert rows(agency / f"{book}.csv") == rows(agency / "dataset-rejects.csv")
    rejected = {(r[0], r[1], r[3], r[5]) for r in rows(agency / f"{book}.csv")[1:]}
    suffix = {"persons": "xlsx", "households": "csv", "organisations": "csv"}
    assert {(f"all/{t}.{suffix[t]}", *rest) for t, *rest in BAD_CELLS} <= rejected
    # The persons the dataset holds are those accepted in memory (accepted + rejected = read).
    ds = ls.read_dataset(agency / "DIR")
    read = len(excel_rows(agency / "all" / "persons.xlsx")) - 1
    persons = {r[1] for r in rows(agency / f"{book}.csv")[1:] if r[2] == "person"}
    assert ds.n_persons == read - len(persons)


@pytest.mark.parametrize("book", BOOKS)
def test_report_files_equals_report_of_dataset_results(
    book: str, agency: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The results table from the files is the one from the dataset, and from its results."""
    monkeypatch.chdir(agency)
    rules = ["--rulebook", book, "--as-of", AS_OF]
    csv_out = ["--format", "csv", "--quiet"]
    code, from_files = _run(["report", *FILES, *rules, *csv_out], capsys)
    assert code == 1
    code, from_dataset = _run(["report", "DIR", *rules, *csv_out], capsys)
    assert code == 1  # the dataset's rows rejected when built, said as for the files
    assert from_files == from_dataset
    folder = f"results-report-{book}"
    assert main(["evaluate", "DIR", *rules, "--out", folder, "--quiet"]) == 1
    code, from_results = _run(["report", folder, *csv_out], capsys)
    assert code == 1
    assert from_files == from_results


def test_a_rulebook_input_column_without_rulebook_says_which(
    agency: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --rulebook, an input column of a bundled rulebook is named with the option."""
    monkeypatch.chdir(agency)
    capsys.readouterr()
    args = ["dataset", "all", "--units", "all/units.csv", "--out", "NO-RULEBOOK"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "unknown column in all/households.csv" in err
    assert "'children_results_good'" in err
    assert "--rulebook vn-national" in err
    assert not (agency / "NO-RULEBOOK" / "manifest.json").exists()
