"""Excel's ``_xHHHH_`` escapes in a cell's text are read as the characters they stand for.

Excel stores a carriage return in a cell (a header or a code pasted from a web page or from
Word, "Số giờ" CR LF "học") as ``_x000D_`` in the file, and an underscore that would start
such an escape as ``_x005F_``. openpyxl reads them as text: the header was the unknown
column ``'Số giờ_x000D_ học'`` and the code ``H01_x000D_`` named no household.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from learnsoc.io import read_population
from learnsoc.io.excel import read_excel
from tests.optional import require

openpyxl = require("openpyxl")

_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_SST_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
_SST_REL = (
    b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/sharedStrings" Target="sharedStrings.xml" Id="rIdStrings"/>'
)

#: The persons sheet as Excel types it: the header of learning hours was pasted with a
#: carriage return, the first household code too.
HEADER = ["Mã NK", "Mã hộ", "Tuổi", "Số giờ_x000D_\nhọc"]
ROWS = [["NK01", "H01_x000D_", 40, 120], ["NK02", "H01", 9, 35], ["NK03", "H02", 70, 0]]


def _column(n: int) -> str:
    return chr(64 + n)


def _text_cell(ref: str, text: str, where: str) -> str:
    if where == "shared":
        return f'<c r="{ref}" t="s"><v>{text}</v></c>'  # text: the string's index
    if where == "formula":
        return f'<c r="{ref}" t="str"><f>A1</f><v>{text}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _workbook(path: Path, rows: Sequence[Sequence[object]], where: str) -> Path:
    """Save ``rows`` with their texts stored as Excel (shared strings), LibreOffice and
    web applications (inline strings) or a text formula's result store them."""
    strings: list[str] = []
    xml_rows = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, value in enumerate(row, 1):
            ref = f"{_column(c)}{r}"
            if isinstance(value, int):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            elif where == "shared":
                strings.append(str(value))
                cells.append(_text_cell(ref, str(len(strings) - 1), where))
            else:
                cells.append(_text_cell(ref, str(value), where))
        xml_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    sheet = f"<worksheet {_MAIN}><sheetData>{''.join(xml_rows)}</sheetData></worksheet>"
    seed = io.BytesIO()
    openpyxl.Workbook().save(seed)
    with zipfile.ZipFile(seed) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet.encode()
            elif where == "shared" and info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", _SST_TYPE + b"</Types>")
            elif where == "shared" and info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", _SST_REL + b"</Relationships>")
            out.writestr(info.filename, data)
        if where == "shared":
            items = "".join(f'<si><t xml:space="preserve">{s}</t></si>' for s in strings)
            out.writestr("xl/sharedStrings.xml", f"<sst {_MAIN}>{items}</sst>")
    return path


@pytest.mark.parametrize("where", ["shared", "inline", "formula"])
def test_escapes_are_read_as_their_characters(tmp_path: Path, where: str) -> None:
    rows = [["code", "name"], ["01", "Tổ 1_x000D_\nTổ 2"], ["02", "a_x005F_x000D_b"]]
    rows.append(["03", "Phố_x0020_Huế_x"])
    batch = next(read_excel(_workbook(tmp_path / "u.xlsx", rows, where)).iter_batches())
    # _x005F_ is an underscore: what follows it is text as typed, not an escape; a lone
    # "_x" is text.
    assert batch["name"].tolist() == ["Tổ 1\r\nTổ 2", "a_x000D_b", "Phố Huế_x"]


@pytest.mark.parametrize("where", ["shared", "inline"])
def test_a_header_and_a_code_with_a_carriage_return_are_read(tmp_path: Path, where: str) -> None:
    persons = _workbook(tmp_path / "nhan_khau.xlsx", [HEADER, *ROWS], where)
    households = tmp_path / "ho.csv"
    households.write_text("household_id,unit_code\nH01,00004001\nH02,00004001\n", "utf-8")
    units = tmp_path / "units.csv"
    units.write_text(
        "code,level,parent_code\n01,province,\n00004,commune,01\n00004001,village,00004\n",
        "utf-8",
    )
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        '[person.columns]\n"Mã NK" = "person_id"\n"Mã hộ" = "household_id"\n'
        '"Tuổi" = "age"\n"Số giờ học" = "learning_hours"\n',
        "utf-8",
    )
    pop = read_population(persons, households=households, units=units, mapping=mapping)
    assert pop.rejects.counts()["person"] == (3, 3, 0)
    # H01 has NK01 (whose code was pasted with its carriage return) and NK02.
    assert pop.n_persons == 3
    assert pop.household_ids.tolist() == ["H01", "H02"]
    assert pop.household_offsets.tolist() == [0, 2, 3]
    assert pop.column("person", "learning_hours").tolist() == [120, 35, 0]
