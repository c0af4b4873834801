"""The errors and warnings of reading and writing files, in Vietnamese (issue 16, item 6).

Bad files are what agency users meet most: each message below is triggered the way a
user would trigger it, and must read exactly so under ``localized("vi")``, while
``str(err)`` keeps its English text.
"""

from __future__ import annotations

import io
import sys
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import numpy as np
import pytest

from learnsoc._frames import to_frame
from learnsoc._tables import as_columns
from learnsoc.errors import LearnsocError, LearnsocWarning
from learnsoc.io.convert import PlaceholderWarning, convert_table
from learnsoc.io.csv import read_csv
from learnsoc.io.excel import read_excel
from learnsoc.io.export import table_name, write_population
from learnsoc.io.files import check_line_lengths, decode, read_bytes, unreadable
from learnsoc.io.frames import frame_table
from learnsoc.io.mapping import read_mapping
from learnsoc.io.parquet import read_arrow_ipc, read_parquet
from learnsoc.io.population import read_population, read_table
from learnsoc.io.vn_units import vietnam_units
from learnsoc.io.writers import check_output, output_format, write_csv

Case = Callable[[Path], object]


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def _raised(case: Case, folder: Path) -> LearnsocError:
    with pytest.raises(LearnsocError) as info:
        case(folder)
    return info.value


def _check(case: Case, english: str, vietnamese: str, folder: Path) -> None:
    err = _raised(case, folder)
    assert str(err).replace(f"{folder}/", "") == english
    assert err.localized("vi").replace(f"{folder}/", "") == vietnamese
    assert err.localized("en") == str(err)


