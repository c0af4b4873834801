r"""Opening input files: names, bytes, encodings and separators.

Agencies' files come from Excel, from warehouses and from scripts. learnsoc reads UTF-8,
with or without the byte-order mark Excel writes ("CSV UTF-8"), and UTF-16 with its
byte-order mark (Excel's "Unicode Text", tab-separated); anything else is a
:class:`FileFormatError` naming the file, the byte offset and the line of the first byte
that is not UTF-8, with a hint about the likely encoding (Windows-1258, UTF-16). Another
encoding can be asked for explicitly (``encoding="cp1258"``, ``--encoding cp1258``); it
applies to the files that are not UTF-8: a file with Excel's UTF-8 byte-order mark, or
one that is valid UTF-8 and holds non-ASCII text, is read as UTF-8 with a
:class:`~learnsoc.errors.LearnsocWarning` naming it (such text is never valid in a
legacy 8-bit encoding by chance; read as Windows-1258 it would be garbled, "HÃ  Ná»™i").

No line of a text file may be longer than :data:`learnsoc.limits.MAX_LINE_BYTES`
(16 MiB): :func:`check_line_lengths` refuses a longer one with its line number, before
the file is read into memory (a file without line breaks, or ``/dev/zero``, is not
read to the end).

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
import re
import stat
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from learnsoc import limits
from learnsoc._messages import Message
from learnsoc._phrases import Phrase
from learnsoc.errors import LearnsocError, LearnsocWarning
from learnsoc.i18n import N_
from learnsoc.io.legacy import legacy_bytes, windows_1258_bytes

__all__ = [
    "DELIMITERS",
    "FileFormatError",
    "NotAPathError",
    "PathLike",
    "bom_encoding",
    "check_line_lengths",
    "check_utf8",
    "decode",
    "display_name",
    "file_error",
    "is_utf8_name",
    "is_utf8_text",
    "link_out_of",
    "named_delimiter",
    "not_regular",
    "open_regular",
    "read_bytes",
    "sniff_delimiter",
    "strip_bom",
    "unknown_delimiter",
    "unreadable",
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

    Examples
    --------
    >>> try:
    ...     check_utf8("name: Bà".encode("cp1258"), "people.csv")
    ... except FileFormatError as err:
    ...     print(err.file, err.line, err.offset)
    people.csv 1 7
    """

    def __init__(
        self, message: str, *, file: str, line: int | None = None, offset: int | None = None
    ) -> None:
        self.file = file
        self.line = line
        self.offset = offset
        where = file if line is None else f"{file}:{line}"
        super().__init__(f"{where}: {message}")


def file_error(
    message: Message, *, file: str, line: int | None = None, offset: int | None = None
) -> FileFormatError:
    """Return the :class:`FileFormatError` of a message that can be translated.

    Examples
    --------
    >>> err = file_error(Message(N_("no such file")), file="p.csv")
    >>> str(err), err.localized("vi")
    ('p.csv: no such file', 'p.csv: không có tệp này')
    """
    error = FileFormatError(str(message), file=file, line=line, offset=offset)
    return error.translatable(message)


class NotAPathError(LearnsocError, TypeError):
    """A file given as something else than its path (an open file, a ``StringIO``, a frame).

    Examples
    --------
    >>> import io, learnsoc as ls
    >>> try:
    ...     ls.read_population(io.StringIO("person_id"), households="h.csv",
    ...                        units=io.StringIO("code"))
    ... except TypeError as err:  # a NotAPathError is a TypeError
    ...     print(err)  # doctest: +NORMALIZE_WHITESPACE
    a file was given as a StringIO, not as its path: give the file's name (a str or
    pathlib.Path); text held in memory can be written to a file first
    """


