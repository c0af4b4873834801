"""Workbooks built to cost gigabytes (zip bombs) are refused before they are parsed."""

from __future__ import annotations

import importlib
import io
import tracemalloc
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from learnsoc import limits
from learnsoc.io.excel import TableHeader, _shared_strings, read_excel
from learnsoc.io.files import FileFormatError

openpyxl: Any = importlib.import_module("openpyxl")

_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_SST_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
_SST_REL = (
    '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml" Id="rIdStrings"/>'
)
#: A sheet whose B2 is shared string 0.
_SHEET = (
    f"<worksheet {_MAIN}><sheetData>"
    '<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>name</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>01</t></is></c><c r="B2" t="s"><v>0</v></c></row>'
    "</sheetData></worksheet>"
)


def _workbook(
    path: Path, strings: Iterable[bytes], sheets: dict[str, Iterable[bytes]] | None = None
) -> Path:
    """Write a workbook whose shared strings (and sheets) are the pieces given, streamed.

    The pieces are deflated as they come, so a part of a gigabyte costs the test no memory.
    """
    seed = path.with_name("seed.xlsx")
    wb = openpyxl.Workbook()
    for title in list(sheets or {"Sheet": ()})[1:]:
        wb.create_sheet(title)
    wb.save(seed)
    parts = sheets or {"Sheet": [_SHEET.encode()]}
    with zipfile.ZipFile(seed) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", _SST_TYPE.encode() + b"</Types>")
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", _SST_REL.encode() + b"</Relationships>")
            elif info.filename.startswith("xl/worksheets/sheet"):
                n = int(info.filename.removeprefix("xl/worksheets/sheet").removesuffix(".xml"))
                _stream(out, info.filename, list(parts.values())[n - 1])
                continue
            out.writestr(info.filename, data)
        _stream(out, "xl/sharedStrings.xml", strings)
    seed.unlink()
    return path


def _stream(out: zipfile.ZipFile, name: str, pieces: Iterable[bytes]) -> None:
    with out.open(name, "w", force_zip64=True) as part:
        for piece in pieces:
            part.write(piece)


def _strings(*texts: str, padding: int = 0) -> Iterable[bytes]:
    """Shared strings, then ``padding`` bytes of blanks (which deflate a thousandfold)."""
    yield f"<sst {_MAIN}>".encode()
    for text in texts:
        yield f"<si><t>{text}</t></si>".encode()
    block = b" " * (1 << 20)
    for _ in range(padding >> 20):
        yield block
    yield b"</sst>"


def _blank_sheet(padding: int) -> Iterable[bytes]:
    yield f"<worksheet {_MAIN}><sheetData>".encode()
    block = b" " * (1 << 20)
    for _ in range(padding >> 20):
        yield block
    yield b"</sheetData></worksheet>"


def test_a_workbook_with_shared_strings_reads_them(tmp_path: Path) -> None:
    """The builder's workbook is read, its shared string in place (the tests below differ)."""
    path = _workbook(tmp_path / "u.xlsx", _strings("Tỉnh 01"))
    (batch,) = read_excel(path).iter_batches()
    assert batch["name"].tolist() == ["Tỉnh 01"]


@pytest.mark.parametrize("index", ["-1", "-2", "2"])
def test_a_cell_naming_no_shared_string_is_a_damaged_workbook(tmp_path: Path, index: str) -> None:
    """Index -1 read the last shared string as the cell's text, and the row was accepted."""
    sheet = _SHEET.replace('<c r="B2" t="s"><v>0</v>', f'<c r="B2" t="s"><v>{index}</v>')
    strings = _strings("Tỉnh 01", "Tỉnh 02")
    path = _workbook(tmp_path / "u.xlsx", strings, {"Sheet": [sheet.encode()]})
    with pytest.raises(FileFormatError) as caught:
        read_excel(path)
    message = str(caught.value)
    assert f"(sheet 'Sheet', row 2): a cell names shared string {index}; the workbook has 2" in (
        message
    )


