"""``learnsoc dataset``: the same id in two provinces' folders, as reading them together.

The files are written here by hand: two province folders (one persons table a workbook)
where person 3 and household 2 are in both. Read together in memory, every copy is
rejected (``duplicate_id``) with the rows referring to them; the dataset must reject the
same rows, name their files and lines, count them, and write the rest.
"""

from __future__ import annotations

import csv
import json
import warnings
from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.io import read_units
from tests.optional import needs, require

pytestmark = needs("pyarrow")
require("openpyxl")

UNITS = "code,name,level,parent_code\n01,A,province,\n02,B,province,\n0101,A1,commune,01\n" + (
    "0201,B1,commune,02\n"
)
PERSONS_01: list[list[object]] = [
    ["person_id", "household_id", "age"],
    [1, 1, 30],
    [2, 1, 8],
    [3, 2, 40],
]
HOUSEHOLDS_01 = "household_id,unit_code\n1,0101\n2,0101\n"
# Person 3 and household 2 again; person 5 lives in household 2; person 6's age is words.
PERSONS_02: list[list[object]] = [
    ["person_id", "household_id", "age"],
    [4, 3, 50],
    [3, 3, 20],
    [5, 2, 60],
    [6, 3, "ba mươi"],
]
HOUSEHOLDS_02 = "household_id,unit_code\n3,0201\n2,0201\n"
LEVELS = ["--levels", "province,commune"]


