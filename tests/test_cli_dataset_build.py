"""``learnsoc dataset``: province folders of messy files into a dataset, as a new user would.

The folders (tests/io/dataset_folders.py) hold a Vietnamese Excel header under a title row,
a CSV in cp1258, a CSV with a BOM and (``bad_cell``) a row whose age is words. The dataset
they make evaluates to the counts of the same files concatenated, read in memory.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.cli import main
from tests.io.dataset_folders import concatenate, make_folders, population
from tests.optional import needs, require

pytestmark = needs("pyarrow")
require("openpyxl")

READING = ["--mapping", "mapping.toml", "--encoding", "cp1258", "--header-row", "2"]
BOOK = ["--rulebook", "vn-national", "--as-of", "2025-12-31"]


@pytest.fixture(scope="module")
def whole() -> ls.Population:
    return population(persons=900, seed=4)


def folders(
    root: Path, whole: ls.Population, monkeypatch: pytest.MonkeyPatch, *, bad: bool
) -> list[str]:
    make_folders(root, whole, bad_cell=bad)
    monkeypatch.chdir(root)
    return ["tinh-01", "tinh-02", "tinh-03"]


def build(*args: str, locale: str = "en") -> int:
    return main(
        ["dataset", "--out", "DIR", "--units", "units.csv", *READING, *args, "--locale", locale]
    )


def test_clean_folders_make_a_dataset(
    whole: ls.Population,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A line per partition, the counts read, exit 0; the dataset opens whole."""
    names = folders(tmp_path, whole, monkeypatch, bad=False)
    assert build(*names) == 0
    err = capsys.readouterr().err
    ds = ls.read_dataset(tmp_path / "DIR")
    for key, folder in zip(ds.partitions, names, strict=True):
        rows = ds.rows[key]
        assert (
            f"partition {key} ({key}) from {folder}: {rows['persons']:,} persons, "
            f"{rows['households']:,} households, {rows['clans']:,} clans, "
            f"{rows['organisations']:,} organisations"
        ) in err
    assert "person: read 900, accepted 900, 0 rows rejected" in err
    assert err.rstrip().endswith("accepted + rejected = read: OK")
    assert ds.n_persons == whole.n_persons