def test_shared_strings_that_unzip_a_thousandfold_are_refused(tmp_path: Path) -> None:
    """A zip bomb in xl/sharedStrings.xml is refused from the zip's sizes, before parsing.

    The old reader loaded every shared string first: 2 MB of such a file held 1.2 GB.
    """
    size = limits.EXPANSION_FROM + (8 << 20)
    path = _workbook(tmp_path / "bomb.xlsx", _strings("Tỉnh 01", padding=size))
    with pytest.raises(FileFormatError) as caught:
        read_excel(path)
    err = caught.value
    assert err.file == str(path)
    message = str(err)
    assert "part 'xl/sharedStrings.xml' would unzip to" in message
    assert "learnsoc.limits.MAX_EXPANSION" in message and "zip bomb" in message
    assert "không đọc được tệp Excel: phần 'xl/sharedStrings.xml' sẽ giải nén" in err.localized(
        "vi"
    )


def test_a_sheet_that_unzips_a_thousandfold_is_refused(tmp_path: Path) -> None:
    """A sheet bomb (blanks, empty cells or one huge inline string) is refused by its part."""
    size = limits.EXPANSION_FROM + (8 << 20)
    path = _workbook(tmp_path / "bomb.xlsx", _strings(), {"Sheet": _blank_sheet(size)})
    with pytest.raises(FileFormatError, match=r"part 'xl/worksheets/sheet1\.xml' would unzip"):
        read_excel(path)


def test_many_small_bombs_are_refused_together(tmp_path: Path) -> None:
    """Sheets each under the size checked alone, but together over it, are refused together.

    A workbook of thousands of such sheets would otherwise be searched sheet by sheet.
    """
    half = limits.EXPANSION_FROM // 2 + (2 << 20)
    sheets = {"A": _blank_sheet(half), "B": _blank_sheet(half)}
    path = _workbook(tmp_path / "bomb.xlsx", _strings(), sheets)
    with pytest.raises(FileFormatError, match="its parts together would unzip to"):
        read_excel(path)


def test_a_small_part_is_read_however_well_it_compresses(tmp_path: Path) -> None:
    """Below EXPANSION_FROM the ratio is not checked: a bloated styles.xml is 300:1."""
    path = _workbook(tmp_path / "u.xlsx", _strings("Tỉnh 01", padding=4 << 20))
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/sharedStrings.xml")
    assert info.file_size > limits.MAX_EXPANSION * info.compress_size
    (batch,) = read_excel(path).iter_batches()
    assert batch["name"].tolist() == ["Tỉnh 01"]


def test_a_workbook_of_many_sheets_is_listed_in_a_message_of_bounded_length(
    tmp_path: Path,
) -> None:
    """No sheet holding the table: the first 20 sheets are listed, then how many more.

    The old message listed every sheet: 134 KB for a workbook of 5,000 sheets.
    """
    wb = openpyxl.Workbook()
    wb.active.append(["Hướng dẫn"])
    for i in range(1, 30):
        wb.create_sheet(f"S{i}").append(["x", "y"])
    path = tmp_path / "many.xlsx"
    wb.save(path)
    with pytest.raises(FileFormatError) as caught:
        read_excel(path, find=TableHeader(("person_id", "household_id")))
    message = str(caught.value)
    assert "'S19' (row 1: 'x', 'y'), and 10 more sheets; give the one" in message
    assert "'S20'" not in message
    assert "và 10 trang tính khác" in caught.value.localized("vi")


def test_many_sheets_holding_the_table_are_listed_in_a_message_of_bounded_length(
    tmp_path: Path,
) -> None:
    """Sheets holding the table, and the sheets when none is named right, are cut at 20.

    The old messages listed all of them: 990 KB for a 1 MB workbook of 100,000 sheets.
    """
    wb = openpyxl.Workbook()
    wb.active.title = "S0"
    wb.active.append(["person_id", "household_id"])
    for i in range(1, 30):
        wb.create_sheet(f"S{i}").append(["person_id", "household_id"])
    path = tmp_path / "many.xlsx"
    wb.save(path)
    with pytest.raises(FileFormatError) as caught:
        read_excel(path, find=TableHeader(("person_id", "household_id")))
    message = str(caught.value)
    assert "household_id: 'S0', 'S1', " in message
    assert message.count("'S19', and 10 more sheets; ") == 1  # the sheets holding the table
    assert message.count("'S19' (row 1: 'person_id', 'household_id'), and 10 more sheets") == 1
    assert "'S20'" not in message
    with pytest.raises(FileFormatError) as caught:
        read_excel(path, sheet="S30")
    assert str(caught.value).endswith(
        "no sheet 'S30'; the sheets are 'S0', "
        + ", ".join(f"'S{i}'" for i in range(1, 20))
        + ", and 10 more sheets"
    )


