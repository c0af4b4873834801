"""Spreadsheets as agencies write them (issue 16, item 5).

Excel sheets and header rows from the command line, dd/mm/yyyy birth dates, unit codes
that lost their leading zeros, and per-unit counts files read through the mapping file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from learnsoc.cli import main
from tests.io.helpers import PERSONS, files, write
from tests.optional import require

Workbook = require("openpyxl").Workbook


def _workbook(path: Path, sheets: Mapping[str, Sequence[Sequence[object]]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def _persons_sheet(tmp_path: Path) -> Path:
    rows = [line.split(",") for line in PERSONS.strip().splitlines()]
    title = [["DANH SÁCH NHÂN KHẨU - XÃ TÂN LẬP"], ["Ngày lập: 31/12/2025"]]
    return _workbook(
        tmp_path / "persons.xlsx",
        {"Ghi chú": [["đọc kỹ hướng dẫn"]], "Nhân khẩu": [*title, *rows]},
    )


@pytest.mark.parametrize("sheet", ["Nhân khẩu", "2"])
def test_cli_reads_the_sheet_and_header_row_given(
    tmp_path: Path, sheet: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A title above the header: --sheet NAME|N and --header-row N read the table."""
    files(tmp_path)
    _persons_sheet(tmp_path)
    args = ["validate", str(tmp_path / "persons.xlsx"), "--households",
            str(tmp_path / "households.csv"), "--units", str(tmp_path / "units.csv")]  # fmt: skip
    assert main([*args, "--sheet", sheet, "--header-row", "3", "--quiet"]) == 0
    assert capsys.readouterr().err.endswith("accepted + rejected = read: OK\n")
    # Without them, the first sheet holds no persons table: the only sheet that does is
    # read from the row naming its columns, and the run says so.
    assert main([*args, "--quiet"]) == 0
    assert "sheet 'Nhân khẩu' does (its row 3) and is read" in capsys.readouterr().err


def test_cli_refuses_bad_sheet_and_row_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    for option, value in (("--sheet", "0"), ("--header-row", "0"), ("--header-row", "x")):
        assert main(["validate", "p.xlsx", option, value]) == 2
        assert f"argument {option}" in capsys.readouterr().err


def test_read_population_passes_sheet_and_header_row(tmp_path: Path) -> None:
    from learnsoc.io import read_population

    paths = files(tmp_path)
    pop = read_population(
        _persons_sheet(tmp_path),
        households=paths["households"],
        units=paths["units"],
        sheet="Nhân khẩu",
        header_row=3,
    )
    assert pop.n_persons == 4


# -- counts files read through the mapping file --------------------------------------------

COUNTS_MAPPING = """
[mapping]
delimiter = ";"
decimal = ","

[counts]
ignore = ["Ghi chú"]
[counts.columns]
"Mã đơn vị" = "unit_code"
"Tổng số gia đình" = "families"
"Gia đình học tập" = "learning_families"

[unit]
columns = { "Mã" = "code", "Tên" = "name", "Cấp" = "level" }
[unit.values.level]
"Tỉnh" = "province"
"""


