r"""Opening input files: names, bytes, encodings and separators.

Agencies' files come from Excel, from warehouses and from scripts. learnsoc reads UTF-8,
with or without the byte-order mark Excel writes ("CSV UTF-8"); anything else is a
:class:`FileFormatError` naming the file, the byte offset and the line of the first byte
that is not UTF-8, with a hint about the likely encoding (Windows-1258, UTF-16). Another
encoding can be asked for explicitly (``encoding="cp1258"``).

Examples
--------
>>> check_utf8(b"a,b\n1,2\n", "x.csv")
>>> try:
...     check_utf8("a,b\nNguyễn,1\n".encode("utf-16"), "persons.csv")
... except FileFormatError as err:
...     print(err)  # doctest: +ELLIPSIS
persons.csv:1: the file is not UTF-8 (byte 0xff at offset 0); it looks like UTF-16; ...
>>> sniff_delimiter("mã;tuổi;giới tính")
';'
"""

from __future__ import annotations

import codecs
import os
import unicodedata
from pathlib import Path

from learnsoc.errors import LearnsocError

__all__ = [
    "FileFormatError",
    "PathLike",
    "check_utf8",
    "decode",
    "display_name",
    "read_bytes",
    "sniff_delimiter",
    "strip_bom",
]

PathLike = str | os.PathLike[str]

#: The separators a CSV file may use; ``sniff_delimiter`` picks among them.
DELIMITERS = (",", ";", "\t", "|")


class FileFormatError(LearnsocError, ValueError):
    """An input file cannot be read as a table (encoding, header, size ...).

    Parameters
    ----------
    message : str
        What is wrong and how to fix it.
    file : str
        The file concerned (as the user named it).
    line : int, optional
        The 1-based line of the problem, when known.
    offset : int, optional
        The 0-based byte offset of the problem, when known.
    """

    def __init__(
        self, message: str, *, file: str, line: int | None = None, offset: int | None = None
    ) -> None:
        self.file = file
        self.line = line
        self.offset = offset
        where = file if line is None else f"{file}:{line}"
        super().__init__(f"{where}: {message}")


def display_name(path: PathLike) -> str:
    """Return the name a file is shown under in messages and rejects (as the user gave it).

    Examples
    --------
    >>> display_name(Path("data") / "persons.csv")
    'data/persons.csv'
    """
    return os.fspath(path)


def read_bytes(path: PathLike) -> bytes:
    """Return a file's bytes; a missing or unreadable file is a :class:`FileFormatError`."""
    name = display_name(path)
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise FileFormatError("no such file", file=name) from None
    except IsADirectoryError:
        raise FileFormatError("is a directory, not a file", file=name) from None
    except OSError as exc:
        msg = f"cannot be read ({exc.strerror})"
        raise FileFormatError(msg, file=name) from None


def strip_bom(data: bytes) -> bytes:
    """Remove the UTF-8 byte-order mark Excel puts at the start of "CSV UTF-8" files.

    Examples
    --------
    >>> strip_bom(codecs.BOM_UTF8 + b"a,b")
    b'a,b'
    """
    return data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data


def _guess(data: bytes) -> str:
    """Return a hint naming the encoding a non-UTF-8 file probably has."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or data[:200].count(0) > 20:
        return "it looks like UTF-16"
    try:
        data[:65536].decode("cp1258")
    except UnicodeDecodeError:
        return "the encoding is unknown"
    return "it may be Windows-1258 (Vietnamese Windows) or another legacy encoding"


def check_utf8(data: bytes, file: str) -> None:
    """Raise :class:`FileFormatError` at the first byte of ``data`` that is not UTF-8.

    The message names the byte offset and the line, and suggests how to fix the file.
    """
    try:
        codecs.decode(data, "utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex()
        msg = (
            f"the file is not UTF-8 (byte 0x{bad} at offset {exc.start}); "
            f"{_guess(data)}; save it as UTF-8 (in Excel: 'CSV UTF-8') "
            "or name its encoding (encoding=..., --encoding)"
        )
        raise FileFormatError(msg, file=file, line=line, offset=exc.start) from None


def decode(data: bytes, file: str, encoding: str = "utf-8") -> str:
    """Return the text of a file: UTF-8 (BOM or not) unless another encoding is named.

    Text in another encoding is normalized to NFC.

    Raises
    ------
    FileFormatError
        For bytes that are not valid in the encoding, or an unknown encoding name.

    Examples
    --------
    >>> decode(codecs.BOM_UTF8 + "Mã hộ".encode(), "h.csv")
    'Mã hộ'
    >>> decode("Tên".encode("cp1258"), "h.csv", encoding="cp1258")
    'Tên'
    """
    enc = encoding.lower().replace("_", "-")
    if enc in ("utf-8", "utf8", "utf-8-sig"):
        check_utf8(data, file)
        return strip_bom(data).decode("utf-8")
    try:
        # Legacy Vietnamese encodings spell some letters with combining marks: compose
        # them (NFC), as UTF-8 files and mapping files do.
        return unicodedata.normalize("NFC", data.decode(encoding))
    except LookupError:
        msg = f"unknown encoding {encoding!r}"
        raise FileFormatError(msg, file=file) from None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        msg = f"byte at offset {exc.start} is not valid {encoding}"
        raise FileFormatError(msg, file=file, line=line, offset=exc.start) from None


def sniff_delimiter(header: str) -> str:
    """Return the separator of a CSV header line: the most frequent of ``, ; tab |``.

    Separators inside double quotes do not count. A header with none of them (one
    column) gives ``","``.

    Examples
    --------
    >>> sniff_delimiter('"a,b";c;d')
    ';'
    >>> sniff_delimiter("person_id")
    ','
    """
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","