def display_name(path: object) -> str:
    """Return the name a file is shown under in messages and rejects (as the user gave it).

    Raises
    ------
    NotAPathError
        For anything but a ``str`` or a path object: learnsoc opens files itself (by
        their names it finds their kind, and names them in every reject).

    Examples
    --------
    >>> display_name(Path("data") / "persons.csv")
    'data/persons.csv'
    >>> import io
    >>> display_name(io.StringIO("person_id,age"))
    Traceback (most recent call last):
    ...
    learnsoc.io.files.NotAPathError: a file was given as a StringIO, not as its path: ...
    """
    if isinstance(path, (str, os.PathLike)):
        return os.fspath(path)
    kind = type(path).__name__
    if kind == "DataFrame":
        hint = N_("read a data frame with learnsoc.io.from_dataframe")
    else:
        hint = N_(
            "give the file's name (a str or pathlib.Path); text held in memory can be "
            "written to a file first"
        )
    msg = Message(
        N_("a file was given as a {kind}, not as its path: {hint}"),
        kind=kind,
        hint=Phrase(Message(hint)),
    )
    raise NotAPathError(str(msg)).translatable(msg)


def link_out_of(folder: PathLike, path: PathLike) -> tuple[Path, str] | None:
    """Return the symbolic link through which ``path`` leads out of ``folder``, if one does.

    For the folders learnsoc reads as a whole (a dataset, a results folder): ``path``
    is a file inside ``folder`` as learnsoc names it (``folder/persons/province=01/...``),
    and a link on the way (the partition's folder, the file itself) may lead anywhere.
    Returns the first link of ``path`` below ``folder`` and where that link really leads,
    or None when ``path`` stays inside ``folder``. ``folder`` itself may be a link, or be
    in a linked folder: it is resolved first. A mount point is no link: a folder mounted
    inside ``folder`` stays inside.

    Examples
    --------
    >>> import tempfile
    >>> top = Path(tempfile.mkdtemp())
    >>> (top / "elsewhere").mkdir()
    >>> (top / "dataset").mkdir()
    >>> (top / "dataset" / "persons").symlink_to(top / "elsewhere")
    >>> link, real = link_out_of(top / "dataset", top / "dataset" / "persons" / "p.parquet")
    >>> link.name, Path(real) == (top / "elsewhere").resolve()
    ('persons', True)
    >>> (top / "linked").symlink_to(top / "dataset")  # the folder itself: followed
    >>> link_out_of(top / "linked", top / "linked" / "units.parquet") is None
    True
    """
    # realpath, not Path.resolve: it raises RuntimeError on a loop of links in Python 3.11.
    root = os.path.realpath(folder)
    real = os.path.realpath(path)
    if os.path.commonpath([root, real]) == root:
        return None
    link = Path(folder)
    for part in Path(path).relative_to(folder).parts:
        link = link / part
        if link.is_symlink():
            break
    return link, os.path.realpath(link)


def _kind_problem(mode: int) -> Message | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return Message(N_("is a directory, not a file"))
    return Message(
        N_(
            "is not a regular file (a device, a pipe or a socket); learnsoc reads only "
            "files saved on a disk"
        )
    )


def not_regular(path: PathLike) -> Message | None:
    """Return why ``path`` is there but no regular file (a folder, a FIFO, a device), or None.

    None too for a path that is missing or cannot be looked at: the caller says "missing"
    in its own words. A symbolic link is judged by what it leads to.

    Examples
    --------
    >>> import tempfile
    >>> print(not_regular(tempfile.mkdtemp()))
    is a directory, not a file
    >>> not_regular("no-such-file.csv") is None
    True
    """
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return _kind_problem(info.st_mode)


