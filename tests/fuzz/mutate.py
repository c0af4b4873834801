"""Deterministic mutations of valid files: what a hostile or unlucky user does to them.

Every mutator takes a seeded :class:`random.Random` and the file's bytes and returns new
bytes; the same seed gives the same file on every machine (no hash randomisation, no
clock). Text mutators work on any file (CSV, TOML, the XML inside a workbook); the
workbook and Parquet families damage those formats at their own level (zip members,
sheet XML, Arrow types) as well.
"""

from __future__ import annotations

import io
import random
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable

Mutator = Callable[[random.Random, bytes], bytes]

_FIXED_TIME = (2025, 1, 1, 0, 0, 0)


def _insert(rng: random.Random, data: bytes, piece: bytes) -> bytes:
    i = rng.randrange(len(data) + 1)
    return data[:i] + piece + data[i:]


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def _field_start(rng: random.Random, data: bytes) -> int:
    """Return a position where a cell starts (after a separator or a line break), or anywhere."""
    starts = [m.end() for m in re.finditer(rb"[,;\t|\n=]", data)]
    if starts and rng.random() < 0.7:
        return rng.choice(starts)
    return rng.randrange(len(data) + 1)


def flip(rng: random.Random, data: bytes) -> bytes:
    """Flip bits or overwrite bytes at a few random places."""
    if not data:
        return bytes([rng.randrange(256)])
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(out))
        out[i] = out[i] ^ (1 << rng.randrange(8)) if rng.random() < 0.5 else rng.randrange(256)
    return bytes(out)