def test_a_workbook_listing_more_sheets_than_the_limit_is_refused(tmp_path: Path) -> None:
    """Its list is counted before openpyxl reads it: 100,000 sheets (a 1 MB workbook) took
    371 MB and 31 s, and ended in a message of every sheet holding the table."""
    from benchmarks.hostile_files import sheets_file

    path = sheets_file(tmp_path, limits.MAX_SHEETS + 1)
    with pytest.raises(FileFormatError) as caught:
        read_excel(path)
    assert str(caught.value) == (
        f"{path}: not a readable Excel workbook: it lists more than 10,000 sheets "
        "(learnsoc.limits.MAX_SHEETS); save the sheet to read in a workbook of its own, or as "
        "CSV UTF-8"
    )
    assert "tệp liệt kê hơn 10.000 trang tính" in caught.value.localized("vi")
    (batch,) = read_excel(sheets_file(tmp_path, 3), sheet=2).iter_batches()
    assert batch["person_id"].tolist() == ["1", "2"]  # a few sheets are read


def test_a_sheet_name_of_megabytes_is_named_cut(tmp_path: Path) -> None:
    """A sheet's name (31 characters in Excel) of a million is shown by its first 80."""
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet"
    wb.active.append(["x"])
    seed = tmp_path / "seed.xlsx"
    wb.save(seed)
    long = "S" * 1_000_000
    path = tmp_path / "long.xlsx"
    with zipfile.ZipFile(seed) as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b'name="Sheet"', f'name="{long}"'.encode())
            out.writestr(info.filename, data)
    with pytest.raises(FileFormatError) as caught:
        read_excel(path, sheet="Other")
    message = str(caught.value)
    assert message.endswith(f"the sheets are '{'S' * limits.MAX_SHOWN_CHARS}…'")
    assert len(message) < 1_000


@pytest.mark.slow
def test_a_real_workbook_of_100k_rows_is_read_with_its_parts_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workbook as Excel's users fill it unzips to about 10 times its size: read whole.

    The size checked from is lowered, so that its sheet (26 MB unzipped) is checked.
    """
    monkeypatch.setattr("learnsoc.io.excel.EXPANSION_FROM", 1 << 20)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(["person_id", "household_id", "age", "sex", "name"])
    n = 100_000
    for i in range(n):
        ws.append([f"NK{i:07d}", f"H{i // 4:06d}", i % 90, 1 + i % 2, f"Nguyễn Văn {i}"])
    path = tmp_path / "persons.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    assert sheet.file_size > 1 << 20
    (batch,) = read_excel(path).iter_batches()
    assert len(batch["person_id"]) == n
    assert batch["name"][-1] == f"Nguyễn Văn {n - 1}"


_SST_CASES = {
    "plain": "<si><t>Tỉnh 01</t></si><si><t xml:space='preserve'>  two  </t></si>",
    "empty": "<si><t/></si><si><t></t></si><si/>",
    "rich runs": "<si><r><rPr><b/></rPr><t>Nguyễn </t></r><r><t>Văn A</t></r></si>",
    "plain then runs": "<si><t>a</t><r><t>b</t></r><r><t/></r><r><t>c</t></r></si>",
    "phonetic guide left out": "<si><t>東京</t><rPh sb='0' eb='2'><t>トウキョウ</t></rPh></si>",
    "escapes": "<si><t>a_x005F_x000D_b &amp; &lt;c&gt; &#x1EA1;</t></si>",
    "line breaks": "<si><t>line 1\nline 2\r\nline 3</t></si>",
    "two plain texts": "<si><t>first</t><t>second</t></si>",
    "prefixed": "<x:si xmlns:x='http://schemas.openxmlformats.org/spreadsheetml/2006/main'>"
    "<x:t>p</x:t></x:si>",
    "other elements": "<si><t>a</t><phoneticPr fontId='1'/></si><extLst/>",
}


@pytest.mark.parametrize("body", list(_SST_CASES.values()), ids=list(_SST_CASES))
def test_shared_strings_read_as_openpyxl_reads_them(body: str) -> None:
    """The reader of shared strings gives openpyxl's strings, rich text and escapes alike."""

    strings: Any = importlib.import_module("openpyxl.reader.strings")
    xml = f"<?xml version='1.0' encoding='UTF-8'?><sst {_MAIN}>{body}</sst>".encode()
    expected = strings.read_string_table(io.BytesIO(xml))
    # Read in blocks of 7 bytes too: a string split across blocks is still one string.
    assert _shared_strings(io.BytesIO(xml)) == expected
    assert _shared_strings(_Trickle(xml, 7)) == expected