def test_counts_files_follow_the_mapping(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Vietnamese headers, ';', thousands dots: the mapping applies to --counts too."""
    write(tmp_path, "map.toml", COUNTS_MAPPING)
    write(tmp_path, "units.csv", "Mã;Tên;Cấp\n02;Hà Giang;Tỉnh\n")
    write(
        tmp_path,
        "counts.csv",
        "Mã đơn vị;Tổng số gia đình;Gia đình học tập;Ghi chú\n02;187.624;138.068;đã kiểm tra\n",
    )
    code = main([
        "report", "--counts", str(tmp_path / "counts.csv"), "--units", str(tmp_path / "units.csv"),
        "--mapping", str(tmp_path / "map.toml"), "--levels", "province", "--format", "json",
        "--indicators", "learning_families", "--level", "province", "--quiet",
    ])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    assert '"numerator": 138068' in out and '"denominator": 187624' in out


def test_read_counts_value_maps_and_duplicates(tmp_path: Path) -> None:
    from learnsoc.errors import SchemaError
    from learnsoc.io import read_counts
    from learnsoc.io.mapping import FileMapping

    path = write(tmp_path, "counts.csv", "Mã,Số hộ,units\n01,12,x\n")
    fmap = FileMapping.from_dict(
        {"counts": {"columns": {"Mã": "unit_code", "Số hộ": "families"},
                    "values": {"units": {"x": 3}}}}
    )  # fmt: skip
    cols, raw = read_counts(path, mapping=fmap)
    assert {k: v.tolist() for k, v in cols.items()} == {
        "unit_code": ["01"], "families": ["12"], "units": ["3"]
    }  # fmt: skip
    assert raw.file == str(path)
    clash = FileMapping.from_dict({"counts": {"columns": {"Số hộ": "units"}}})
    with pytest.raises(SchemaError, match="several file columns map onto 'units'"):
        read_counts(path, mapping=clash)


# -- birth dates -----------------------------------------------------------------------------


def test_birth_dates_give_ages_and_bad_dates_are_rejects(tmp_path: Path) -> None:
    """dd/mm/yyyy, d/m/yyyy, yyyy-mm-dd; impossible dates rejected as written."""
    from tests.io.helpers import problems, read

    persons = (
        "person_id,household_id,birth_date,sex\n"
        "1,H1,05/03/1985,1\n"
        "2,H1,5/3/2016,2\n"
        "3,H2,1990-12-31,2\n"
        "4,H3,31/02/1990,1\n"
        "5,H3,01/01/2090,1\n"
        "6,H3,hôm qua,1\n"
        "7,H3,31.12.1955,1\n"
    )
    pop = read(files(tmp_path, persons=persons), reference_year=2025)
    assert pop.columns("person")["age"].tolist() == [40, 9, 35, 70]
    assert problems(pop) == [
        ("persons.csv", 5, "birth_date", "31/02/1990", "not_a_date"),
        ("persons.csv", 6, "birth_date", "01/01/2090", "out_of_range"),
        ("persons.csv", 7, "birth_date", "hôm qua", "not_a_date"),
    ]
    message = pop.rejects.records("vi")[0].message
    assert "31/02/1990" in message


def test_birth_dates_from_excel_date_cells(tmp_path: Path) -> None:
    """Excel date cells come as ISO text; typed dd/mm/yyyy text is read too."""
    import datetime as dt

    from learnsoc.io import read_population

    paths = files(tmp_path)
    rows: list[list[object]] = [
        ["person_id", "household_id", "Ngày sinh"],
        [1, "H1", dt.datetime(1985, 3, 5)],
        [2, "H1", "05/03/2016"],
    ]
    wb = _workbook(tmp_path / "persons.xlsx", {"Sheet": rows})
    from learnsoc.io.mapping import FileMapping

    fmap = FileMapping.from_dict({"person": {"columns": {"Ngày sinh": "birth_date"}}})
    pop = read_population(
        wb, households=paths["households"], units=paths["units"], mapping=fmap,
        reference_year=2025,
    )  # fmt: skip
    assert pop.columns("person")["age"].tolist() == [40, 9]


def test_birth_dates_need_a_reference_year(tmp_path: Path) -> None:
    from learnsoc.errors import SchemaError
    from tests.io.helpers import read

    paths = files(tmp_path, persons="person_id,household_id,birth_date\n1,H1,05/03/1985\n")
    with pytest.raises(SchemaError, match="reference_year"):
        read(paths)


# -- unit codes that lost their leading zeros -------------------------------------------------


def test_unit_codes_stored_as_numbers_get_their_zeros_back(tmp_path: Path) -> None:
    """'1001' for '00001001' (every village code has 8 digits): restored, with a warning."""
    from learnsoc.model.population import LeadingZerosWarning
    from tests.io.helpers import problems, read

    households = "household_id,unit_code,registered\nH1,1001,1\nH2,00001002,1\nH3,4001,0\nH4,9,1\n"
    persons = PERSONS + "5,H4,30,1,1\n"
    restored = r"2 rows had lost .*\(e\.g\. '1001' as '00001001'\)"
    with pytest.warns(LeadingZerosWarning, match=restored) as caught:
        pop = read(files(tmp_path, persons=persons, households=households))
    (warning,) = [w.message for w in caught if isinstance(w.message, LeadingZerosWarning)]
    # The file is named, as a warning about a file's rows must (several folders are read).
    assert warning.localized("vi").endswith(
        "households.csv, cột unit_code: 2 dòng đã mất các chữ số 0 đứng đầu của mã đơn vị và "
        "được đọc thành đơn vị mà mã đó chỉ (ví dụ '1001' thành '00001001'); hãy định dạng cột "
        "này là văn bản (Text) trong bảng tính để giữ các chữ số 0"
    )
    assert pop.n_households == 3
    assert sorted(pop.columns("household")["unit_code"].tolist()) == [
        "00001001", "00001002", "00004001"
    ]  # fmt: skip
    # '9' pads to '00000009', which names no unit: still unknown, as written.
    assert ("households.csv", 5, "unit_code", "9", "unknown_unit") in problems(pop)


def test_codes_of_mixed_widths_are_never_padded(tmp_path: Path) -> None:
    from tests.io.helpers import UNITS, problems, read

    units = UNITS + "0400100,Tổ 4,village,00004\n"  # a 7-digit village code
    households = "household_id,unit_code,registered\nH1,1001,1\nH2,00001002,1\nH3,00004001,0\n"
    pop = read(files(tmp_path, households=households, units=units))
    assert ("households.csv", 2, "unit_code", "1001", "unknown_unit") in problems(pop)
