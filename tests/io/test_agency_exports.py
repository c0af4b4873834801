"""Files as a provincial department's staff save them from Excel, read as documented."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest

import learnsoc as ls

UNITS = "code\tname\tlevel\tparent_code\n01\tHà Nội\tTỉnh\t\n" + (
    "00004\tXã Minh Phú\tXã\t01\n00004001\tThôn Đông\tThôn\t00004\n"
)
HOUSEHOLDS = "household_id\tunit_code\nH01\t00004001\n"
PERSONS = "person_id\thousehold_id\tage\tliterate\nNK01\tH01\t40\t1\nNK02\tH01\t9\t0\n"


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 writes it: a letter (â, ơ ...) then its tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out += (base + "".join(c for c in parts if c in _TONES)).encode("cp1258")
    return bytes(out)


def _unicode_text(path: Path, text: str, codec: str, bom: bytes) -> Path:
    """Excel's "Save as Unicode Text": a byte-order mark, UTF-16, tabs, CRLF."""
    path.write_bytes(bom + text.replace("\n", "\r\n").encode(codec))
    return path


@pytest.mark.parametrize(
    ("codec", "bom"),
    [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)],
)
@pytest.mark.parametrize("engine", ["python", "pyarrow"])
def test_excel_unicode_text_is_read_without_naming_its_encoding(
    tmp_path: Path, codec: str, bom: bytes, engine: str
) -> None:
    """UTF-16 with its byte-order mark was refused as "not UTF-8"; the mark names it."""
    pop = ls.read_population(
        _unicode_text(tmp_path / "nk.txt", PERSONS, codec, bom),
        households=_unicode_text(tmp_path / "ho.txt", HOUSEHOLDS, codec, bom),
        units=_unicode_text(tmp_path / "dv.txt", UNITS, codec, bom),
        engine=engine,  # type: ignore[arg-type]
    )
    assert pop.person_ids.tolist() == ["NK01", "NK02"]
    assert pop.hierarchy.names_at("province").tolist() == ["Hà Nội"]
    assert pop.rejects.counts()["person"] == (2, 2, 0)


def test_unicode_text_beside_files_in_windows_1258(tmp_path: Path) -> None:
    """--encoding cp1258 for a set of files does not garble the one saved as Unicode Text."""
    units = tmp_path / "dv.csv"
    units.write_bytes(cp1258(UNITS.replace("\t", ",")))
    pop = ls.read_population(
        _unicode_text(tmp_path / "nk.txt", PERSONS, "utf-16-le", codecs.BOM_UTF16_LE),
        households=_unicode_text(tmp_path / "ho.txt", HOUSEHOLDS, "utf-16-le", codecs.BOM_UTF16_LE),
        units=units,
        encoding="cp1258",
    )
    assert pop.n_persons == 2
    assert pop.hierarchy.names_at("village").tolist() == ["Thôn Đông"]