def _write_csv(path: Path, rows: list[list[object]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


def make_files(root: Path) -> None:
    """Two province folders by hand, and the same rows as one set of files (``all/``)."""
    from openpyxl import Workbook

    (root / "units.csv").write_text(UNITS, "utf-8")
    one, two, together = root / "tinh-01", root / "tinh-02", root / "all"
    for folder in (one, two, together):
        folder.mkdir()
    _write_csv(one / "persons.csv", PERSONS_01)
    (one / "households.csv").write_text(HOUSEHOLDS_01, "utf-8")
    book = Workbook()
    for row in PERSONS_02:
        book.active.append(row)
    book.save(two / "persons.xlsx")
    (two / "households.csv").write_text(HOUSEHOLDS_02, "utf-8")
    _write_csv(together / "persons.csv", [*PERSONS_01, *PERSONS_02[1:]])
    (together / "households.csv").write_text(HOUSEHOLDS_01 + HOUSEHOLDS_02.split("\n", 1)[1])


def in_memory(root: Path) -> ls.Population:
    return ls.read_population(
        root / "all" / "persons.csv",
        households=root / "all" / "households.csv",
        units=root / "units.csv",
        levels=["province", "commune"],
        bars=False,
    )


def rejected(path: Path) -> list[tuple[str, str, str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return sorted((r["file"], r["line"], r["column"], r["reason"]) for r in csv.DictReader(f))


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    make_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_an_id_in_two_folders_is_rejected_in_both(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Both copies rejected with the rows that refer to them, as read together; rest written."""
    whole = in_memory(files)
    code = main(
        [
            "dataset",
            "--out",
            "DIR",
            "--units",
            "units.csv",
            *LEVELS,
            "--drop-rejected",
            "--rejects",
            "rejects.csv",
            "tinh-01",
            "tinh-02",
            "--locale",
            "en",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    for table, (read, accepted, n) in whole.rejects.counts().items():
        rows = "row" if n == 1 else "rows"
        assert f"{table}: read {read}, accepted {accepted}, {n} {rows} rejected" in err
    assert whole.rejects.counts()["person"] == (7, 3, 4)
    assert "accepted + rejected = read: OK" in err
    assert "tinh-02, read again: ids also in another folder's files are rejected" in err
    one, two = str(Path("tinh-01") / "persons.csv"), str(Path("tinh-02") / "persons.xlsx")
    h1, h2 = str(Path("tinh-01") / "households.csv"), str(Path("tinh-02") / "households.csv")
    assert rejected(files / "rejects.csv") == sorted(
        [
            (h1, "3", "household_id", "duplicate_id"),
            (h2, "3", "household_id", "duplicate_id"),
            (one, "4", "household_id", "rejected_household"),
            (one, "4", "person_id", "duplicate_id"),
            (two, "3", "person_id", "duplicate_id"),
            (two, "4", "household_id", "rejected_household"),
            (two, "5", "age", "not_a_number"),
        ]
    )
    # The same reasons as the files read together, row for row.
    assert sorted((r.column, r.reason) for r in whole.rejects.records("en")) == sorted(
        (column, reason) for _, _, column, reason in rejected(files / "rejects.csv")
    )
    ds = ls.read_dataset(files / "DIR")
    assert ds.n_persons == whole.n_persons == 3
    assert sum(r["households"] for r in ds.rows.values()) == whole.n_households == 2
    together = [ds.partition(k) for k in ds.partitions]
    assert sorted(i for p in together for i in p.person_ids.tolist()) == sorted(
        whole.person_ids.tolist()
    )


def test_without_drop_rejected_no_dataset_and_every_copy_listed(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No error at close: exit 1, no dataset, the duplicates in --rejects (in Vietnamese)."""
    for path in (files / "tinh-02" / "persons.xlsx",):
        path.unlink()
    _write_csv(files / "tinh-02" / "persons.csv", PERSONS_02[:4])
    code = main(
        [
            "dataset",
            "--out",
            "DIR",
            "--units",
            "units.csv",
            *LEVELS,
            "--rejects",
            "rejects.csv",
            "tinh-01",
            "tinh-02",
            "--locale",
            "vi",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    assert not (files / "DIR").exists()
    assert "không ghi bộ dữ liệu" in err
    assert "người: đọc 6, nhận 3, 3 dòng bị loại" in err
    assert "hộ gia đình: đọc 4, nhận 2, 2 dòng bị loại" in err
    assert len(rejected(files / "rejects.csv")) == 6


def _build(*more: str) -> int:
    return main(
        [
            "dataset",
            "--out",
            "DIR",
            "--units",
            "units.csv",
            *LEVELS,
            "--drop-rejected",
            *more,
            "tinh-01",
            "tinh-02",
        ]
    )


BOOK = ["--rulebook", "example", "--as-of", "2025-12-31"]


def test_the_dataset_keeps_the_rows_rejected_when_built(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """read_dataset, evaluate_dataset, evaluate DIR and report give read/accepted/rejected.

    The counts are those of the same files read together in memory, printed and in JSON,
    in English and Vietnamese; the rejected rows are listed in DIR/rejects.csv.
    """
    whole = in_memory(files)
    assert _build() == 1
    capsys.readouterr()
    ds = ls.read_dataset("DIR")
    assert ds.rejects.counts() == whole.rejects.counts()
    assert ds.rejects.file is not None
    assert len(rejected(Path(ds.rejects.file))) == len(whole.rejects.records())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ls.errors.LearnsocWarning)  # inputs not given
        result = ls.evaluate_dataset("DIR", "example", "2025-12-31")
    assert result.rejects.counts() == whole.rejects.counts()
    assert whole.rejects.describe("en") in result.summary().to_text("en")
    assert whole.rejects.describe("vi") in result.summary().to_text("vi")
    assert result.summary().to_dict()["rows"]["person"] == {
        "read": 7,
        "accepted": 3,
        "rejected": 4,
        "skipped": 0,
    }

    # The command line, as for the files: exit 1 and the counts on stderr.
    code = main(["evaluate", "DIR", *BOOK, "--out", "results", "--workers", "2"])
    err = capsys.readouterr().err
    assert code == 1
    assert whole.rejects.describe("en") in err
    assert f"(the rows rejected, with their files and lines: {Path('DIR') / 'rejects.csv'})" in err
    saved = json.loads((files / "results" / "summary.json").read_text("utf-8"))
    assert {
        t: tuple(c[k] for k in ("read", "accepted", "rejected")) for t, c in saved["rows"].items()
    } == whole.rejects.counts()
    for argv, locale in ((["report", "results"], "vi"), (["report", "DIR", *BOOK], "en")):
        assert main(["--locale", locale, *argv]) == 1
        # The report on stdout lists the rows read; the summary on stderr does not repeat them.
        out, err = capsys.readouterr()
        for line in whole.rejects.describe(locale).splitlines():
            assert (out + err).count(line) == 1, (argv, line)
    assert "người: đọc 7, nhận 3, 4 dòng bị loại" in whole.rejects.describe("vi")


def test_a_clean_build_evaluates_with_exit_code_0(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Files with no bad row: the counts are said, accepted = read, and the exit code is 0."""
    (files / "tinh-02" / "persons.xlsx").unlink()
    _write_csv(files / "tinh-02" / "persons.csv", [PERSONS_02[0], PERSONS_02[1]])
    (files / "tinh-02" / "households.csv").write_text("household_id,unit_code\n3,0201\n")
    assert _build() == 0
    assert main(["evaluate", "DIR", *BOOK, "--out", "results"]) == 0
    err = capsys.readouterr().err
    assert "person: read 4, accepted 4, 0 rows rejected" in err
    assert not (files / "DIR" / "rejects.csv").exists()
    assert ls.read_dataset("DIR").rejects.file is None


def test_the_python_writer_dropping_rejects_does_as_the_cli(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``DatasetWriter(rejects="drop")`` rejects every copy at close, as the CLI and memory.

    The old writer raised at close (an id in two partitions) whatever ``rejects`` said.
    """
    whole = in_memory(files)
    tree, units = ls.io.read_units(files / "units.csv", levels=["province", "commune"])
    with ls.DatasetWriter(files / "PY", tree, rejects="drop") as writer:
        writer.add_rejects(units)
        for folder, persons in (("tinh-01", "persons.csv"), ("tinh-02", "persons.xlsx")):
            pop = ls.read_population(
                files / folder / persons,
                households=files / folder / "households.csv",
                hierarchy=tree,
                bars=False,
            )
            writer.write(pop, source=folder)
    assert writer.rejects.counts() == whole.rejects.counts()
    assert writer.rejects.counts()["person"] == (7, 3, 4)
    # The rows rejected are those the files read together reject, reason for reason.
    listed = rejected(files / "PY" / "rejects.csv")
    assert sorted((column, reason) for _, _, column, reason in listed) == sorted(
        (r.column, r.reason) for r in whole.rejects.records("en")
    )
    assert main(["dataset", "--out", "CLI", "--units", "units.csv", *LEVELS, "--drop-rejected",
                 "tinh-01", "tinh-02", "--quiet"]) == 1  # fmt: skip
    capsys.readouterr()
    py, cli = ls.read_dataset(files / "PY"), ls.read_dataset(files / "CLI")
    assert py.rows == cli.rows
    for key in cli.partitions:
        assert py.partition(key).person_ids.tolist() == cli.partition(key).person_ids.tolist()
    assert py.rejects.counts() == cli.rejects.counts()


def test_the_python_writer_names_rejects_by_the_files_read_as_the_cli(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``write(..., read_again=...)``: DIR/rejects.csv names the user's files and lines.

    Before, the ids in two partitions were rejected in the partition's Parquet files, and
    named so (``persons/province=01/part-0.parquet, line 3``), not as the CLI names them
    (``tinh-01/persons.csv, line 4``).
    """
    import functools

    tree, units = read_units(Path("units.csv"), levels=["province", "commune"])
    with ls.DatasetWriter("PY", tree, rejects="drop", locale="en") as writer:
        writer.add_rejects(units)
        for folder, persons in (("tinh-01", "persons.csv"), ("tinh-02", "persons.xlsx")):
            read = functools.partial(
                ls.read_population,
                Path(folder) / persons,
                households=Path(folder) / "households.csv",
                hierarchy=tree,
                bars=False,
            )
            writer.write(read(), source=folder, read_again=read)
    assert main(["dataset", "--out", "CLI", "--units", "units.csv", *LEVELS, "--drop-rejected",
                 "tinh-01", "tinh-02", "--quiet", "--locale", "en"]) == 1  # fmt: skip
    capsys.readouterr()
    listed = (files / "PY" / "rejects.csv").read_text("utf-8-sig")
    assert listed == (files / "CLI" / "rejects.csv").read_text("utf-8-sig")
    one = str(Path("tinh-01") / "persons.csv")
    assert f"{one}, line 4, column person_id: id '3' appears more than once" in listed
    # The same rows as the files read together (in memory), each in its own file.
    whole = in_memory(files)
    assert writer.rejects.counts() == whole.rejects.counts()
    assert len(rejected(files / "PY" / "rejects.csv")) == len(whole.rejects.records())
    py, cli = ls.read_dataset(files / "PY"), ls.read_dataset(files / "CLI")
    assert py.rows == cli.rows
    assert py.rejects.counts() == cli.rejects.counts()