def open_regular(path: PathLike, name: str | None = None) -> BinaryIO:
    """Open a regular file to read its bytes; refuse anything else without waiting on it.

    A FIFO opened for reading waits for a writer, forever if none comes, and a device
    (``/dev/zero``, ``/dev/urandom``) never ends: the file is opened without blocking
    and refused, with the file's name, unless it is a regular file.

    Raises
    ------
    FileFormatError
        For a missing or unreadable file, a folder, a FIFO, a socket or a device.

    Examples
    --------
    >>> import os, tempfile
    >>> fifo = os.path.join(tempfile.mkdtemp(), "persons.csv")
    >>> os.mkfifo(fifo)
    >>> open_regular(fifo, "persons.csv")
    Traceback (most recent call last):
    ...
    learnsoc.io.files.FileFormatError: persons.csv: is not a regular file (a device, a pipe ...
    """
    name = display_name(path) if name is None else name
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise unreadable(exc, name) from None
    try:
        problem = _kind_problem(os.fstat(fd).st_mode)
    except OSError as exc:
        os.close(fd)
        raise unreadable(exc, name) from None
    if problem is not None:
        os.close(fd)
        raise file_error(problem, file=name)
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)  # a regular file: as any other
    return os.fdopen(fd, "rb")


def read_bytes(path: PathLike) -> bytes:
    """Return a file's bytes; a missing or unreadable file is a :class:`FileFormatError`.

    Anything but a regular file (a FIFO, a device, a folder) is refused, never waited
    on (:func:`open_regular`).

    Examples
    --------
    >>> read_bytes("no-such-file.csv")
    Traceback (most recent call last):
    ...
    learnsoc.io.files.FileFormatError: no-such-file.csv: no such file
    """
    with open_regular(path) as f:
        try:
            return f.read()
        except OSError as exc:
            raise _unreadable(exc, path) from None


def _unreadable(exc: OSError, path: PathLike) -> FileFormatError:
    return unreadable(exc, display_name(path))


def unreadable(exc: OSError, name: str) -> FileFormatError:
    """Return the error for a file that cannot be opened (missing, a folder, no permission).

    Examples
    --------
    >>> unreadable(IsADirectoryError(21, "Is a directory"), "data").localized("vi")
    'data: là một thư mục, không phải một tệp'
    """
    if isinstance(exc, FileNotFoundError):
        return file_error(Message(N_("no such file")), file=name)
    if isinstance(exc, IsADirectoryError):
        return file_error(Message(N_("is a directory, not a file")), file=name)
    if isinstance(exc, PermissionError):
        # The system's words are English: say it in ours, with the same English text.
        reason = Message(N_("cannot be read (Permission denied)"))
        if str(reason) == f"cannot be read ({exc.strerror})":
            return file_error(reason, file=name)
    # Other system errors are rare: the system's own words, in English, within ours.
    return file_error(Message(N_("cannot be read ({reason})"), reason=exc.strerror), file=name)


def _chunks(path: PathLike, size: int) -> Iterator[bytes]:
    with open_regular(path) as f:
        try:
            while chunk := f.read(size):
                yield chunk
        except OSError as exc:
            raise _unreadable(exc, path) from None


def _mib(n: int) -> Phrase:
    if n >= 1 << 20:
        return Phrase(Message(N_("{n:g} MiB"), n=n / (1 << 20)))
    return Phrase(Message(N_("{n:,} bytes"), n=n))


