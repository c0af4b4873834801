"""Files as a commune clerk makes them in Excel, read through a mapping file.

Each test is a problem a new user met producing the 2025 report from the command line:
headers typed with odd spacing, a title row above the header, a "Tổng cộng" (totals) row
under the data.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.io.headers import SheetWarning
from learnsoc.io.rejects import FileReject
from tests.io.helpers import write

UNITS = (
    "Mã  đơn vị;Tên\u00a0đơn vị;Cấp;Mã cấp\ttrên\n"
    "01;Tỉnh;Tỉnh;\n00004;Xã;Xã;01\n00004001;Thôn;Thôn;00004\n"
)
HOUSEHOLDS = "Mã hộ;Mã\nthôn\n H1;00004001\n"
PERSONS = "Mã NK;Mã hộ;Tuổi;Giới  tính\nNK1;H1;40;Nam\n"
MAPPING = """
[mapping]
delimiter = ";"
[person.columns]
"Mã NK" = "person_id"
"Mã hộ" = "household_id"
"Tuổi" = "age"
"Giới tính" = "sex"
[person.values.sex]
"Nam" = "male"
[household.columns]
"Mã hộ" = "household_id"
"Mã thôn" = "unit_code"
[unit]
ignore = ["Tên đơn vị"]
[unit.columns]
"Mã đơn vị" = "code"
"Cấp" = "level"
"Mã cấp trên" = "parent_code"
[unit.values.level]
"Tỉnh" = "province"
"Xã" = "commune"
"Thôn" = "village"
"""


def test_header_names_match_whatever_the_spaces_between_words(tmp_path: Path) -> None:
    """Two spaces, a no-break space or a line break (Alt+Enter) between words still match.

    Excel shows ``Mã  đơn vị`` and ``Mã đơn vị`` alike, so a clerk cannot see why the
    mapping's ``"Mã đơn vị"`` would not match; the error message did not show it either.
    """
    units = write(tmp_path, "don_vi.csv", UNITS)
    households = write(tmp_path, "ho.csv", HOUSEHOLDS.replace("Mã\nthôn", '"Mã\nthôn"'))
    persons = write(tmp_path, "nhan_khau.csv", PERSONS)
    mapping = write(tmp_path, "mapping.toml", MAPPING)
    pop = ls.read_population(persons, households=households, units=units, mapping=mapping)
    assert (pop.n_persons, pop.n_households, len(pop.rejects)) == (1, 1, 0)
    assert pop.columns("person")["sex"].tolist() == [1]


def test_a_totals_row_under_the_data_is_skipped_or_one_clear_reject(tmp_path: Path) -> None:
    """``Tổng cộng`` under a sheet's data is no person: skipped, with a warning.

    It was rejected, but as five problems of a row of data (``Mã hộ`` missing, household
    ``''`` rejected, ``13`` not a code of ``Biết chữ``, ``age`` missing ...), which told the
    clerk nothing about the row; then as one ``totals_row`` reject, which stopped
    ``learnsoc dataset``. A totals row that writes a figure in a code column (``Mã
    thôn``) may be data: one ``unsure_totals_row`` reject naming the cell.
    """
    openpyxl = pytest.importorskip("openpyxl")
    units = write(tmp_path, "don_vi.csv", UNITS)
    mapping = write(tmp_path, "mapping.toml", MAPPING)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH HỘ GIA ĐÌNH"])
    ws.merge_cells("A1:C1")
    ws.append([])
    ws.append(["STT", "Mã hộ", "Mã thôn"])
    ws.append([1, "H1", "00004001"])
    ws.append([2, "H2", "00004001"])
    ws.append(["TỔNG CỘNG:", None, 2])
    wb.save(tmp_path / "ho.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH NHÂN KHẨU"])
    ws.append([])
    ws.append(["Mã NK", "Mã hộ", "Tuổi", "Giới tính", "Họ tên"])
    ws.append(["NK1", "H1", 40, "Nam", "Tổng Văn Cộng"])  # a name is not a totals label
    ws.append(["NK2", "H2", "9", "Nam", "Lê Văn B"])
    ws.append(["Cộng", None, 49, None, None])
    wb.save(tmp_path / "nk.xlsx")
    mapping.write_text(
        mapping.read_text("utf-8").replace(
            "[household.columns]", '[household]\nignore = ["STT"]\n[household.columns]'
        )
        + '[person]\nignore = ["Họ tên"]\n',
        "utf-8",
    )
    with pytest.warns(SheetWarning) as said:
        pop = ls.read_population(
            tmp_path / "nk.xlsx",
            households=tmp_path / "ho.xlsx",
            units=units,
            mapping=mapping,
            header_row=3,
        )
    assert [str(w.message).split(": ", 1)[1] for w in said] == [
        "totals rows are not data and were skipped (learnsoc adds up the rows itself): "
        "row 6 ('Cộng')"
    ]
    assert (pop.n_persons, pop.n_households) == (2, 2)
    assert pop.rejects.counts()["household"] == (3, 2, 1)
    assert pop.rejects.counts()["person"] == (3, 2, 0)
    assert pop.rejects.n_skipped("person") == 1
    records = [r for r in pop.rejects.records() if isinstance(r, FileReject)]
    found = [(Path(r.file).name, r.line, r.column, r.value, r.reason) for r in records]
    assert found == [("ho.xlsx", 6, "Mã thôn", "2", "unsure_totals_row")]
    vi = [r.message for r in pop.rejects.records(locale="vi")]
    assert "dòng 6, cột Mã thôn: giá trị '2' trong dòng ghi 'TỔNG CỘNG:'" in vi[0]


def _cp1258(text: str) -> bytes:
    """Encode as Windows saves Vietnamese text: a letter, then its tone mark apart."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = b""
    for char in text:
        marks = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in marks if c not in tones))
        out += (base + "".join(c for c in marks if c in tones)).encode("cp1258")
    return out


