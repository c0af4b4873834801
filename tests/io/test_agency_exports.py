"""Files as a provincial department's staff save them from Excel, read as documented."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.model.population import LeadingZerosWarning

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


def test_household_ids_that_lost_their_zeros_are_said(tmp_path: Path) -> None:
    """Persons naming household 1 where the households sheet says 0001: said, still rejected.

    The rejects said only "household '1' does not exist", with household 0001 in the file.
    """
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["person_id", "household_id", "age"])
    ws.append([1, 1, 40])  # the household column stored as numbers: 0001 became 1
    ws.append([2, 1, 9])
    persons = tmp_path / "nk.xlsx"
    wb.save(persons)
    households = tmp_path / "ho.csv"
    households.write_text("household_id,unit_code\n0001,00004001\n", encoding="utf-8")
    units = tmp_path / "dv.csv"
    units.write_text(UNITS.replace("\t", ","), encoding="utf-8")
    with pytest.warns(LeadingZerosWarning) as caught:
        pop = ls.read_population(persons, households=households, units=units)
    (said,) = [str(w.message) for w in caught if "household" in str(w.message)]
    assert said == (
        f"{persons}, column household_id: 2 rows name a household that {households}, column "
        "household_id, writes with leading zeros (e.g. '1' is '0001' there), so they are "
        "rejected: store the column as text in the spreadsheet to keep the zeros"
    )
    assert pop.rejects.counts()["person"] == (2, 0, 2)
    assert {r.reason for r in pop.rejects.records()} == {"unknown_household"}