def test_the_dataset_counts_as_the_files_concatenated(
    whole: ls.Population,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Built with --drop-rejected, evaluated by folder: the counts of one read of all files."""
    names = folders(tmp_path, whole, monkeypatch, bad=True)
    assert build(*names, "--drop-rejected", "--rejects", "rejects.csv") == 1
    err = capsys.readouterr().err
    assert "person: read 901, accepted 900, 1 row rejected" in err
    assert "wrote DIR: 900 persons, 250 households" in err
    with open("rejects.csv", encoding="utf-8-sig", newline="") as f:
        rejected = list(csv.DictReader(f))
    assert [(r["file"], r["line"], r["column"], r["value"]) for r in rejected] == [
        (str(Path("tinh-03") / "persons.csv"), "235", "age", "ba mươi")
    ]
    # Exit 1, as for the files: the dataset keeps the row rejected when it was built.
    assert main(["evaluate", "DIR", *BOOK, "--out", "results", "--locale", "en"]) == 1
    captured = capsys.readouterr()
    by_folder = captured.out
    assert "person: read 901, accepted 900, 1 row rejected" in captured.err
    files = concatenate([tmp_path / n for n in names], tmp_path / "all")
    code = main(
        [
            "evaluate",
            str(files["persons"]),
            "--households",
            str(files["households"]),
            "--clans",
            str(files["clans"]),
            "--organisations",
            str(files["organisations"]),
            "--memberships",
            str(files["memberships"]),
            "--units",
            "units.csv",
            "--mapping",
            "mapping.toml",
            *BOOK,
            "--locale",
            "en",
        ]
    )
    assert code == 1  # the same bad row, rejected
    in_memory = capsys.readouterr().out
    assert by_folder == in_memory
    summary = json.loads((tmp_path / "results" / "summary.json").read_text("utf-8"))
    assert summary["titles"][0]["entities"] == 900


def test_rejected_rows_write_no_dataset(
    whole: ls.Population,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Without --drop-rejected: every folder read, the rows written to --rejects, no DIR."""
    names = folders(tmp_path, whole, monkeypatch, bad=True)
    assert build(*names, "--rejects", "rejects.xlsx") == 1
    err = capsys.readouterr().err
    assert "learnsoc dataset: no dataset written: rows were rejected (above)" in err
    assert not (tmp_path / "DIR").exists()
    assert (tmp_path / "rejects.xlsx").is_file()
    assert build(*names, locale="vi") == 1
    err = capsys.readouterr().err
    assert "learnsoc dataset: không ghi bộ dữ liệu: có dòng bị loại (xem ở trên)" in err
    assert "người: đọc 901, nhận 900, 1 dòng bị loại" in err
    assert not (tmp_path / "DIR").exists()


def test_a_folder_given_twice_is_refused(
    whole: ls.Population,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The same province twice: the partition is named, in the locale; no dataset."""
    folders(tmp_path, whole, monkeypatch, bad=False)
    (tmp_path / "copy").mkdir()
    for file in (tmp_path / "tinh-02").iterdir():
        (tmp_path / "copy" / file.name).write_bytes(file.read_bytes())
    assert build("tinh-02", "copy", locale="vi") == 1
    err = capsys.readouterr().err
    assert (
        "learnsoc: lỗi: copy: phân vùng '02' đã được ghi (từ tinh-02); mỗi phân vùng chỉ được "
        "ghi một lần" in err
    )
    assert not (tmp_path / "DIR").exists()


def test_usage_errors(
    whole: ls.Population,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Folders without the standard files, a bad level, a used folder: exit 2, named."""
    names = folders(tmp_path, whole, monkeypatch, bad=False)
    (tmp_path / "empty").mkdir()
    assert build("empty") == 2
    assert (
        "empty: no persons file; name it persons / nhan_khau (.csv, .txt, .tsv, .xlsx, "
        ".parquet or .arrow)" in capsys.readouterr().err
    )
    (tmp_path / "tinh-01" / "persons.csv").write_text("person_id\n")
    assert build("tinh-01") == 2
    assert "tinh-01: two persons files (persons.csv and persons.xlsx); keep one" in (
        capsys.readouterr().err
    )
    assert build("nowhere") == 2
    assert "nowhere: not a folder" in capsys.readouterr().err
    assert build(*names[1:], "--partition-by", "provinces") == 2
    assert "--partition-by: 'provinces' is not a level of units.csv" in capsys.readouterr().err
    assert main(["dataset", "--out", "DIR", *names[1:]]) == 2
    assert "give the units table of the whole country with --units" in capsys.readouterr().err
    (tmp_path / "DIR").mkdir()
    (tmp_path / "DIR" / "x.txt").write_text("x")
    assert build(*names[1:]) == 2
    assert "a dataset is written into a new or empty folder" in capsys.readouterr().err


#: An agency's names for the standard files, as Windows and macOS write them (macOS
#: decomposes accents: NFD), each table's file renamed in every folder.
VIETNAMESE_NAMES = {
    "persons": "Nhân khẩu",
    "households": unicodedata.normalize("NFD", "Hộ gia đình"),
    "clans": "DONG_HO",
    "organisations": "co-quan",
    "memberships": "thanh vien",
}


def test_files_named_in_vietnamese_make_the_same_dataset(
    whole: ls.Population,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``Nhân khẩu.xlsx``, ``Hộ gia đình.csv`` ... are read as persons, households ...

    Before, only learnsoc's English table names were read: a folder of ``nhan_khau.csv``
    and ``ho_gia_dinh.csv`` had "no persons file".
    """
    names = folders(tmp_path, whole, monkeypatch, bad=False)
    assert build(*names) == 0
    standard = ls.read_dataset(tmp_path / "DIR")
    renamed = 0
    for folder in names:
        for file in sorted((tmp_path / folder).iterdir()):
            new = VIETNAMESE_NAMES[file.stem] + file.suffix
            file.rename(file.with_name(new))
            renamed += 1
    assert renamed == 5 * len(names)
    capsys.readouterr()
    assert main(["dataset", "--out", "VI", "--units", "units.csv", *READING, *names]) == 0
    ours = ls.read_dataset(tmp_path / "VI")
    assert ours.rows == standard.rows
    assert ours.n_persons == standard.n_persons == whole.n_persons
    for key in standard.partitions:
        a, b = standard.partition(key), ours.partition(key)
        assert (a.n_persons, a.n_households, a.n_clans) == (b.n_persons, b.n_households, b.n_clans)


def test_help_reads_in_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    """learnsoc dataset --help in Vietnamese, with the reading options of validate."""
    assert main(["dataset", "--help", "--locale", "vi"]) == 0
    out = capsys.readouterr().out
    assert "tạo bộ dữ liệu phân vùng" in out or "Đọc các tệp của từng thư mục" in out
    for option in ("--mapping", "--encoding", "--header-row", "--sheet", "--drop-rejected"):
        assert option in out