@pytest.mark.parametrize("engine", ["auto", "pyarrow", "python"])
def test_a_totals_row_of_a_csv_export_is_skipped(tmp_path: Path, engine: str) -> None:
    """Excel keeps the ``Tổng cộng`` row in its CSV export: skipped, with either engine;
    one with a figure in a code column is one reject."""
    mapping = write(tmp_path, "mapping.toml", MAPPING)
    units, households, persons = tmp_path / "don_vi.csv", tmp_path / "ho.csv", tmp_path / "nk.csv"
    units.write_bytes(_cp1258(UNITS.replace("\n", "\r\n")))
    households.write_bytes(_cp1258("Mã hộ;Mã thôn\r\nH1;00004001\r\nTổng cộng;1\r\n"))
    persons.write_bytes(
        _cp1258("Mã NK;Mã hộ;Tuổi;Giới tính\r\nNK1;H1;40;Nam\r\n;TỔNG CỘNG:;40\r\n")
    )
    with pytest.warns(SheetWarning, match=r"nk.csv: totals rows .* line 3 \('TỔNG CỘNG:'\)"):
        pop = ls.read_population(
            persons,
            households=households,
            units=units,
            mapping=mapping,
            encoding="cp1258",
            engine=engine,  # type: ignore[arg-type]
        )
    assert (pop.n_persons, pop.n_households) == (1, 1)
    records = [r for r in pop.rejects.records() if isinstance(r, FileReject)]
    found = [(Path(r.file).name, r.line, r.value, r.reason) for r in records]
    assert found == [("ho.csv", 3, "1", "unsure_totals_row")]
    assert pop.rejects.counts()["person"] == (2, 1, 0)


def test_a_title_above_the_header_is_named_with_the_header_row_to_give(tmp_path: Path) -> None:
    """A merged title in row 1 was taken for the header, and the error said only that
    cell B3 (the real header) was "beyond the last named column"; it now says which row
    was taken and which ``--header-row`` to give."""
    openpyxl = pytest.importorskip("openpyxl")
    from learnsoc.io.excel import read_excel
    from learnsoc.io.files import FileFormatError

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH HỘ GIA ĐÌNH"])
    ws.merge_cells("A1:C1")
    ws.append([])
    ws.append(["STT", "Mã hộ", "Mã thôn"])
    ws.append([1, "H1", "00004001"])
    wb.save(tmp_path / "ho.xlsx")
    with pytest.raises(FileFormatError) as err:
        read_excel(tmp_path / "ho.xlsx")
    assert "taken from row 1 (the first row that is not empty: 'DANH SÁCH HỘ GIA ĐÌNH')" in str(
        err.value
    )
    assert "(--header-row 3, header_row=3)" in str(err.value)
    assert err.value.localized("vi").endswith(
        "nếu tên các cột nằm ở dòng 3, hãy chỉ rõ dòng tiêu đề (--header-row 3, header_row=3)"
    )
    assert read_excel(tmp_path / "ho.xlsx", header_row=3).header == ("STT", "Mã hộ", "Mã thôn")


def test_an_empty_birth_date_is_named_as_the_file_names_it(tmp_path: Path) -> None:
    """Ages computed from ``Ngày sinh``: an empty cell was "column age: a value is
    required", a column the file does not have."""
    units = write(tmp_path, "don_vi.csv", UNITS)
    households = write(tmp_path, "ho.csv", "Mã hộ;Mã thôn\nH1;00004001\n")
    persons = write(tmp_path, "nk.csv", "Mã NK;Mã hộ;Ngày sinh\nNK1;H1;\nNK2;H1;02/09/1980\n")
    mapping = write(
        tmp_path, "mapping.toml", MAPPING.replace('"Tuổi" = "age"', '"Ngày sinh" = "birth_date"')
    )
    pop = ls.read_population(
        persons, households=households, units=units, mapping=mapping, reference_year=2025
    )
    assert pop.n_persons == 1
    (reject,) = pop.rejects.records(locale="vi")
    assert (reject.column, reject.reason) == ("birth_date", "missing_value")
    assert reject.message.endswith("nk.csv, dòng 2, cột Ngày sinh: bắt buộc phải có giá trị")