def _zip(name: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr(name, "<x/>")
    return buf.getvalue()


def _sheet(folder: Path, rows: list[list[object]], title: str = "Trang 1") -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    path = folder / "book.xlsx"
    book.save(path)
    return path


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


def _denied(folder: Path) -> None:
    # What opening a file without permission raises (root, running the tests, may read all).
    raise unreadable(PermissionError(13, "Permission denied"), "p.csv")


def _long_line(folder: Path) -> None:
    with mock.patch("learnsoc.limits.MAX_LINE_BYTES", 8):
        check_line_lengths(b"id,age\n1,40\n" + b"9" * 9, "p.csv")


FILES: dict[str, tuple[Case, str, str]] = {
    "missing": (
        lambda d: read_bytes(d / "p.csv"),
        "p.csv: no such file",
        "p.csv: không có tệp này",
    ),
    "folder": (
        lambda d: read_bytes(_folder(d / "data")),
        "data: is a directory, not a file",
        "data: là một thư mục, không phải một tệp",
    ),
    "no permission": (
        _denied,
        "p.csv: cannot be read (Permission denied)",
        "p.csv: không đọc được (không có quyền truy cập)",
    ),
    "not UTF-8": (
        lambda d: decode("a,b\n1,Tên\n".encode("cp1258"), "p.csv"),
        "p.csv:2: the file is not UTF-8 (byte 0xea at offset 7); it may be Windows-1258 "
        "(Vietnamese Windows) or another legacy encoding; save it as UTF-8 (in Excel: "
        "'CSV UTF-8') or name its encoding (encoding=..., --encoding)",
        "p.csv:2: tệp không phải UTF-8 (byte 0xea ở vị trí 7); tệp có thể dùng bảng mã "
        "Windows-1258 (tiếng Việt trên Windows) hoặc một bảng mã cũ khác; hãy lưu lại dạng "
        "UTF-8 (trong Excel: 'CSV UTF-8') hoặc chỉ rõ bảng mã (--encoding)",
    ),
    "unknown encoding": (
        lambda d: decode(b"a", "p.csv", "latin-9x"),
        "p.csv: unknown encoding 'latin-9x'",
        "p.csv: bảng mã 'latin-9x' không xác định",
    ),
    "invalid byte": (
        lambda d: decode(b"a\n\x81", "p.csv", "ascii"),
        "p.csv:2: byte at offset 2 is not valid ascii",
        "p.csv:2: byte ở vị trí 2 không hợp lệ trong bảng mã ascii",
    ),
    "long line": (
        _long_line,
        "p.csv:3: the line is longer than 8 bytes, the most learnsoc reads in one line "
        "(learnsoc.limits.MAX_LINE_BYTES): the file is probably not a CSV file, or its line "
        "breaks were lost",
        "p.csv:3: dòng dài hơn 8 byte, độ dài tối đa learnsoc đọc trong một dòng: có thể tệp "
        "không phải tệp CSV, hoặc đã mất các dấu xuống dòng",
    ),
}

_RESAVE = (
    "open it in Excel and save it as an Excel Workbook (.xlsx) or as CSV UTF-8",
    "hãy mở tệp bằng Excel rồi lưu lại dạng Excel Workbook (.xlsx) hoặc CSV UTF-8",
)

EXCEL: dict[str, tuple[Case, str, str]] = {
    "a CSV named .xlsx": (
        lambda d: read_excel(_write(d, "p.xlsx", "a,b\n1,2\n")),
        "p.xlsx: not an Excel workbook: it is a text file (it looks like CSV); rename it "
        ".csv, or open it in Excel and save it as an Excel Workbook (.xlsx)",
        "p.xlsx: không phải tệp Excel: đây là tệp văn bản (có vẻ là tệp CSV); hãy đổi phần "
        "mở rộng thành .csv, hoặc mở tệp bằng Excel rồi lưu lại dạng Excel Workbook (.xlsx)",
    ),
    "an empty file": (
        lambda d: read_excel(_write(d, "p.xlsx", b"")),
        "p.xlsx: not an Excel workbook: the file is empty",
        "p.xlsx: không phải tệp Excel: tệp trống",
    ),
    "damaged zip": (
        lambda d: read_excel(_write(d, "p.xlsx", b"PK\x03\x04garbage")),
        "p.xlsx: not a readable Excel workbook: the zip file is damaged or truncated (File "
        f"is not a zip file); {_RESAVE[0]}",
        "p.xlsx: không đọc được tệp Excel: tệp nén zip bị hỏng hoặc bị cắt cụt (File is "
        f"not a zip file); {_RESAVE[1]}",
    ),
    "an .ods": (
        lambda d: read_excel(_write(d, "p.xlsx", _zip("content.xml"))),
        f"p.xlsx: not an .xlsx workbook: it is an OpenDocument spreadsheet (.ods); {_RESAVE[0]}",
        f"p.xlsx: không phải tệp Excel .xlsx: đây là bảng tính OpenDocument (.ods); {_RESAVE[1]}",
    ),
    "an .xls": (
        lambda d: read_excel(_write(d, "p.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(99))),
        "p.xlsx: not an .xlsx workbook: it is an Excel 97-2003 workbook (.xls) or a "
        f"password-protected one; remove any password, and {_RESAVE[0]}",
        "p.xlsx: không phải tệp Excel .xlsx: đây là tệp Excel 97-2003 (.xls) hoặc tệp có đặt "
        f"mật khẩu; gỡ bỏ mật khẩu (nếu có) rồi {_RESAVE[1]}",
    ),
    "no such sheet": (
        lambda d: read_excel(_sheet(d, [["a"]]), sheet="Sheet9"),
        "book.xlsx: no sheet 'Sheet9'; the sheets are 'Trang 1'",
        "book.xlsx: không có trang tính 'Sheet9'; các trang tính có trong tệp: 'Trang 1'",
    ),
    "an empty sheet": (
        lambda d: read_excel(_sheet(d, [])),
        "book.xlsx:1: sheet 'Trang 1' is empty: a header row is needed",
        "book.xlsx:1: trang tính 'Trang 1' trống: cần có một dòng tiêu đề",
    ),
    "a value right of the header": (
        lambda d: read_excel(_sheet(d, [["a", "b"], [1, 2, 3]])),
        "book.xlsx:2: sheet 'Trang 1', cell C2 holds a value beyond the last named column; "
        "name its column in the header or delete it",
        "book.xlsx:2: trang tính 'Trang 1', ô C2 có giá trị nằm ngoài cột cuối cùng có tên; "
        "hãy đặt tên cho cột đó trong dòng tiêu đề hoặc xóa giá trị",
    ),
    "a column without a name": (
        lambda d: read_excel(_sheet(d, [["a", None, "c"], [1, 2, 3]])),
        "book.xlsx:2: sheet 'Trang 1': <column 2> has no name in the header but holds values; "
        "name it or delete it",
        "book.xlsx:2: trang tính 'Trang 1': cột thứ 2 không có tên trong dòng tiêu đề nhưng "
        "có dữ liệu; hãy đặt tên cho cột hoặc xóa cột đó",
    ),
}

CSV: dict[str, tuple[Case, str, str]] = {
    "a column twice": (
        lambda d: read_csv(_write(d, "p.csv", "a,b,a\n1,2,3\n")),
        "p.csv:1: column 'a' appears twice in the header (columns 1 and 3)",
        "p.csv:1: cột 'a' xuất hiện hai lần trong dòng tiêu đề (cột thứ 1 và cột thứ 3)",
    ),
    "an empty file": (
        lambda d: read_csv(_write(d, "p.csv", "")),
        "p.csv:1: the file is empty: a header line naming the columns is needed",
        "p.csv:1: tệp trống: cần có một dòng tiêu đề ghi tên các cột",
    ),
    "a quote left open in the header": (
        lambda d: read_csv(_write(d, "p.csv", 'a,"b\n1,2\n'), engine="python"),
        "p.csv:1: a quote opened in the header line is never closed",
        "p.csv:1: dòng tiêu đề có một dấu ngoặc kép được mở nhưng không được đóng",
    ),
}

_PYARROW_FOOTER = (
    "Parquet magic bytes not found in footer. Either the file is corrupted or this is not "
    "a parquet file."
)


def _nested(folder: Path) -> object:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"a": [[1, 2]]}), folder / "p.parquet")
    return next(iter(read_parquet(folder / "p.parquet").iter_batches()))


