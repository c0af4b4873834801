"""What a file that cannot be read says: the file, the line, the offset and a hint."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from learnsoc.io.files import FileFormatError, check_utf8, decode, read_bytes


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match="is a directory, not a file") as info:
        read_bytes(tmp_path)
    assert info.value.file == str(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files without permission")
def test_an_unreadable_file_names_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("a\n")
    path.chmod(0)
    with pytest.raises(FileFormatError, match="cannot be read"):
        read_bytes(path)


@pytest.mark.parametrize(
    ("data", "hint"),
    [
        (codecs.BOM_UTF16_LE + "mã".encode("utf-16-le"), "it looks like UTF-16"),
        ("a,b\n1,Tên\n".encode("cp1258"), "it may be Windows-1258"),
        (b"a,b\n1,\x81\x8d\x8f\x90\x9d\n", "the encoding is unknown"),  # no cp1258 either
    ],
)
def test_bytes_that_are_not_utf8_name_line_offset_and_a_likely_encoding(
    data: bytes, hint: str
) -> None:
    """The first bad byte's line and offset, and what the file probably is."""
    start = next(i for i in range(len(data)) if _bad_at(data, i))
    with pytest.raises(FileFormatError) as info:
        check_utf8(data, "p.csv")
    err = info.value
    assert (err.offset, err.line) == (start, data.count(b"\n", 0, start) + 1)
    assert hint in str(err)
    assert str(err).startswith(f"p.csv:{err.line}: the file is not UTF-8")


def _bad_at(data: bytes, i: int) -> bool:
    try:
        data[:i].decode("utf-8")
    except UnicodeDecodeError:
        return False
    try:
        data[: i + 4].decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start == i
    return False


def test_a_named_encoding_is_used_and_composed_to_nfc() -> None:
    """cp1258 spells 'ộ' with a combining mark: the text comes back composed."""
    data = "Hô\u0323".encode("cp1258")  # ô, then a combining dot below
    assert len(data) == 3
    text = decode(data, "h.csv", encoding="cp1258")
    assert text == "Hộ"
    assert len(text) == 2


def test_an_unknown_encoding_name_is_a_file_error() -> None:
    with pytest.raises(FileFormatError, match="unknown encoding 'klingon'"):
        decode(b"a", "h.csv", encoding="klingon")


def test_bytes_invalid_in_the_named_encoding_give_line_and_offset() -> None:
    data = b"a\nb\n\xff"
    with pytest.raises(FileFormatError, match="byte at offset 4 is not valid ascii") as info:
        decode(data, "h.csv", encoding="ascii")
    assert (info.value.line, info.value.offset) == (3, 4)
