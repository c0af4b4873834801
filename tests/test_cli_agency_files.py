"""The command line on hand-made agency files: what a new user met (inputs codes stored as
numbers, counts files' own headers, rejected units, extra columns, date serials ...)."""

from __future__ import annotations

from pathlib import Path

import pytest

from learnsoc.cli import main
from tests.io.helpers import write
from tests.test_cli_jobs import BOOK, province  # noqa: F401  (a fixture)

# -- 1. --inputs: unit codes stored as numbers -------------------------------------------


def test_inputs_codes_that_lost_their_leading_zeros_name_their_unit(
    province: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(province)
    lines = (province / "commune.csv").read_text("utf-8").splitlines()
    assert lines[1].startswith("00001;")
    write(province, "lost.csv", "\n".join([lines[0], lines[1][4:]]) + "\n")
    base = ["evaluate", "persons.csv", "--households", "households.csv", "--units", "units.csv"]
    assert main([*base, *BOOK, "--inputs", "commune=lost.csv"]) == 0
    err = capsys.readouterr().err
    assert "commune inputs: read 1, accepted 1, 0 rows rejected" in err
    # The file and its own key column are named (was "--inputs lost.csv unit_code").
    key = lines[0].split(";")[0]
    assert f"learnsoc: warning: lost.csv, column {key}: 1 row had lost" in err
    assert "'1' as '00001'" in err


# -- 2-5. counts files ---------------------------------------------------------------------

COUNTS_MAPPING = """\
[mapping]
delimiter = ";"
decimal = ","
[unit.columns]
"Mã" = "code"
"Tên" = "name"
"Cấp" = "level"
"Mã cấp trên" = "parent_code"
[unit.values.level]
"Tỉnh" = "province"
"Huyện" = "district"
"Xã" = "commune"
[counts]
ignore = ["Tên đơn vị"]
[counts.columns]
"Mã đơn vị" = "unit_code"
"Tổng số gia đình" = "families"
"Gia đình học tập" = "learning_families"
"""
UNITS = "Mã;Tên;Cấp;Mã cấp trên\n01;Thành phố Hà Nội;Tỉnh;\n00004;Phường Ba Đình;Xã;01\n"
COUNTS_HEAD = "Mã đơn vị;Tên đơn vị;Tổng số gia đình;Gia đình học tập\n"
REPORT = ["report", "--counts", "c.csv", "--units", "u.csv", "--mapping", "m.toml"]
REPORT += ["--levels", "province,commune", "--indicators", "learning_families", "--year", "2025"]


@pytest.fixture
def counts_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, "m.toml", COUNTS_MAPPING)
    write(tmp_path, "u.csv", UNITS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_counts_rejects_name_the_files_headers(
    counts_files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two rows, one blank in the column (blank in every row, a column is left out).
    units = UNITS + "00007;Phường Kim Mã;Xã;01\n"
    write(counts_files, "u.csv", units)
    rows = "00004;Phường Ba Đình;NULL;1.500\n00007;Phường Kim Mã;2.000;1.200\n"
    write(counts_files, "c.csv", COUNTS_HEAD + rows)
    assert main([*REPORT, "--locale", "vi", "--rejects", "r.csv"]) == 1
    err = capsys.readouterr().err
    assert "thiếu giá trị ở cột Tổng số gia đình: 1 dòng" in err
    rejects = (counts_files / "r.csv").read_text("utf-8-sig")
    assert "cột Tổng số gia đình:" in rejects
    assert "cột families" not in rejects


def test_counts_of_a_unit_the_units_file_refused_are_rejected_unit(
    counts_files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 00001's parent is a district, a level the tree (province, commune) does not have.
    units = UNITS + "001;Quận Ba Đình;Huyện;01\n00001;Phường Phúc Xá;Xã;001\n"
    write(counts_files, "u.csv", units)
    rows = "00001;Phường Phúc Xá;1.200;900\n00004;Phường Ba Đình;2.000;1.500\n"
    write(counts_files, "c.csv", COUNTS_HEAD + rows)
    assert main([*REPORT, "--rejects", "r.csv"]) == 1
    # The report on stdout lists the rows read; the summary on stderr does not repeat them.
    out, err = capsys.readouterr()
    assert "counts: read 2, accepted 1, 1 row rejected" in out + err
    assert "counts: rejected_unit in Mã đơn vị: 1 row" in err
    assert "does not exist" not in (counts_files / "r.csv").read_text("utf-8-sig")


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        (
            "en",
            "to leave it out, list it in the mapping file's [counts] table "
            '(ignore = ["Số hộ nghèo"])',
        ),
        (
            "vi",
            "để bỏ qua cột này, hãy liệt kê nó trong bảng [counts] của tệp ánh xạ "
            '(ignore = ["Số hộ nghèo"])',
        ),
    ],
)
def test_an_extra_column_in_a_counts_file_says_how_to_ignore_it(
    counts_files: Path, capsys: pytest.CaptureFixture[str], locale: str, words: str
) -> None:
    # A count of its own: a rate (Tỷ lệ) is left out, see test_counts_rate_columns.py.
    head = COUNTS_HEAD.rstrip("\n") + ";Số hộ nghèo\n"
    write(counts_files, "c.csv", head + "00004;Phường Ba Đình;2.000;1.500;12\n")
    assert main([*REPORT, "--locale", locale]) == 1
    err = capsys.readouterr().err
    assert "c.csv" in err
    assert "'Số hộ nghèo'" in err
    assert words in err
    # Done as it says, the file is read.
    mapping = COUNTS_MAPPING.replace(
        'ignore = ["Tên đơn vị"]', 'ignore = ["Tên đơn vị", "Số hộ nghèo"]'
    )
    write(counts_files, "m.toml", mapping)
    assert main([*REPORT, "--locale", locale]) == 0


def test_a_units_file_without_a_level_of_levels_exits_2(
    counts_files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(counts_files, "c.csv", COUNTS_HEAD + "00004;Phường Ba Đình;2.000;1.500\n")
    argv = [*REPORT]
    argv[argv.index("province,commune")] = "province,district,commune"
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "level 'district' has no units" in err
    assert "check --levels" in err


MAPPING_LEVELS = COUNTS_MAPPING.replace(
    'decimal = ","', 'decimal = ","\nlevels = ["province", "commune"]'
)
UNITS_FILES = {
    # Every unit refused: no level cell names a level of the tree.
    "refused whole": "Mã;Tên;Cấp;Mã cấp trên\n01;Hà Nội;Thành phố;\n00004;Ba Đình;Quận;01\n",
    # A district the tree (province, commune) does not have: the file's shape.
    "another tree": UNITS.replace("01\n", "001\n") + "001;Quận Ba Đình;Huyện;01\n",
    # The only commune's level cell is a typo: a bad cell.
    "bad level cell": UNITS.replace(";Xã;", ";Xãa;"),
    # The only commune's parent does not exist: a bad cell.
    "bad parent cell": UNITS.replace(";Xã;01", ";Xã;02"),
}


@pytest.mark.parametrize("given", ["--levels", "mapping"])
@pytest.mark.parametrize(
    ("case", "code"),
    [("refused whole", 2), ("another tree", 2), ("bad level cell", 1), ("bad parent cell", 1)],
)
def test_a_units_file_that_does_not_fit_the_levels_exits_as_docs_cli_says(
    counts_files: Path, capsys: pytest.CaptureFixture[str], given: str, case: str, code: int
) -> None:
    """A units file that as a whole does not fit the levels given is a usage error (2),
    whether the levels come from --levels or the mapping file; bad cells exit 1 either way.
    (Levels from the mapping file exited 1 for the first and --levels 2 for the second.)"""
    write(counts_files, "c.csv", COUNTS_HEAD + "00004;Phường Ba Đình;2.000;1.500\n")
    write(counts_files, "u.csv", UNITS_FILES[case])
    argv = [*REPORT]
    if given == "mapping":
        write(counts_files, "m.toml", MAPPING_LEVELS)
        del argv[argv.index("--levels") : argv.index("--levels") + 2]
    assert main(argv) == code
    err = capsys.readouterr().err
    assert "has no units" in err
    assert "check --levels / levels=" in err


def test_an_empty_level_is_a_levels_error() -> None:
    from learnsoc.errors import HierarchyError, LevelsError
    from learnsoc.model.hierarchy import Hierarchy

    units = {"code": ["01"], "level": ["province"], "parent_code": [None]}
    with pytest.raises(LevelsError, match="level 'commune' has no units") as info:
        Hierarchy.from_units(units, levels=["province", "commune"])
    assert isinstance(info.value, HierarchyError)


# -- 6. Excel date serials in a date column ------------------------------------------------


def test_a_date_serial_typed_as_a_number_says_so_and_is_not_guessed(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from tests.io.helpers import files, problems, read

    paths = files(tmp_path)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["person_id", "household_id", "birth_date", "sex", "literate"])
    sheet.append(["1", "H1", 18264, 1, 1])  # a General cell: 01/01/1950 as its serial
    sheet.append(["2", "H1", "31/12/2015", 2, 0])
    sheet.append(["3", "H2", 1990, 2, 1])  # a year, not a serial: the age is exact
    book.save(tmp_path / "persons.xlsx")
    paths["persons"] = tmp_path / "persons.xlsx"
    pop = read(paths, reference_year=2025)
    assert pop.n_persons == 2
    assert [p[2:] for p in problems(pop)] == [("birth_date", "18264", "not_a_date")]
    by_value = {r.value: r.message for r in pop.rejects.records("en")}
    assert "looks like an Excel date serial" in by_value["18264"]
    assert "format the column as Date" in by_value["18264"]
    vi = {r.value: r.message for r in pop.rejects.records("vi")}
    assert "số sê-ri ngày của Excel" in vi["18264"]


# -- 7. formulas saved without their result --------------------------------------------------


def test_a_totals_row_of_formulas_without_results_is_a_totals_row_reject(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    from learnsoc.io.excel import read_excel
    from learnsoc.io.files import FileFormatError
    from tests.io.test_excel import persons, workbook

    # openpyxl saves =SUM(...) without its result, as a program that does not calculate.
    path = workbook(tmp_path / "t.xlsx", [*persons(2), ["Tổng cộng", "=SUM(B2:B3)"]])
    table = read_excel(path)
    assert table.layout.n_records == 3
    assert table.layout.totals.tolist() == [2]
    assert list(next(table.iter_batches())["age"].tolist()) == ["20", "21"]
    # Elsewhere it stays the documented error naming the cell, never a blank: in a row
    # of data, and in a row that has nothing but such formulas.
    for rows in ([*persons(2), [3, "=B3+1"]], [*persons(2), ["=A3+1", "=B3+1"]]):
        path = workbook(tmp_path / "d.xlsx", rows)
        with pytest.raises(FileFormatError, match=r"cell [AB]4 holds a formula saved without"):
            read_excel(path)


# -- 8. a cell longer than Excel saves -------------------------------------------------------


@pytest.mark.parametrize("kind", ["number", "text"])
def test_an_excel_cell_longer_than_excel_saves_is_cell_too_long(tmp_path: Path, kind: str) -> None:
    pytest.importorskip("openpyxl")
    from learnsoc.limits import MAX_CELL_CHARS
    from tests.io.helpers import files, problems, read
    from tests.io.test_excel import workbook

    long = "7" * 2_000_000 + ".5"  # as a number, inf: once not_a_number / out_of_range
    cell = f"<v>{long}</v>" if kind == "number" else f"<is><t>{long}</t></is>"
    mark = '<c r="C3" t="n">' if kind == "number" else '<c r="C3" t="inlineStr">'
    paths = files(tmp_path)
    head = ["person_id", "household_id", "age", "sex", "literate"]
    paths["persons"] = workbook(
        tmp_path / "persons.xlsx",
        [head, [1, "H1", 40, 1, 1], [2, "H1", 777, 2, 0]],
        edit=lambda x: x.replace('<c r="C3" t="n"><v>777</v>', mark + cell),
    )
    pop = read(paths)
    assert pop.n_persons == 1
    [(file, line, column, value, reason)] = problems(pop)
    assert (file, line, column, reason) == ("persons.xlsx", 3, "age", "cell_too_long")
    assert value.startswith("777") and len(value) < 100
    assert str(MAX_CELL_CHARS) in pop.rejects.records("en")[0].message


# -- 9. control characters in ids -------------------------------------------------------------


@pytest.mark.parametrize("engine", ["python", "pyarrow"])
def test_an_id_with_a_control_character_is_rejected_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    if engine == "pyarrow":
        pytest.importorskip("pyarrow")
    from tests.io.helpers import PERSONS, files, problems, read

    persons = PERSONS + "P6\x00,H1,40,1,1\nP6,H1,41,2,1\nP\x077,H2,30,1,1\n\tP8 ,H2,30,1,1\n"
    paths = files(tmp_path, persons=persons)
    pop = read(paths, engine=engine)
    assert pop.n_persons == 6  # P6 and P8 (its surrounding tab and space trimmed) are read
    assert [p[1:] for p in problems(pop)] == [
        (6, "person_id", "P6\u2400", "control_character"),  # shown as P6␀
        (8, "person_id", "P\u24077", "control_character"),
    ]
    assert pop.rejects.counts()["person"] == (8, 6, 2)
    en, vi = pop.rejects.records("en")[0].message, pop.rejects.records("vi")[0].message
    assert "id 'P6␀' holds a control character" in en
    assert "mã 'P6␀' chứa ký tự điều khiển" in vi
    monkeypatch.chdir(tmp_path)
    argv = ["validate", "persons.csv", "--households", "households.csv", "--units"]
    assert main([*argv, "units.csv", "--engine", engine, "--locale", "vi"]) == 1
    assert "ký tự điều khiển trong mã ở cột person_id: 2 dòng" in capsys.readouterr().err


@pytest.mark.parametrize("engine", ["python", "pyarrow"])
def test_an_id_with_an_invisible_character_is_rejected_not_a_second_person(
    tmp_path: Path, engine: str
) -> None:
    """A zero-width space or a BOM in an id is invisible: ``\u200b1`` looked like ``1``.

    Such ids were read as other persons (person 1 counted twice, where a copy of its row
    is a duplicate_id reject), as was the first id of a file whose BOM was left in
    the middle of the file by joining two files. A household id of the households file
    with one made its persons unknown_household rejects, naming an id that shows right.
    """
    if engine == "pyarrow":
        pytest.importorskip("pyarrow")
    from tests.io.helpers import PERSONS, files, problems, read

    persons = PERSONS + "\u200b1,H1,40,1,1\n\ufeffP6,H1,41,2,1\nP\u00ad7,H2,30,1,1\n"
    persons += "P\u202e8,H2,30,1,1\nP9,H\u20601,30,1,1\nTổ-10,H2,30,1,1\n"
    paths = files(tmp_path, persons=persons)
    pop = read(paths, engine=engine)
    assert pop.n_persons == 5  # the four of PERSONS, and Tổ-10: its accents are no reject
    assert [p[1:] for p in problems(pop)] == [
        (6, "person_id", "<U+200B>1", "control_character"),
        (7, "person_id", "<U+FEFF>P6", "control_character"),
        (8, "person_id", "P<U+00AD>7", "control_character"),
        (9, "person_id", "P<U+202E>8", "control_character"),
        (10, "household_id", "H<U+2060>1", "control_character"),
    ]
    assert pop.rejects.counts()["person"] == (10, 5, 5)
    assert "zero-width space" in pop.rejects.records("en")[0].message
    assert "khoảng trắng độ rộng bằng không" in pop.rejects.records("vi")[0].message


# -- 10. district rows of results tables after the reform -----------------------------------


def test_district_rows_of_results_from_2025_carry_the_reform_note(
    counts_files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    units = UNITS + "001;Quận Ba Đình;Huyện;01\n00001;Phường Phúc Xá;Xã;001\n"
    write(counts_files, "u.csv", units)
    write(counts_files, "c.csv", COUNTS_HEAD + "00001;Phường Phúc Xá;1.200;900\n")
    argv = [*REPORT, "--locale", "vi"]
    argv[argv.index("province,commune")] = "province,district,commune"
    note = (
        "- Cấp huyện: đánh giá theo danh mục đơn vị hành chính trước ngày 01/7/2025; cấp huyện "
        "đã kết thúc hoạt động từ ngày đó, nên kết quả phản ánh các huyện không còn tồn tại"
    )
    assert main(argv) == 1  # 00004 under the province: a wrong_level unit
    out = capsys.readouterr().out
    assert "Cấp huyện\n" in out
    assert note in out
    argv[argv.index("2025")] = "2024"
    main(argv)
    assert "Cấp huyện:" not in capsys.readouterr().out


# -- levels named in Vietnamese; name columns in counts files ------------------------------


@pytest.mark.parametrize("level", ["xã", "Xã", "cấp xã", "xa", "x\u0061\u0303", "commune"])
def test_inputs_take_the_level_in_either_language(
    province: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    level: str,
) -> None:
    """``--inputs xã=FILE`` was refused: "expected one of 'commune' ...", half English."""
    monkeypatch.chdir(province)
    base = ["evaluate", "persons.csv", "--households", "households.csv", "--units", "units.csv"]
    argv = [*base, *BOOK, "--inputs", f"{level}=commune.csv", "--locale", "vi"]
    assert main(argv) == 0, capsys.readouterr().err
    assert "số liệu đầu vào cấp xã: đọc 10, nhận 10, 0 dòng bị loại" in capsys.readouterr().err


def test_an_unknown_inputs_level_is_refused_in_vietnamese(
    province: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Under --locale vi the refusal is Vietnamese, its list of levels included."""
    monkeypatch.chdir(province)
    base = ["evaluate", "persons.csv", "--households", "households.csv", "--units", "units.csv"]
    assert main([*base, *BOOK, "--inputs", "trường=commune.csv", "--locale", "vi"]) == 2
    err = capsys.readouterr().err
    assert "bộ tiêu chí không có đầu vào ở cấp 'trường'; cần một trong các giá trị" in err
    assert "'commune' (cấp xã)" in err and "'village' (cấp thôn, tổ dân phố)" in err
    assert "expected" not in err


def test_rollup_and_report_take_levels_in_vietnamese(
    counts_files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--level tỉnh,xã`` is ``--level province,commune``; an unknown one is said in vi."""
    write(counts_files, "c.csv", COUNTS_HEAD + "00004;Phường Ba Đình;2.000;1.500\n")
    rollup = ["rollup", "--counts", "c.csv", "--units", "u.csv", "--mapping", "m.toml"]
    rollup += ["--levels", "province,commune", "--out", "r.csv"]
    assert main([*rollup, "--level", "Tỉnh, cấp xã"]) == 0
    text = (counts_files / "r.csv").read_text("utf-8-sig")
    assert [line.split(",")[0] for line in text.splitlines()[1:]] == ["province", "commune"]
    assert main([*REPORT, "--level", "xã", "--format", "csv"]) == 0
    assert "00004" in capsys.readouterr().out
    assert main([*REPORT, "--level", "trường", "--locale", "vi"]) == 2
    err = capsys.readouterr().err
    assert "--level: không có cấp 'trường'; cần một trong các giá trị 'commune' (cấp xã)" in err


@pytest.mark.parametrize("column", ["Tên đơn vị", "Tên thôn", "Tên xã", "Đơn vị", "TEN_XA"])
def test_a_name_column_of_a_counts_file_is_skipped_as_in_inputs_files(
    counts_files: Path, capsys: pytest.CaptureFixture[str], column: str
) -> None:
    """A unit-name column beside the code needed ``ignore`` in the mapping (exit 1)."""
    write(counts_files, "m.toml", COUNTS_MAPPING.replace('ignore = ["Tên đơn vị"]\n', ""))
    head = COUNTS_HEAD.replace("Tên đơn vị", column)
    write(counts_files, "c.csv", head + "00004;Phường Ba Đình;2.000;1.500\n")
    assert main([*REPORT, "--locale", "vi", "--format", "csv"]) == 0, capsys.readouterr().err
    assert "1500,2000" in capsys.readouterr().out.replace('"', "")


def test_an_inputs_cell_too_long_to_read_rejects_its_row_only(
    province: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A 40,000-digit cell (over MAX_CELL_CHARS) stopped the whole inputs file."""
    monkeypatch.chdir(province)
    head, first, *rest = (province / "commune.csv").read_text("utf-8").splitlines()
    cells = first.split(";")
    column = head.split(";")[1]
    cells[1] = "9" * 40_000
    write(province, "long.csv", "\n".join([head, ";".join(cells), *rest]) + "\n")
    base = ["evaluate", "persons.csv", "--households", "households.csv", "--units", "units.csv"]
    assert main([*base, *BOOK, "--inputs", "commune=long.csv", "--rejects", "r.csv"]) == 1
    err = capsys.readouterr().err
    assert f"commune inputs: read {len(rest) + 1}, accepted {len(rest)}, 1 row rejected" in err
    assert f"commune inputs: cell_too_long in {column}: 1 row" in err
    rejects = (province / "r.csv").read_text("utf-8-sig").splitlines()
    assert len(rejects) == 2
    assert rejects[1].startswith(f"long.csv,2,commune inputs,{column},{'9' * 80}…,cell_too_long,")