def _unnamed(folder: Path) -> object:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({" ": [1]}), folder / "p.parquet")
    return read_parquet(folder / "p.parquet")


PARQUET: dict[str, tuple[Case, str, str]] = {
    "missing": (
        lambda d: read_parquet(d / "p.parquet"),
        "p.parquet: no such file",
        "p.parquet: không có tệp này",
    ),
    "not Parquet": (
        lambda d: read_parquet(_write(d, "p.parquet", b"not parquet at all")),
        f"p.parquet: not a readable Parquet file: {_PYARROW_FOOTER}; the file may be damaged "
        "or truncated: write it again from its source",
        f"p.parquet: không đọc được tệp Parquet: {_PYARROW_FOOTER}; tệp có thể bị hỏng hoặc "
        "bị cắt cụt: hãy xuất lại tệp từ nguồn",
    ),
    "not Arrow": (
        lambda d: read_arrow_ipc(_write(d, "p.arrow", b"not arrow at all")),
        "p.arrow: not a readable Arrow IPC file: File is too small: 16; the file may be "
        "damaged or truncated: write it again from its source",
        "p.arrow: không đọc được tệp Arrow IPC: File is too small: 16; tệp có thể bị hỏng "
        "hoặc bị cắt cụt: hãy xuất lại tệp từ nguồn",
    ),
    "a column of lists": (
        _nested,
        "p.parquet: column 'a' holds lists of values (Arrow type list<element: int64>), not "
        "one value per cell; learnsoc reads numbers, text, booleans and dates: write this "
        "column as one of those, or leave it out",
        "p.parquet: cột 'a' chứa các danh sách giá trị (kiểu Arrow list<element: int64>), "
        "không phải một giá trị mỗi ô; learnsoc đọc số, văn bản, giá trị đúng/sai và ngày "
        "tháng: hãy ghi cột này theo một trong các kiểu đó, hoặc bỏ cột ra",
    ),
    "a column without a name": (
        _unnamed,
        "p.parquet: column 1 has no name; name every column of the file",
        "p.parquet: cột thứ 1 không có tên; hãy đặt tên cho mọi cột của tệp",
    ),
}

_KNOWN = ".csv, .txt, .tsv, .xlsx, .xlsm, .parquet, .pq, .arrow, .feather, .ipc"
_HOUSEHOLDS = "household_id,unit_code\nH1,00001001\n"
_UNITS = (
    "code,name,level,parent_code\n01,Hà Nội,province,\n00001,Ba Đình,commune,01\n"
    "00001001,Tổ 1,village,00001\n"
)