def truncate(rng: random.Random, data: bytes) -> bytes:
    """Cut the file short, anywhere (half the time inside the last tenth)."""
    if not data:
        return data
    if rng.random() < 0.5:
        return data[: rng.randrange(len(data))]
    return data[: rng.randrange(len(data) * 9 // 10, len(data))]


def quote(rng: random.Random, data: bytes) -> bytes:
    """Insert one or two double quotes, mostly where a cell starts (an unclosed quote)."""
    for _ in range(rng.choice((1, 1, 1, 2))):
        i = _field_start(rng, data)
        piece = rng.choice((b'"', b'"', b'""', b'"x', b'"\n'))
        data = data[:i] + piece + data[i:]
    return data


def separator(rng: random.Random, data: bytes) -> bytes:
    """Insert separators, line breaks and characters TOML and XML give a meaning to."""
    pieces = (b",", b";", b"\t", b"|", b",,,,", b"\n", b"\r", b"=", b"[", b"]", b"#", b"'", b"<")
    for _ in range(rng.randint(1, 3)):
        data = _insert(rng, data, rng.choice(pieces))
    return data


def bom(rng: random.Random, data: bytes) -> bytes:
    """Add byte-order marks: a second one at the start, one inside, or UTF-16's."""
    marks = (b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
    mark = rng.choice(marks)
    if rng.random() < 0.5:
        return mark + data
    return _insert(rng, data, mark)


def nul(rng: random.Random, data: bytes) -> bytes:
    """Insert NUL bytes (a file cut by a crash is often padded with them)."""
    for _ in range(rng.randint(1, 3)):
        data = _insert(rng, data, b"\x00" * rng.choice((1, 1, 4, 512)))
    return data


#: Cell values that are numbers to some readers and not to others, or too big for any.
NUMBERS = (
    "9" * 19,
    "9" * 20,
    "9" * 400,
    "9" * 5000,
    "-" + "9" * 30,
    "18446744073709551616",
    "-9223372036854775809",
    "32768",
    "65536",
    "255",
    "256",
    "-1",
    "-0",
    "+5",
    "1e400",
    "1e-400",
    "1e1",
    "0x10",
    "0b11",
    "1_0",
    "１２",
    "٣٤",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "null",
    "-",
    "1.5",
    "1,5",
    " 7 ",
    "７",
    '=HYPERLINK("http://x","y")',
    "@SUM(1+1)",
    "",
    "2025-13-45",
    "1979-05-27T07:32:00Z",
    "true",
)


def number(rng: random.Random, data: bytes) -> bytes:
    """Replace a run of digits (a number, an id, a code) with a troublesome value."""
    runs = list(re.finditer(rb"\d+", data))
    value = rng.choice(NUMBERS).encode()
    if not runs:
        return _insert(rng, data, value)
    for _ in range(rng.choice((1, 1, 2))):
        m = rng.choice(runs)
        data = data[: m.start()] + value + data[m.end() :]
        runs = list(re.finditer(rb"\d+", data))
        if not runs:
            break
    return data


def deep(rng: random.Random, data: bytes) -> bytes:
    """Insert deeply nested brackets (arrays and inline tables in TOML)."""
    n = rng.choice((64, 1000, 5000, 50_000))
    shape = rng.randrange(4)
    if shape == 0:
        piece = b"[" * n + b"]" * n
    elif shape == 1:
        piece = b"x = " + b"[" * n + b"]" * n + b"\n"
    elif shape == 2:
        piece = b"x = " + b"{a = " * n + b"1" + b"}" * n + b"\n"
    else:
        piece = b"[" * n
    if shape in (1, 2):
        lines = _lines(data)
        k = rng.randrange(len(lines) + 1)
        return b"".join([*lines[:k], piece, *lines[k:]])
    return data[: (i := _field_start(rng, data))] + piece + data[i:]


def dup_line(rng: random.Random, data: bytes) -> bytes:
    """Repeat a line (the header too), a few times or a thousand."""
    lines = _lines(data)
    k = rng.randrange(len(lines))
    line = lines[k] if lines[k].endswith(b"\n") else lines[k] + b"\n"
    times = rng.choice((1, 1, 2, 3, 1000))
    return b"".join([*lines[: k + 1], line * times, *lines[k + 1 :]])


def drop_line(rng: random.Random, data: bytes) -> bytes:
    """Delete one or a few lines (the header too)."""
    lines = _lines(data)
    for _ in range(rng.choice((1, 1, 3))):
        if len(lines) > 1:
            del lines[rng.randrange(len(lines))]
    return b"".join(lines)


_UNICODE = (
    unicodedata.normalize("NFD", "Hộ-1"),
    unicodedata.normalize("NFD", "Tuổi"),
    "\u0301\u0301\u0301",  # combining marks with nothing to combine with
    "\u200b",  # zero-width space
    "\u202e",  # right-to-left override
    "\u2028",  # line separator
    "\x85",  # next line
    "\x0b\x0c\x1c",
    "１２３",
    "٣",
    "😀",
    "\ufeff",
    "Ā" * 50,
)
_BAD_UTF8 = (b"\xed\xa0\x80", b"\x80", b"\xc0\xaf", b"\xe9", b"\xf4\x90\x80\x80", b"\xff")


def unicode(rng: random.Random, data: bytes) -> bytes:
    """Insert odd Unicode: decomposed letters, marks, separators, bytes that are not UTF-8."""
    for _ in range(rng.randint(1, 3)):
        piece = rng.choice(_BAD_UTF8) if rng.random() < 0.25 else rng.choice(_UNICODE).encode()
        data = data[: (i := _field_start(rng, data))] + piece + data[i:]
    return data


def long_cell(rng: random.Random, data: bytes) -> bytes:
    """Make one cell (or TOML string) very long: up to three megabytes."""
    n = rng.choice((40_000, 40_000, 200_000, 1_200_000, 3_000_000))
    filler = rng.choice((b"x", "ộ".encode(), b"7", b" "))
    return data[: (i := _field_start(rng, data))] + filler * (n // len(filler)) + data[i:]


def eol(rng: random.Random, data: bytes) -> bytes:
    """Change line breaks: all to CR LF, all to old-Mac CR, or a random mixture."""
    style = rng.randrange(3)
    if style == 0:
        return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if style == 1:
        return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r")
    lines = _lines(data)
    out = []
    for line in lines:
        if line.endswith(b"\n") and rng.random() < 0.3:
            line = line[:-1] + rng.choice((b"\r\n", b"\r", b"\n\n", b"\r\r\n"))
        out.append(line)
    return b"".join(out)


def header(rng: random.Random, data: bytes) -> bytes:
    """Damage the first line: a repeated or blank name, NFD names, thousands of columns."""
    lines = _lines(data)
    head = lines[0].rstrip(b"\r\n")
    end = lines[0][len(head) :] or b"\n"
    names = head.split(b",")
    choice = rng.randrange(6)
    if choice == 0:
        names.append(rng.choice(names))
    elif choice == 1:
        names.insert(rng.randrange(len(names) + 1), b"")
    elif choice == 2:
        k = rng.randrange(len(names))
        names[k] = unicodedata.normalize("NFD", names[k].decode("utf-8", "replace")).encode()
    elif choice == 3:
        names.extend(b"c%d" % i for i in range(rng.choice((100, 16_385, 40_000))))
    elif choice == 4:
        k = rng.randrange(len(names))
        names[k] = b'"' + names[k] + b"\n" + names[k] + b'"'
    else:
        names = [n.upper() if rng.random() < 0.5 else b" " + n + b" " for n in names]
    return b"".join([b",".join(names) + end, *lines[1:]])


#: Values a TOML key may be given instead of its own: wrong types, extremes, paths.
TOML_VALUES = (
    "1",
    "-1",
    "0",
    "1e400",
    "nan",
    "inf",
    "-inf",
    "9" * 5000,
    "0x7fffffffffffffff",
    "true",
    '""',
    '"x"',
    "[]",
    "{}",
    "[1, 2]",
    '["a", 1]',
    "2025-13-45",
    "1979-05-27T07:32:00Z",
    "2025-02-29",
    '"../../etc/passwd"',
    '"/etc/shadow"',
    '"vn-national"',
    '"example"',
    "\"__import__('os')\"",
    '"age > 1 and (" ',
    '"' + "(" * 3000 + "1" + ")" * 3000 + '"',
    '"' + "not " * 3000 + 'true"',
    '"' + " + ".join(["age"] * 5000) + '"',
    '"' + "x" * 200_000 + '"',
    "[" * 3000 + "]" * 3000,
    "{ a = " * 2000 + "1" + " }" * 2000,
)


def toml_value(rng: random.Random, data: bytes) -> bytes:
    """Give a key of the file another value: wrong type, huge, deep, a path outside."""
    lines = _lines(data)
    assignments = [
        i for i, line in enumerate(lines) if b"=" in line and not line.lstrip().startswith(b"#")
    ]
    if not assignments:
        return _insert(rng, data, b"x = 1\n")
    for _ in range(rng.choice((1, 1, 2))):
        k = rng.choice(assignments)
        key = lines[k].split(b"=", 1)[0]
        value = rng.choice(TOML_VALUES).encode()
        lines[k] = key + b"= " + value + b"\n"
    return b"".join(lines)


def toml_table(rng: random.Random, data: bytes) -> bytes:
    """Repeat, drop or rename a [table] header, or move a key into another table."""
    lines = _lines(data)
    headers = [i for i, line in enumerate(lines) if line.lstrip().startswith(b"[")]
    if not headers:
        return _insert(rng, data, b"[x]\n")
    k = rng.choice(headers)
    choice = rng.randrange(4)
    if choice == 0:
        lines.append(lines[k])
    elif choice == 1:
        del lines[k]
    elif choice == 2:
        lines[k] = lines[k].replace(b"[", b"[x.", 1)
    else:
        j = rng.randrange(len(lines))
        lines.insert(rng.randrange(len(lines) + 1), lines[j])
    return b"".join(lines)


TEXT_FAMILIES: dict[str, Mutator] = {
    "flip": flip,
    "truncate": truncate,
    "quote": quote,
    "separator": separator,
    "bom": bom,
    "nul": nul,
    "number": number,
    "deep": deep,
    "dup_line": dup_line,
    "drop_line": drop_line,
    "unicode": unicode,
    "long_cell": long_cell,
    "eol": eol,
}


def havoc(rng: random.Random, data: bytes) -> bytes:
    """Apply two to four other text mutations in a row (never two long cells)."""
    names = [n for n in TEXT_FAMILIES if n != "long_cell"]
    for name in rng.sample(names, rng.randint(2, 4)):
        data = TEXT_FAMILIES[name](rng, data)
    return data


CSV_FAMILIES: dict[str, Mutator] = {**TEXT_FAMILIES, "header": header, "havoc": havoc}
TOML_FAMILIES: dict[str, Mutator] = {
    **TEXT_FAMILIES,
    "toml_value": toml_value,
    "toml_table": toml_table,
    "havoc": havoc,
}


# -- workbooks --------------------------------------------------------------------------


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(i.filename, z.read(i.filename)) for i in z.infolist()]


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w") as z:
        warnings.simplefilter("ignore")  # a repeated member is the point, not a mistake
        for name, body in members:
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, body)
    return out.getvalue()


_SHEET = "xl/worksheets/sheet1.xml"


def zip_member(rng: random.Random, data: bytes) -> bytes:
    """Drop, repeat, rename, empty or garble a member of the workbook's zip."""
    members = _members(data)
    k = rng.randrange(len(members))
    name, body = members[k]
    choice = rng.randrange(5)
    if choice == 0:
        del members[k]
    elif choice == 1:
        members.append((name, body))
    elif choice == 2:
        members[k] = (name + "x", body)
    elif choice == 3:
        members[k] = (name, b"")
    else:
        members[k] = (name, flip(rng, body))
    return _zip(members)


def xml_text(rng: random.Random, data: bytes) -> bytes:
    """Apply a text mutation to one XML member, mostly the sheet or its shared strings."""
    members = _members(data)
    names = [n for n, _ in members]
    weights = [8 if n == _SHEET else 3 if n.endswith("sharedStrings.xml") else 1 for n in names]
    k = rng.choices(range(len(members)), weights)[0]
    family = rng.choice([n for n in TEXT_FAMILIES if n not in ("long_cell", "eol", "dup_line")])
    members[k] = (members[k][0], TEXT_FAMILIES[family](rng, members[k][1]))
    return _zip(members)


def _sheet_edit(rng: random.Random, xml: str) -> str:
    choice = rng.randrange(10)
    rows = list(re.finditer(r'<row r="(\d+)"', xml))
    cells = list(re.finditer(r'<c r="([A-Z]+)(\d+)"', xml))
    if choice == 0:  # a dimension that understates (or overstates) the sheet
        ref = rng.choice(("A1:B2", "A1:X50", "A1", "A1:XFD1048576", "Z9:A1", "?"))
        return re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"', xml)
    if choice == 1:
        return re.sub(r"<dimension[^>]*/>", "", xml)
    if choice == 2 and rows:  # a row far down the sheet
        m = rng.choice(rows)
        big = str(rng.choice((1_048_576, 1_048_577, 100_000, 0, -1)))
        return xml[: m.start(1)] + big + xml[m.end(1) :]
    if choice == 3 and cells:  # a cell far to the right or with a broken reference
        m = rng.choice(cells)
        ref = rng.choice(("XFD", "ZZZZ", "", "a", "A0"))
        return xml[: m.start(1)] + ref + xml[m.end(1) :]
    if choice == 4 and rows:  # a row repeated
        m = rng.choice(rows)
        end = xml.find("</row>", m.start())
        if end > 0:
            row = xml[m.start() : end + 6]
            return xml[: end + 6] + row + xml[end + 6 :]
    if choice == 5:  # cell types that do not fit their values
        kind = rng.choice(('t="s"', 't="b"', 't="e"', 't="str"', 't="inlineStr"', 't="d"', 't="n"'))
        return re.sub(r'<c r="([A-Z]+\d+)"', rf'<c r="\1" {kind}', xml, count=rng.randint(1, 40))
    if choice == 6:  # values that are huge, not numbers, or not there
        value = rng.choice(("1e400", "nan", "9" * 400, "x", "", "-0", "1E+308", "99999999999"))
        return re.sub(r"<v>[^<]*</v>", f"<v>{value}</v>", xml, count=rng.randint(1, 40))
    if choice == 7:  # an unclosed element
        return xml.replace("</sheetData>", "", 1)
    if choice == 8:  # a cell with no reference
        return re.sub(r'<c r="[A-Z]+\d+"', "<c", xml, count=rng.randint(1, 5))
    # shared-string indexes out of range
    return re.sub(r'(t="s"[^>]*><v>)\d+', r"\g<1>99999", xml, count=rng.randint(1, 5))


def xml_sheet(rng: random.Random, data: bytes) -> bytes:
    """Edit the sheet XML the way a broken exporter does: dimension, row numbers, types."""
    members = _members(data)
    out = []
    for name, body in members:
        if name == _SHEET:
            xml = body.decode("utf-8")
            for _ in range(rng.choice((1, 1, 2))):
                xml = _sheet_edit(rng, xml)
            body = xml.encode("utf-8")
        out.append((name, body))
    return _zip(out)


XLSX_FAMILIES: dict[str, Mutator] = {
    "flip": flip,
    "truncate": truncate,
    "zip_member": zip_member,
    "xml_text": xml_text,
    "xml_sheet": xml_sheet,
}


# -- Parquet ----------------------------------------------------------------------------


def footer(rng: random.Random, data: bytes) -> bytes:
    """Damage the footer: the magic, the metadata length, or the metadata itself."""
    out = bytearray(data)
    choice = rng.randrange(3)
    if choice == 0:
        out[-4:] = b"PAR0"
    elif choice == 1:
        length = int.from_bytes(out[-8:-4], "little")
        out[-8:-4] = rng.choice((0, length + 1, length - 1, 2**31 - 1, 2**32 - 1)).to_bytes(
            4, "little"
        )
    else:
        length = int.from_bytes(out[-8:-4], "little")
        start = max(0, len(out) - 8 - length)
        for _ in range(rng.randint(1, 6)):
            i = rng.randrange(start, len(out) - 8)
            out[i] = rng.randrange(256)
    return bytes(out)


def _arrow_value(rng: random.Random, n: int) -> object:
    """A column of ``n`` values of a type learnsoc may not expect."""
    import pyarrow as pa_

    choice = rng.randrange(14)
    if choice == 0:
        return pa_.array([[1, 2]] * n, pa_.list_(pa_.int64()))
    if choice == 1:
        return pa_.array([{"a": 1}] * n, pa_.struct([("a", pa_.int64())]))
    if choice == 2:
        return pa_.array([b"\xff\x00"] * n, pa_.binary())
    if choice == 3:
        return pa_.array(
            [rng.choice((1.5, float("nan"), float("inf"), 1e300, -0.0)) for _ in range(n)]
        )
    if choice == 4:
        return pa_.array([2**64 - 1] * n, pa_.uint64())
    if choice == 5:
        return pa_.array([rng.choice((-(2**63), 2**63 - 1, -1)) for _ in range(n)], pa_.int64())
    if choice == 6:
        return pa_.array([None] * n, pa_.null())
    if choice == 7:
        return pa_.array((["x" * rng.choice((1000, 120_000, 1_200_000))] + [""] * n)[:n])
    if choice == 8:
        return pa_.array([True, False] * (n // 2) + [True] * (n % 2))
    if choice == 9:
        import datetime as dt

        return pa_.array([dt.date(2025, 1, 1)] * n)
    if choice == 10:
        import decimal

        return pa_.array([decimal.Decimal("1.50")] * n, pa_.decimal128(5, 2))
    if choice == 11:
        return pa_.array([rng.choice(("1", "H1", "nan", "１２", "")) for _ in range(n)])
    if choice == 12:
        return pa_.array([str(i) for i in range(n)]).dictionary_encode()
    return pa_.array([None] * n, pa_.int64())


def table(rng: random.Random, data: bytes) -> bytes:
    """Rewrite the table with a column of a surprising type, renamed, dropped or repeated."""
    import pyarrow.parquet as pq

    tab = pq.ParquetFile(io.BytesIO(data)).read()
    names = list(tab.column_names)
    choice = rng.randrange(6)
    k = rng.randrange(len(names))
    if choice <= 2:
        tab = tab.set_column(k, names[k], _arrow_value(rng, tab.num_rows))
    elif choice == 3:
        tab = tab.remove_column(k)
    elif choice == 4:
        tab = tab.append_column(names[k], tab.column(k))
    else:
        nfd = unicodedata.normalize("NFD", "Tuổi")
        new = rng.choice((nfd, "", " " + names[k] + " ", names[k].upper()))
        tab = tab.rename_columns([new if i == k else n for i, n in enumerate(names)])
    if rng.random() < 0.2:
        tab = tab.slice(0, rng.choice((0, 1)))
    out = io.BytesIO()
    pq.write_table(tab, out, row_group_size=rng.choice((1, 7, 128, 1 << 20)))
    return out.getvalue()


def tables(rng: random.Random, data: bytes) -> bytes:
    """Apply two table rewrites (two odd columns, or an odd column renamed ...)."""
    return table(rng, table(rng, data))


PARQUET_FAMILIES: dict[str, Mutator] = {
    "flip": flip,
    "truncate": truncate,
    "footer": footer,
    "table": table,
    "tables": tables,
}
