"""The command line end to end, through a subprocess: files -> validate -> evaluate -> report."""

from __future__ import annotations

import html
import os
import subprocess
import sys
from pathlib import Path

import pytest

import learnsoc as ls
from tests.io.helpers import PERSONS, blank_sentinels, csv_text, files, write
from tests.optional import needs

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "error"}
    return subprocess.run(
        [sys.executable, "-m", "learnsoc", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=env,
    )


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic province written as an agency would: CSV files, one bad person."""
    folder = tmp_path_factory.mktemp("province")
    pop = ls.synthetic_population(persons=4_000, seed=5, hierarchy="vn-pre-2025")
    persons = csv_text(blank_sentinels(pop.columns("person")))
    write(folder, "persons.csv", persons + "999999,1,300,1,1" + "," * 19 + "\n")
    write(folder, "households.csv", csv_text(blank_sentinels(pop.columns("household"))))
    write(folder, "units.csv", csv_text(pop.hierarchy.to_columns()))
    return folder


INPUTS = ("persons.csv", "--households", "households.csv", "--units", "units.csv")
OLD_TREE = ("--levels", "vn-pre-2025")


def test_validate_writes_the_rejects_and_exits_1(province: Path) -> None:
    done = run(
        "validate", *INPUTS, *OLD_TREE, "--rejects", "rejects.csv", "--locale", "vi", cwd=province
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""  # no data: every line is a message, on stderr
    assert "người: đọc 4.001, nhận 4.000, 1 dòng bị loại" in done.stderr
    assert "người: giá trị ngoài khoảng cho phép ở cột age: 1 dòng" in done.stderr
    assert done.stderr.strip().endswith("nhận + loại = đọc: OK")
    rows = (province / "rejects.csv").read_text("utf-8-sig").splitlines()
    assert rows[0] == "file,line,table,column,value,reason,message,row"
    assert rows[1].startswith("persons.csv,4002,person,age,300,out_of_range,")
    assert "persons.csv, dòng 4002, cột age" in rows[1]
    assert len(rows) == 2


def test_validate_clean_files_exits_0(tmp_path: Path) -> None:
    files(tmp_path)
    done = run("validate", *INPUTS, "--quiet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (done.stdout, done.stderr) == ("", "accepted + rejected = read: OK\n")


@needs("pyarrow")
def test_evaluate_writes_verdicts(province: Path) -> None:
    import pyarrow.parquet as pq

    done = run(
        "evaluate", *INPUTS, *OLD_TREE, "--rulebook", "example", "--as-of", "2025-12-31",
        "--out", "verdicts.parquet", cwd=province,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr  # the bad person is still a rejected row
    assert "learning family" in done.stdout
    assert "accepted + rejected = read: OK" in done.stderr
    table = pq.read_table(province / "verdicts.parquet")
    titles = set(table.column("title").to_pylist())
    assert {"learning_citizen", "learning_family"} <= titles
    persons = [
        t
        for t, lv in zip(
            table.column("title").to_pylist(), table.column("level").to_pylist(), strict=True
        )
        if lv == "person"
    ]
    assert len(persons) == 4_000 * len(set(persons))


def test_evaluate_checks_every_column_unless_told(tmp_path: Path) -> None:
    """A bad value in a column the rulebook never reads rejects its row, as validate does.

    With --rulebook-columns that column is not read, and nobody is rejected.
    """
    text = """person_id,household_id,age,sex,literate,party_member
1,H1,40,1,1,7
2,H1,9,2,0,
3,H2,35,2,1,0
4,H3,70,1,1,1
"""
    files(tmp_path, persons=text)
    book = ("--rulebook", "example", "--as-of", "2025-12-31", "--quiet")
    done = run("evaluate", *INPUTS, *book, "--rulebook-columns", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    for given in ((), ("--all-columns",)):  # the default; the old flag still runs
        done = run("evaluate", *INPUTS, *book, *given, "--rejects", "r.csv", cwd=tmp_path)
        assert done.returncode == 1, done.stdout + done.stderr
        rows = (tmp_path / "r.csv").read_text("utf-8-sig").splitlines()
        assert [r.split(",")[:6] for r in rows[1:]] == [
            ["persons.csv", "2", "person", "party_member", "7", "unknown_code"]
        ]
    both = run("evaluate", *INPUTS, *book, "--rulebook-columns", "--all-columns", cwd=tmp_path)
    assert both.returncode == 2, both.stderr
    assert "not both" in both.stderr


def test_evaluate_reads_the_columns_of_the_versions_in_force(tmp_path: Path) -> None:
    """vn-national judged families on recorded children's results until 2020: read them then.

    Also in force: portal scores decide citizens only if citizen_from_points is set, so
    they are never read with the bundled values.
    """
    households = """household_id,unit_code,registered,children_results_good
H1,00001001,1,maybe
H2,00001002,1,1
H3,00004001,0,
"""
    persons = """person_id,household_id,age,sex,literate,citizen_points
1,H1,40,1,1,lots
2,H1,9,2,0,
3,H2,35,2,1,85
4,H3,70,1,1,
"""
    files(tmp_path, persons=persons, households=households)
    book = ("--rulebook", "vn-national", "--quiet", "--rejects", "r.csv", "--rulebook-columns")
    done = run("evaluate", *INPUTS, *book, "--as-of", "2025-12-31", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    done = run("evaluate", *INPUTS, *book, "--as-of", "2019-06-30", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    rows = (tmp_path / "r.csv").read_text("utf-8-sig").splitlines()
    assert [r.split(",")[:6] for r in rows[1:]] == [
        ["households.csv", "2", "household", "children_results_good", "maybe", "unknown_code"],
        ["persons.csv", "2", "person", "household_id", "H1", "rejected_household"],
        ["persons.csv", "3", "person", "household_id", "H1", "rejected_household"],
    ]


def test_report_from_files_is_html_with_the_numbers(province: Path) -> None:
    done = run(
        "report", *INPUTS, *OLD_TREE, "--rulebook", "example", "--as-of", "2025-12-31",
        "--targets", "hanoi-23-nq-tu", "--year", "2025", "--locale", "vi",
        "--out", "report.html", cwd=province,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    page = (province / "report.html").read_text("utf-8")
    assert page.startswith('<div class="learnsoc-report" lang="vi">')
    assert "Nghị quyết 23-NQ/TU" in page
    text = html.unescape(page)
    assert "Tỷ lệ Gia đình học tập" in text
    assert "Tỷ lệ Công dân học tập" in text
    assert "tổng số người dân" in text  # the denominator it used
    assert "≥ 60%" in text
    assert "đạt" in text
    assert "wrote report.html" not in done.stderr  # vi locale
    assert "đã ghi report.html" in done.stderr


def test_report_from_files_without_targets_is_the_results_table(province: Path) -> None:
    """From persons files without --targets: the results table, with the citizen bases named."""
    done = run(
        "report", *INPUTS, *OLD_TREE, "--rulebook", "example", "--as-of", "2025-12-31",
        "--indicators", "learning_citizens,adult_learning_citizens,learning_families",
        "--level", "province", "--decimals", "1", "--locale", "vi", cwd=province,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr  # the bad person row is reported
    out = done.stdout
    assert out.startswith(
        "Kết quả thực hiện các chỉ tiêu xây dựng xã hội học tập, danh hiệu tính đến ngày "
        "31/12/2025\n"
    )
    assert "Tỷ lệ Công dân học tập trên tổng số người dân *" in out
    assert "Tỷ lệ Công dân học tập trên tổng số người dân từ 15 tuổi trở lên *" in out
    assert "Tỷ lệ Gia đình học tập" in out
    for basis in ("tổng số người dân", "tổng số người dân từ 15 tuổi trở lên", "tổng số gia đình"):
        assert basis in out
    assert "chưa chắc chắn" in out  # the learning-citizen basis is uncertain, and says why
    assert "Cấp xã" not in out and "%" in out


def test_report_from_counts_reproduces_ha_giang(tmp_path: Path) -> None:
    write(tmp_path, "units.csv", "code,name,level\n02,Hà Giang,province\n")
    write(
        tmp_path,
        "counts.csv",
        "unit_code;families;learning_families;clans;learning_clans\n02;187624;138068;2263;1564\n",
    )
    done = run(
        "report", "--counts", "counts.csv", "--hierarchy", "units.csv", "--levels", "province",
        "--targets", "hanoi-23-nq-tu", "--year", "2025", "--locale", "vi",
        "--rounding", "truncate", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "73,58%" in done.stdout
    assert "138.068 / 187.624" in done.stdout
    assert "+13,58" in done.stdout
    assert done.stderr.strip().endswith("nhận + loại = đọc: OK")


def test_listing_commands() -> None:
    done = run("rulebooks", cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "example" in done.stdout
    done = run("targets", "--locale", "vi", cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "hanoi-23-nq-tu" in done.stdout
    assert "2025" in done.stdout


def test_errors_are_one_line_with_exit_codes(tmp_path: Path) -> None:
    paths = files(tmp_path, persons=PERSONS.replace("literate", "literat"))
    done = run("validate", *INPUTS, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("learnsoc: error: person column 'literat': unknown column")
    assert "Traceback" not in done.stderr
    done = run("validate", *INPUTS, "--debug", cwd=tmp_path)
    assert "Traceback" in done.stderr
    done = run(
        "validate", "persons.csv", "--households", "nope.csv", "--units", "units.csv", cwd=tmp_path
    )
    assert (done.returncode, done.stderr) == (
        2,
        "learnsoc validate: error: --households: no such file: nope.csv\n",
    )
    done = run("evaluate", *INPUTS, "--rulebook", "nope", "--as-of", "2025-01-01", cwd=tmp_path)
    assert done.returncode == 2
    assert "no bundled rulebook 'nope'" in done.stderr
    done = run("validate", "--frobnicate", cwd=tmp_path)
    assert done.returncode == 2
    paths["persons"].write_bytes("person_id,household_id,age\n1,H1,Tên\n".encode("cp1258"))
    done = run("validate", *INPUTS, cwd=tmp_path)
    assert done.returncode == 1
    assert "persons.csv:2: the file is not UTF-8" in done.stderr


def test_wrong_levels_name_the_first_refused_unit(province: Path) -> None:
    done = run("validate", *INPUTS, cwd=province)
    assert done.returncode == 1
    assert "level 'commune' has no units" in done.stderr
    assert "value 'district' is not a known code" in done.stderr
    # The file is on the tree with districts: the error names it (it said "check --levels").
    assert "give --levels vn-pre-2025" in done.stderr


def test_strict_stops_at_the_first_problem(tmp_path: Path) -> None:
    files(tmp_path, persons=PERSONS + "5,H1,300,1,1\n")
    done = run("validate", *INPUTS, "--strict", cwd=tmp_path)
    assert done.returncode == 1
    assert "persons.csv, line 6, column age: value '300' is out of range" in done.stderr


def test_help_documents_every_command() -> None:
    done = run("--help", cwd=ROOT)
    assert done.returncode == 0
    for command in ("demo", "validate", "evaluate", "report", "rulebooks", "targets"):
        assert command in done.stdout
    done = run("validate", "--help", cwd=ROOT)
    for option in ("--households", "--units", "--mapping", "--rejects", "--strict", "--quiet"):
        assert option in done.stdout


# -- output files are checked before anything is read (issue 14) -------------------------


def test_outputs_learnsoc_cannot_write_are_refused_before_reading(tmp_path: Path) -> None:
    """Exit 2 with the formats learnsoc writes, before the (missing) inputs are even read."""
    book = ("--rulebook", "example", "--as-of", "2025-12-31")
    for args, option, problem in (
        (("evaluate", *INPUTS, *book, "--out", "v.ods"), "--out", "'.ods' is not a format"),
        (("evaluate", *INPUTS, *book, "--out", "v"), "--out", "the name has no extension"),
        (("validate", *INPUTS, "--rejects", "r.ods"), "--rejects", "'.ods' is not a format"),
    ):
        done = run(*args, cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith(f"learnsoc {args[0]}: error: {option}: cannot write ")
        assert problem in done.stderr
        assert done.stderr.rstrip().endswith("use .csv, .txt, .parquet, .pq, .json or .xlsx")
        assert done.stdout == ""
    done = run("report", "--counts", "c.csv", "--units", "u.csv", "--targets", "t", "--out",
               "r.ods", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 2
    assert "'.ods' is not a format learnsoc writes; use .txt, .md, .html, .htm, .csv, " in (
        done.stderr
    )
    assert "(or give --format)" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_output_that_is_an_input_is_refused(tmp_path: Path) -> None:
    """--rejects/--out naming an input (any spelling, a link) stop with exit 2, files intact."""
    paths = files(tmp_path, persons=PERSONS + "5,H1,300,1,1\n")
    before = {name: p.read_bytes() for name, p in paths.items()}
    (tmp_path / "link.csv").symlink_to("persons.csv")
    os.link(tmp_path / "households.csv", tmp_path / "hard.csv")
    book = ("--rulebook", "example", "--as-of", "2025-12-31")
    validate, evaluate = ("validate", *INPUTS), ("evaluate", *INPUTS, *book)
    input_file = "it is the input file"
    for args, expected in (
        ((*validate, "--rejects", "persons.csv"), "--rejects: cannot write 'persons.csv'"),
        ((*validate, "--rejects", "./persons.csv"), f"'./persons.csv': {input_file}"),
        ((*validate, "--rejects", str(tmp_path / "units.csv")), "'units.csv'"),
        ((*validate, "--rejects", "link.csv"), f"'link.csv': {input_file} 'persons.csv'"),
        ((*evaluate, "--out", "hard.csv"), f"--out: cannot write 'hard.csv': {input_file} "
                                           "'households.csv'"),
        ((*evaluate, "--out", "r.csv", "--rejects", "./r.csv"), "--rejects: cannot write "
                                        "'./r.csv': it is also the --out file 'r.csv'"),
    ):  # fmt: skip
        done = run(*args, cwd=tmp_path)
        assert done.returncode == 2, done.stdout + done.stderr
        assert expected in done.stderr
        assert done.stdout == ""
    assert {name: p.read_bytes() for name, p in paths.items()} == before
    assert not (tmp_path / "r.csv").exists()


def test_an_output_in_a_folder_that_cannot_be_made_is_a_usage_error(tmp_path: Path) -> None:
    files(tmp_path)
    (tmp_path / "old.csv").write_text("keep", "utf-8")
    done = run("validate", *INPUTS, "--rejects", "units.csv/r.csv", cwd=tmp_path)
    assert done.returncode == 2
    assert "'units.csv/r.csv': " in done.stderr
    assert "is a file, not a folder" in done.stderr
    done = run("validate", *INPUTS, "--rejects", "old.csv", "--out", "x", cwd=tmp_path)
    assert done.returncode == 2  # argparse: validate has no --out
    assert (tmp_path / "old.csv").read_text("utf-8") == "keep"


def test_report_out_names_its_format(tmp_path: Path) -> None:
    """Without --format the extension names the report's format; with it any name goes."""
    text = "unit_code,families,learning_families\n01,100,80\n"
    write(tmp_path, "counts.csv", text)
    files(tmp_path)
    args = ("report", "--counts", "counts.csv", "--units", "units.csv", "--targets",
            "hanoi-23-nq-tu", "--year", "2025", "--quiet")  # fmt: skip
    done = run(*args, "--out", "report", cwd=tmp_path)
    assert done.returncode == 2
    assert "the name has no extension" in done.stderr
    done = run(*args, "--out", "report", "--format", "markdown", cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    assert (tmp_path / "report").read_text("utf-8").startswith("#")
    done = run(*args, "--out", "counts.csv", "--format", "csv", cwd=tmp_path)
    assert done.returncode == 2
    assert "it is the input file 'counts.csv'" in done.stderr
    assert (tmp_path / "counts.csv").read_text("utf-8") == text


def test_the_rejects_written_by_the_cli_escape_formulas(tmp_path: Path) -> None:
    files(tmp_path, persons=PERSONS + "5,=1+1,30,1,1\n6,@SUM(A1),30,1,1\n")
    done = run("validate", *INPUTS, "--rejects", "r.csv", "--quiet", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    rows = (tmp_path / "r.csv").read_text("utf-8-sig").splitlines()
    assert [r.split(",")[4] for r in rows[1:]] == ["'=1+1", "'@SUM(A1)"]


def test_validate_reads_past_a_quote_left_open(tmp_path: Path) -> None:
    """3,000 persons, one stray quote near the top: one reject, 2,999 read (issue 14, item 2)."""
    stray = '"40'
    rows = [f"{i},H{i % 3 + 1},{40 if i != 8 else stray},1,1" for i in range(1, 3001)]
    files(tmp_path, persons="person_id,household_id,age,sex,literate\n" + "\n".join(rows) + "\n")
    for engine in ("python", "pyarrow"):
        done = run("validate", *INPUTS, "--engine", engine, "--rejects", "r.csv", cwd=tmp_path)
        assert done.returncode == 1, done.stderr
        assert "person: read 3,000, accepted 2,999, 1 row rejected" in done.stderr
        lines = (tmp_path / "r.csv").read_text("utf-8-sig").splitlines()
        assert lines[1].startswith('persons.csv,9,person,,"8,H3,""40,1,1",unclosed_quote,')


def test_encoding_leaves_utf8_files_alone(tmp_path: Path) -> None:
    """--encoding cp1258 for the persons file no longer garbles the UTF-8 units file."""
    files(tmp_path)
    write(tmp_path, "persons.csv", PERSONS.replace("sex", "tên") + "5,H1,30,Tên,1\n", "cp1258")
    done = run(
        "validate", *INPUTS, "--encoding", "cp1258", "--ignore-unknown-columns", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "warning" in line]
    assert warnings == [
        "learnsoc: warning: units.csv: the file is UTF-8, not cp1258: it is read as UTF-8 "
        "(the encoding asked for applies to the files that are not UTF-8)"
    ]


def test_rollup_counts_rejects_a_bad_unit_cell_as_the_population_reader_does(
    tmp_path: Path,
) -> None:
    # The units file of --counts goes through learnsoc.io.read_units: a unit whose code is
    # too long is a located reject (exit 1, rejects file), not an error stopping the run.
    from learnsoc.cli import main

    (tmp_path / "units.csv").write_text(
        "code,level,parent_code\n01,province,\n001,commune,01\nT1,village,001\n"
        + "X" * 300
        + ",village,001\n",
        "utf-8",
    )
    (tmp_path / "counts.csv").write_text("unit_code,families\nT1,5\n", "utf-8")
    rejects = tmp_path / "rejects.csv"
    code = main(
        [
            "rollup",
            "--counts",
            str(tmp_path / "counts.csv"),
            "--units",
            str(tmp_path / "units.csv"),
            "--levels",
            "province,commune,village",
            "--rejects",
            str(rejects),
            "--out",
            str(tmp_path / "out.csv"),
            "--quiet",
        ]
    )
    assert code == 1
    text = rejects.read_text("utf-8-sig")
    assert "units.csv,5,unit,code," in text and "cell_too_long" in text
    assert (tmp_path / "out.csv").is_file()