def _population(folder: Path, persons: str, **options: object) -> object:
    return read_population(
        _write(folder, "p.csv", persons),
        households=_write(folder, "h.csv", _HOUSEHOLDS),
        units=_write(folder, "u.csv", _UNITS),
        **options,  # type: ignore[arg-type]
    )


POPULATION: dict[str, tuple[Case, str, str]] = {
    "an unknown extension": (
        lambda d: read_table(_write(d, "p.doc", "a"), table="person"),
        f"p.doc: unknown file type '.doc'; learnsoc reads {_KNOWN}",
        f"p.doc: loại tệp '.doc' không được hỗ trợ; learnsoc đọc các tệp {_KNOWN}",
    ),
    "no extension": (
        lambda d: read_table(_write(d, "p", "a"), table="person"),
        f"p: unknown file type '(none)'; learnsoc reads {_KNOWN}",
        f"p: tệp không có phần mở rộng nên không xác định được loại tệp; learnsoc đọc các "
        f"tệp {_KNOWN}",
    ),
    "strict, a value out of range": (
        lambda d: _population(d, "person_id,household_id,age\n1,H1,400\n", strict=True),
        "1 problem(s) in the input; first: p.csv, line 2, column age: value '400' is out of "
        "range (expected 0..120)",
        "dữ liệu đầu vào có 1 lỗi; lỗi đầu tiên: p.csv, dòng 2, cột age: giá trị '400' nằm "
        "ngoài khoảng cho phép (0..120)",
    ),
    "strict, not a date": (
        lambda d: _population(
            d,
            "person_id,household_id,birth_date\n1,H1,31/02/1990\n",
            strict=True,
            reference_year=2025,
        ),
        "1 problem(s) in the input; first: p.csv, line 2, column birth_date: value "
        "'31/02/1990' is not a date (expected dd/mm/yyyy, d/m/yyyy or yyyy-mm-dd)",
        "dữ liệu đầu vào có 1 lỗi; lỗi đầu tiên: p.csv, dòng 2, cột birth_date: giá trị "
        "'31/02/1990' không phải là một ngày có thật (định dạng: ngày/tháng/năm (dd/mm/yyyy "
        "hoặc d/m/yyyy) hoặc năm-tháng-ngày (yyyy-mm-dd))",
    ),
    "a cell that is no number, read alone": (
        lambda d: convert_table(
            read_csv(_write(d, "p.csv", "person_id,household_id,age\n1,H1,bốn\n")), "person"
        ),
        "p.csv:2: column age: value 'bốn' is not a number",
        "p.csv:2: cột age: giá trị 'bốn' không phải là số",
    ),
    "two columns for one": (
        lambda d: _population(
            d,
            "person_id,household_id,age,Tuổi\n1,H1,40,40\n",
            mapping=_write(d, "m.toml", "[person.columns]\n'Tuổi' = 'age'\n"),
        ),
        "person column 'age': p.csv has two columns for it: 'age' and 'Tuổi'",
        "người, cột 'age': p.csv có hai cột cùng ứng với cột này: 'age' và 'Tuổi'",
    ),
}