def check_line_lengths(source: PathLike | bytes, file: str | None = None) -> None:
    r"""Refuse a file (a path, or bytes) with a line over :data:`~learnsoc.limits.MAX_LINE_BYTES`.

    A path is read in chunks of at most 1 MiB, so a file with one huge line (or no line
    break at all, or ``/dev/zero``) costs little memory and stops at the first line over
    the limit. A line ends at ``\n`` or ``\r``.

    Raises
    ------
    FileFormatError
        Naming the line, the byte offset where it starts and the limit.

    Examples
    --------
    >>> check_line_lengths(b"id,age\n1,40\n", "p.csv")
    >>> from unittest import mock
    >>> with mock.patch("learnsoc.limits.MAX_LINE_BYTES", 8):
    ...     check_line_lengths(b"id,age\n1,40\n" + b"9" * 9, "p.csv")
    Traceback (most recent call last):
    ...
    learnsoc.io.files.FileFormatError: p.csv:3: the line is longer than 8 bytes, ...
    """
    limit = limits.MAX_LINE_BYTES
    # Lines that start and end inside one chunk are shorter than the chunk, hence than
    # the limit: only a line across chunk boundaries needs measuring.
    size = max(1, min(limit, 1 << 20))
    if isinstance(source, bytes):
        name = file or "<data>"
        chunks: Iterable[bytes] = (source[i : i + size] for i in range(0, len(source), size))
    else:
        name = file or display_name(source)
        chunks = _chunks(source, size)
    line, start, offset = 1, 0, 0  # current line, its first byte, offset of the chunk
    for chunk in chunks:
        breaks = [i for i in (chunk.find(b"\n"), chunk.find(b"\r")) if i >= 0]
        end = offset + min(breaks) if breaks else offset + len(chunk)
        if end - start > limit:
            msg = Message(
                N_(
                    "the line is longer than {size}, the most learnsoc reads in one "
                    "line (learnsoc.limits.MAX_LINE_BYTES): the file is probably not a CSV "
                    "file, or its line breaks were lost"
                ),
                size=_mib(limit),
            )
            raise file_error(msg, file=name, line=line, offset=start)
        if breaks:
            line += chunk.count(b"\n")
            start = offset + max(chunk.rfind(b"\n"), chunk.rfind(b"\r")) + 1
        offset += len(chunk)


def strip_bom(data: bytes) -> bytes:
    """Remove the UTF-8 byte-order mark Excel puts at the start of "CSV UTF-8" files.

    Examples
    --------
    >>> strip_bom(codecs.BOM_UTF8 + b"a,b")
    b'a,b'
    """
    return data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data


#: A question mark beside a letter: how an encoding without Vietnamese letters
#: (Windows-1252) writes the letters it lacks (``Mã h?``, ``Nguy?n``). A header holding
#: two or more such marks is no header of questions.
_LOST_LETTER = re.compile(r"[^\W\d_]\?|\?[^\W\d_?]")