class _Trickle(io.BytesIO):
    """A file giving at most ``n`` bytes a read."""

    def __init__(self, data: bytes, n: int) -> None:
        super().__init__(data)
        self.n = n

    def read(self, size: int | None = -1) -> bytes:
        return super().read(self.n)


def test_a_huge_shared_string_is_cut_as_it_is_read(tmp_path: Path) -> None:
    """A shared string of 30 MB costs Excel's limit, not its length: the cell is too long.

    Such a part (below EXPANSION_FROM) is read; openpyxl built the whole string first.
    """
    path = _workbook(tmp_path / "u.xlsx", _huge_string(30 << 20))
    tracemalloc.start()
    try:
        (batch,) = read_excel(path).iter_batches()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(batch["name"][0]) == limits.MAX_CELL_CHARS + 1
    assert peak < 10 << 20


def _huge_string(size: int) -> Iterable[bytes]:
    yield f"<sst {_MAIN}><si><t>".encode()
    block = b"a" * (1 << 20)
    for _ in range(size >> 20):
        yield block
    yield b"</t></si></sst>"


def _declared(entities: str, text: str) -> Iterable[bytes]:
    """Shared strings whose part declares ``entities`` in a DTD, string 0 being ``text``."""
    yield f"<!DOCTYPE sst [{entities}]><sst {_MAIN}><si><t>{text}</t></si></sst>".encode()


@pytest.mark.parametrize(
    ("entities", "text"),
    [
        # Not fetched by expat: its reference was read as nothing, the cell empty.
        ('<!ENTITY x SYSTEM "file:///etc/hostname">', "&x;"),
        ('<!ENTITY x "Tỉnh 02">', "&x;"),  # read as the text; Excel never writes one
        (
            '<!ENTITY a "aaaaaaaaaa">'
            + "".join(f'<!ENTITY a{i} "{(f"&a{i - 1};" if i else "&a;") * 10}">' for i in range(8)),
            "&a7;",
        ),
    ],
    ids=["external", "internal", "nested"],
)
def test_shared_strings_that_declare_a_dtd_are_refused(
    tmp_path: Path, entities: str, text: str
) -> None:
    """An external entity made the cell an empty one, without a word."""
    path = _workbook(tmp_path / "u.xlsx", _declared(entities, text))
    with pytest.raises(FileFormatError) as caught:
        read_excel(path)
    assert str(caught.value) == (
        f"{path}: not a readable Excel workbook: its part xl/sharedStrings.xml declares a DTD "
        "(<!DOCTYPE ...>), which no workbook Excel or LibreOffice saves has: its entities could "
        "hide a cell's text or expand it a thousandfold; open it in Excel and save it as an "
        "Excel Workbook (.xlsx) or as CSV UTF-8"
    )
    assert "DTD" in caught.value.localized("vi")


def test_styles_that_declare_a_dtd_are_refused(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "u.xlsx", _strings("Tỉnh 01"))
    rebuilt = tmp_path / "s.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(rebuilt, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/styles.xml":
                start = data.index(b"<styleSheet")
                dtd = b'<!DOCTYPE styleSheet [<!ENTITY f "yyyy-mm-dd">]>'
                data = data[:start] + dtd + data[start:]
            out.writestr(info.filename, data)
    with pytest.raises(FileFormatError, match=r"its part xl/styles\.xml declares a DTD"):
        read_excel(rebuilt)