WRITERS: dict[str, tuple[Case, str, str]] = {
    "an unknown extension": (
        lambda d: output_format("out.doc"),
        "cannot write 'out.doc': '.doc' is not a format learnsoc writes; use .csv, .txt, "
        ".parquet, .pq, .json or .xlsx",
        "không thể ghi 'out.doc': learnsoc không ghi được định dạng '.doc'; hãy dùng .csv, "
        ".txt, .parquet, .pq, .json hoặc .xlsx",
    ),
    "no extension": (
        lambda d: output_format("out"),
        "cannot write 'out': the name has no extension; use .csv, .txt, .parquet, .pq, .json "
        "or .xlsx",
        "không thể ghi 'out': tên tệp không có phần mở rộng; hãy dùng .csv, .txt, .parquet, "
        ".pq, .json hoặc .xlsx",
    ),
    "one format only": (
        lambda d: output_format("out.txt", {".csv": "csv"}),
        "cannot write 'out.txt': '.txt' is not a format learnsoc writes; use .csv",
        "không thể ghi 'out.txt': learnsoc không ghi được định dạng '.txt'; hãy dùng .csv",
    ),
    "a folder": (
        lambda d: check_output(Path(".")),
        "cannot write '.': it is a folder; give a file name",
        "không thể ghi '.': đó là một thư mục; hãy cho một tên tệp",
    ),
    "an input": (
        lambda d: check_output(f"{d}/./in.csv", protect=[_write(d, "in.csv", "a")]),
        "cannot write './in.csv': it is the input file 'in.csv' (the same file); writing "
        "would replace it, so give the output another name",
        "không thể ghi './in.csv': đó chính là tệp đầu vào 'in.csv' (cùng một tệp); ghi ra "
        "sẽ xóa mất tệp đầu vào, vì vậy hãy đặt tên khác cho tệp kết quả",
    ),
    "columns of different lengths": (
        lambda d: write_csv({"a": [1, 2], "b": [1]}, d / "o.csv"),
        "output table: columns have different lengths (a=2, b=1)",
        "bảng đầu ra: các cột có độ dài khác nhau (a=2, b=1)",
    ),
}

EXPORT: dict[str, tuple[Case, str, str]] = {
    "a misspelt table": (
        lambda d: table_name("persns"),
        "persns table: no such table; did you mean 'persons'?",
        "bảng persns: không có bảng này; có phải ý bạn là 'persons'?",
    ),
    "an unknown format": (
        lambda d: write_population(
            None,  # type: ignore[arg-type]  # refused before the population is used
            "out",
            format="ods",  # type: ignore[arg-type]
        ),
        "cannot write 'out': format 'ods' is not written; use csv, parquet or xlsx",
        "không thể ghi 'out': không ghi được định dạng 'ods'; hãy dùng csv, parquet hoặc xlsx",
    ),
}

MAPPING: dict[str, tuple[Case, str, str]] = {
    "a misspelt key": (
        lambda d: read_mapping(_write(d, "m.toml", "[mapping]\ndelimitr = ';'\n")),
        "m.toml:2 [mapping.delimitr]: unknown key 'delimitr'; did you mean 'delimiter'?",
        "m.toml:2 [mapping.delimitr]: khóa 'delimitr' không hợp lệ; có phải ý bạn là 'delimiter'?",
    ),
    "a bad delimiter": (
        lambda d: read_mapping(_write(d, "m.toml", "[mapping]\ndelimiter = ':'\n")),
        "m.toml:2 [mapping.delimiter]: delimiter ':' is not one of ',', ';', '|', 'tab' or 'auto'",
        "m.toml:2 [mapping.delimiter]: ký tự phân cách ':' không thuộc các giá trị ',', ';', "
        "'|', 'tab' hoặc 'auto'",
    ),
    "a misspelt column": (
        lambda d: read_mapping(_write(d, "m.toml", "[person.columns]\n'Tuổi' = 'agee'\n")),
        "m.toml:2 [person.columns.Tuổi]: 'agee' is not a person column; did you mean 'age'?",
        "m.toml:2 [person.columns.Tuổi]: 'agee' không phải là một cột của bảng người; có "
        "phải ý bạn là 'age'?",
    ),
    "a bad code": (
        lambda d: read_mapping(_write(d, "m.toml", "[person.values.sex]\n'Nam' = 7\n")),
        "m.toml:2 [person.values.sex.Nam]: '7' is not a valid value of 'sex' (expected 1, 2)",
        "m.toml:2 [person.values.sex.Nam]: '7' không phải là giá trị hợp lệ của 'sex' (giá "
        "trị hợp lệ: 1, 2)",
    ),
}