def _guess(data: bytes) -> str:
    r"""Return a hint naming the encoding a non-UTF-8 file probably has.

    Examples
    --------
    >>> lost = "Mã hộ;Số nhân khẩu\n".encode("cp1252", errors="replace")
    >>> lost, _guess(lost).startswith("its header has '?' in place of letters")
    (b'M\xe3 h?;S? nh\xe2n kh?u\n', True)
    >>> _guess(b"T\xean;N\xe3m sinh;\xd0\xe3ng k\xfd?\n")[-37:]  # one question: a question
    '--encoding cp1258 (encoding="cp1258")'
    >>> print(_guess(b"Gi\xe1 tr\xe9\n"))  # no letter only Vietnamese has
    it may be Windows-1258 (Vietnamese Windows) or another legacy encoding
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or data[:200].count(0) > 20:
        return N_("it looks like UTF-16")
    if legacy_bytes(data):
        return N_(
            "its header looks typed in an old Vietnamese font encoding (TCVN3/ABC for "
            ".VnTime fonts, or VNI for VNI-Times): convert it to Unicode with Unikey's "
            "converter (Unikey Toolkit, Ctrl+Shift+F6)"
        )
    header = data[:4096].split(b"\n", 1)[0].decode("latin-1")
    if len(_LOST_LETTER.findall(header)) >= 2:
        return N_(
            "its header has '?' in place of letters ('Mã h?' for 'Mã hộ'): it "
            "was saved in an encoding without Vietnamese letters (Excel's 'CSV (Comma "
            "delimited)' on a Windows set for another language), which wrote '?' for each, "
            "and no encoding reads them back; save it from the workbook again as 'CSV UTF-8'"
        )
    if windows_1258_bytes(data):
        return N_(
            "its first line reads as Vietnamese in Windows-1258 (Vietnamese Windows): "
            'read it with --encoding cp1258 (encoding="cp1258")'
        )
    try:
        data[:65536].decode("cp1258")
    except UnicodeDecodeError:
        return N_("the encoding is unknown")
    return N_("it may be Windows-1258 (Vietnamese Windows) or another legacy encoding")


#: Bytes checked as UTF-8 at a time: the text of a whole file is never held at once.
_UTF8_CHUNK = 1 << 22


def _valid_utf8(data: bytes) -> bool:
    """Return whether bytes are valid UTF-8, in memory of a chunk (ASCII at once)."""
    if data.isascii():
        return True
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _UTF8_CHUNK):
            decoder.decode(view[start : start + _UTF8_CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def check_utf8(data: bytes, file: str) -> None:
    """Raise :class:`FileFormatError` at the first byte of ``data`` that is not UTF-8.

    The message names the byte offset and the line, and suggests how to fix the file.

    Examples
    --------
    >>> check_utf8("name: Bà".encode("utf-8"), "people.csv")  # UTF-8: nothing raised
    >>> check_utf8("name: Bà".encode("cp1258"), "people.csv")
    Traceback (most recent call last):
    ...
    learnsoc.io.files.FileFormatError: people.csv:1: the file is not UTF-8 (byte 0xe0 ...
    """
    if _valid_utf8(data):
        return
    try:
        codecs.decode(data, "utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex()
        template = N_(
            "the file is not UTF-8 (byte 0x{byte} at offset {offset}); {guess_text}; save it "
            "as UTF-8 (in Excel: 'CSV UTF-8') or name its encoding (encoding=..., --encoding)"
        )
        msg = Message(template, byte=bad, offset=exc.start, guess_text=_guess(data))
        raise file_error(msg, file=file, line=line, offset=exc.start) from None


def is_utf8_text(data: bytes) -> bool:
    r"""Return whether bytes are surely UTF-8: a UTF-8 BOM, or valid UTF-8 with non-ASCII text.

    Bytes with a NUL are not taken for UTF-8 (UTF-16 text of ASCII letters is valid UTF-8).

    Examples
    --------
    >>> is_utf8_text("Tên".encode()), is_utf8_text("Tên".encode("cp1258"))
    (True, False)
    >>> is_utf8_text(b"plain ASCII")
    False
    """
    if data.startswith(codecs.BOM_UTF8):
        return True
    if data.isascii() or b"\x00" in data:
        return False
    try:
        codecs.decode(data, "utf-8")
    except UnicodeDecodeError:
        return False
    return True


def bom_encoding(data: bytes) -> str | None:
    """Return ``"utf-16"`` or ``"utf-32"`` for bytes that begin with that byte-order mark.

    Excel's "Unicode Text" (*Văn bản Unicode*) saves a sheet as UTF-16 with its
    byte-order mark and tabs between cells: the mark names the encoding for certain.

    Examples
    --------
    >>> bom_encoding("Mã".encode("utf-16")), bom_encoding("Mã".encode("utf-8-sig"))
    ('utf-16', None)
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def is_utf8_name(encoding: str) -> bool:
    """Return whether an encoding name means UTF-8 (``"utf8"``, ``"UTF_8"``, ``"utf-8-sig"``).

    Examples
    --------
    >>> is_utf8_name("UTF_8"), is_utf8_name("utf-8-sig"), is_utf8_name("cp1258")
    (True, True, False)
    """
    return encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig")


def decode(data: bytes, file: str, encoding: str = "utf-8") -> str:
    """Return the text of a file: UTF-8 (BOM or not) unless another encoding is named.

    Text in another encoding is normalized to NFC. A file that is surely UTF-8 (see
    :func:`is_utf8_text`) is read as UTF-8 whatever encoding is named, with a
    :class:`~learnsoc.errors.LearnsocWarning`: an encoding given for a whole set of
    files (``--encoding``) must not garble the ones saved as UTF-8.

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
    >>> decode("Mã;Tên".encode("utf-16"), "h.txt")  # Excel's "Unicode Text"
    'Mã;Tên'
    """
    marked = bom_encoding(data)
    if marked is not None:
        # A UTF-16 or UTF-32 byte-order mark names the encoding for certain (Excel's
        # "Unicode Text"), whatever encoding was asked for a set of files.
        encoding = marked
    elif (
        is_utf8_name(encoding)
        or _utf8_despite(data, file, encoding)
        or (_ascii_only(data) and not _ascii_compatible(encoding))
    ):
        check_utf8(data, file)
        return strip_bom(data).decode("utf-8")
    try:
        # Legacy Vietnamese encodings spell some letters with combining marks: compose
        # them (NFC), as UTF-8 files and mapping files do.
        return unicodedata.normalize("NFC", data.decode(encoding))
    except LookupError:
        msg = Message(N_("unknown encoding {encoding!r}"), encoding=encoding)
        raise file_error(msg, file=file) from None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        msg = Message(
            N_("byte at offset {offset} is not valid {encoding}"),
            offset=exc.start,
            encoding=encoding,
        )
        raise file_error(msg, file=file, line=line, offset=exc.start) from None


def _ascii_only(data: bytes) -> bool:
    """Return whether bytes are plain ASCII text (no NUL: UTF-16 of ASCII letters has some)."""
    return data.isascii() and b"\x00" not in data


def _ascii_compatible(encoding: str) -> bool:
    """Return whether an encoding reads ASCII bytes as ASCII (cp1258 does, UTF-16 does not).

    A plain ASCII file is the same text in UTF-8 and in every such encoding; in UTF-16 or
    UTF-32 it would be garbled, so an encoding asked for a set of files (``--encoding
    utf-16``) must not apply to it.
    """
    sample = b"id,Ma;1\r\n"
    try:
        return sample.decode(encoding) == sample.decode("ascii")
    except LookupError:
        return True  # the unknown name is reported by the caller
    except UnicodeDecodeError:
        return False


def _utf8_despite(data: bytes, file: str, encoding: str) -> bool:
    """Return whether a file asked to be read as ``encoding`` is UTF-8 instead (and warn)."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        return False  # the unknown name is reported by the caller
    if not is_utf8_text(data):
        return False
    msg = Message(
        N_(
            "{file}: the file is UTF-8, not {encoding}: it is read as UTF-8 (the encoding "
            "asked for applies to the files that are not UTF-8)"
        ),
        file=file,
        encoding=encoding,
    )
    warnings.warn(LearnsocWarning(str(msg)).translatable(msg), stacklevel=4)
    return True


#: What a tab may be written as where a separator is given: a mapping file's ``delimiter``,
#: ``--delimiter`` and ``delimiter=`` (learnsoc's own messages call it "tab").
TAB_NAMES = ("\t", "tab", "\\t")


def named_delimiter(value: str | None) -> str | None:
    r"""Return the separator a user gave, or None for "auto" (sniffed from the header).

    ``","``, ``";"``, ``"|"`` and a tab, written as itself, ``"tab"`` or ``"\t"``.

    Raises
    ------
    ValueError
        For anything else; the caller says where it was given.

    Examples
    --------
    >>> named_delimiter("tab"), named_delimiter(";"), named_delimiter("auto")
    ('\t', ';', None)
    """
    if value is None or value == "auto":
        return None
    if value in TAB_NAMES:
        return "\t"
    if value in DELIMITERS:
        return value
    raise ValueError(value)


def unknown_delimiter(value: object) -> Message:
    """Return the message for a separator :func:`named_delimiter` does not know.

    Examples
    --------
    >>> print(unknown_delimiter("::"))
    delimiter '::' is not one of ',', ';', '|', 'tab' or 'auto'
    """
    return Message(
        N_("delimiter {delim!r} is not one of ',', ';', '|', 'tab' or 'auto'"), delim=value
    )


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