TABLES: dict[str, tuple[Case, str, str]] = {
    "not a table": (
        lambda d: as_columns(5, "persons"),
        "persons table: must be a mapping of column name to array or a data frame, got int",
        "bảng persons: phải là một ánh xạ từ tên cột tới mảng, hoặc một bảng dữ liệu (data "
        "frame), nhưng nhận được int",
    ),
    "a 2-D column": (
        lambda d: as_columns({"a": np.zeros((2, 2))}, "persons"),
        "persons column 'a': must be one-dimensional, got shape (2, 2)",
        "persons, cột 'a': phải là mảng một chiều, nhận được kích thước (2, 2)",
    ),
    "a frame of different lengths": (
        lambda d: frame_table({"a": [1, 2], "b": [1]}, "persons"),
        "persons table: columns have different lengths",
        "bảng persons: các cột có độ dài khác nhau",
    ),
    "an unknown tree of units": (
        lambda d: vietnam_units("vn-2026"),
        "unknown tree 'vn-2026'; did you mean 'vn-2025'?",
        "không có cây đơn vị hành chính 'vn-2026'; có phải ý bạn là 'vn-2025'?",
    ),
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_file_errors_in_vietnamese(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Missing files, folders, encodings, overlong lines (learnsoc.io.files)."""
    monkeypatch.chdir(tmp_path)
    _check(*FILES[name], tmp_path)


@pytest.mark.parametrize("name", sorted(EXCEL))
def test_excel_errors_in_vietnamese(name: str, tmp_path: Path) -> None:
    """What a damaged or misnamed workbook says (learnsoc.io.excel)."""
    _check(*EXCEL[name], tmp_path)


@pytest.mark.parametrize("name", sorted(CSV))
def test_csv_errors_in_vietnamese(name: str, tmp_path: Path) -> None:
    """What a broken CSV header says (learnsoc.io.csv)."""
    _check(*CSV[name], tmp_path)


@pytest.mark.parametrize("name", sorted(PARQUET))
def test_parquet_errors_in_vietnamese(name: str, tmp_path: Path) -> None:
    """What a damaged Parquet or Arrow file says (learnsoc.io.parquet)."""
    _check(*PARQUET[name], tmp_path)


@pytest.mark.parametrize("name", sorted(POPULATION))
def test_population_errors_in_vietnamese(name: str, tmp_path: Path) -> None:
    """Reading a population: file types, strict mode, mapped columns (io.population, io.convert)."""
    _check(*POPULATION[name], tmp_path)


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_output_errors_in_vietnamese(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refused outputs (learnsoc.io.writers)."""
    monkeypatch.chdir(tmp_path)
    _check(*WRITERS[name], tmp_path)


@pytest.mark.parametrize("name", sorted(EXPORT))
def test_export_errors_in_vietnamese(name: str, tmp_path: Path) -> None:
    """Writing a population's tables (learnsoc.io.export)."""
    _check(*EXPORT[name], tmp_path)


@pytest.mark.parametrize("name", sorted(MAPPING))
def test_mapping_errors_in_vietnamese(name: str, tmp_path: Path) -> None:
    """A mapping file with a mistake (learnsoc.io.mapping)."""
    _check(*MAPPING[name], tmp_path)


@pytest.mark.parametrize("name", sorted(TABLES))
def test_table_errors_in_vietnamese(name: str, tmp_path: Path) -> None:
    """Tables given as objects, and unit lists (learnsoc._tables, io.frames, io.vn_units)."""
    _check(*TABLES[name], tmp_path)


def test_a_missing_frame_library_in_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    """learnsoc._frames: the feature is a Python name, the rest is translated."""
    monkeypatch.setitem(sys.modules, "polars", None)  # import polars raises ImportError
    with pytest.raises(LearnsocError) as info:
        to_frame({"a": np.array([1])}, "polars", "Rejects.to_polars()")
    assert str(info.value) == (
        "Rejects.to_polars() needs the optional package 'polars'; install it with: "
        "pip install 'learnsoc[polars]'"
    )
    assert info.value.localized("vi") == (
        "Rejects.to_polars() cần gói tùy chọn 'polars'; cài đặt bằng lệnh: "
        "pip install 'learnsoc[polars]'"
    )


def test_a_placeholder_warning_in_vietnamese(tmp_path: Path) -> None:
    """learnsoc.io.convert.PlaceholderWarning: words read as missing values, counted."""
    with pytest.warns(PlaceholderWarning) as caught:
        _population(tmp_path, "person_id,household_id,age,literate\n1,H1,40,NULL\n2,H1,9,-\n")
    (warning,) = [w.message for w in caught]
    assert isinstance(warning, LearnsocWarning)
    assert str(warning).replace(f"{tmp_path}/", "") == (
        "p.csv, column literate: 2 cells read as missing values: '-' (1), 'NULL' (1)"
    )
    assert warning.localized("vi").replace(f"{tmp_path}/", "") == (
        "p.csv, cột literate: 2 ô được coi là thiếu giá trị: '-' (1), 'NULL' (1)"
    )


def test_a_utf8_file_read_despite_another_encoding_warns_in_vietnamese() -> None:
    """learnsoc.io.files: the warning for a UTF-8 file in a set read as cp1258."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert decode("Tên".encode(), "h.csv", "cp1258") == "Tên"
    (warning,) = [w.message for w in caught]
    assert isinstance(warning, LearnsocWarning)
    assert warning.localized("vi") == (
        "h.csv: tệp dùng bảng mã UTF-8, không phải cp1258: tệp được đọc theo UTF-8 (bảng mã "
        "được chỉ định chỉ áp dụng cho các tệp không phải UTF-8)"
    )


def test_the_date_forms_of_a_not_a_date_reject_in_vietnamese(tmp_path: Path) -> None:
    """The not_a_date reject names the forms read, in the reader's language."""
    pop = _population(
        tmp_path,
        "person_id,household_id,birth_date\n1,H1,31/02/1990\n",
        reference_year=2025,
    )
    rejects = pop.rejects  # type: ignore[attr-defined]
    (en,) = [r.message for r in rejects.records("en")]
    (vi,) = [r.message for r in rejects.records("vi")]
    assert en.endswith(
        "value '31/02/1990' is not a date (expected dd/mm/yyyy, d/m/yyyy or yyyy-mm-dd)"
    )
    assert vi.endswith(
        "giá trị '31/02/1990' không phải là một ngày có thật (định dạng: ngày/tháng/năm "
        "(dd/mm/yyyy hoặc d/m/yyyy) hoặc năm-tháng-ngày (yyyy-mm-dd))"
    )


def test_a_number_with_a_decimal_comma_says_to_give_the_decimal_comma(tmp_path: Path) -> None:
    """12,5 read with a decimal point was "not a number" with no hint; now it says which option."""
    persons = 'person_id,household_id,age,learning_hours\n1,H1,40,"12,5"\n2,H1,41,abc\n'
    pop = _population(tmp_path, persons)
    rejects = pop.rejects  # type: ignore[attr-defined]
    en = [r.message for r in rejects.records("en")]
    vi = [r.message for r in rejects.records("vi")]
    assert [r.reason for r in rejects.records("en")] == ["not_a_number", "not_a_number"]
    assert en[0].endswith(
        "value '12,5' is not a number with a decimal point; if its comma is the decimal mark, "
        'read the file with a decimal comma (--decimal , on the command line, decimal="," in '
        "Python or in the mapping file)"
    )
    assert vi[0].endswith(
        "giá trị '12,5' không phải là số viết với dấu chấm thập phân; nếu dấu phẩy là dấu thập "
        "phân, hãy đọc tệp với dấu thập phân là dấu phẩy (--decimal , trên dòng lệnh, "
        'decimal="," trong Python hoặc trong tệp ánh xạ)'
    )
    # A word is no number either way: said as before.
    assert en[1].endswith("value 'abc' is not a number")
    assert vi[1].endswith("giá trị 'abc' không phải là số")
    # Read alone (no rejects list), the first such cell is the error, said the same way.
    raw_table = read_csv(_write(tmp_path, "q.csv", 'person_id,household_id,age\n1,H1,"40,5"\n'))
    with pytest.raises(LearnsocError) as info:
        convert_table(raw_table, "person")
    assert info.value.localized("vi") == str(tmp_path / "q.csv") + (
        ":2: cột age: giá trị '40,5' không phải là số viết với dấu chấm thập phân; nếu dấu "
        "phẩy là dấu thập phân, hãy đọc tệp với dấu thập phân là dấu phẩy (--decimal , trên dòng "
        'lệnh, decimal="," trong Python hoặc trong tệp ánh xạ)'
    )
