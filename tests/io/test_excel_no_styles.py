"""Workbooks written without styles (web applications' exports, small libraries) are read
without openpyxl's notes about its default styles.

openpyxl warns "Workbook contains no default style, apply openpyxl's default" when a
workbook has no ``Normal`` cell style, and "... no stylesheet ..." when it has no
``styles.xml``. The cells read the same either way: the command line printed the note in
English after "learnsoc: warning:", and under ``-W error`` (pytest's filterwarnings) the
workbook could not be read at all.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from pathlib import Path

import pytest

from learnsoc.io.excel import read_excel
from tests.optional import require

openpyxl = require("openpyxl")


def _workbook(path: Path, styles: str) -> Path:
    """A persons sheet with a date cell, its styles as given: "full", "no-normal", "none"."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["person_id", "birth_date"])
    ws.append(["NK01", dt.date(1975, 3, 15)])
    ws.append(["NK02", "02/09/1978"])
    seed = io.BytesIO()
    wb.save(seed)
    with zipfile.ZipFile(seed) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename).decode()
            if info.filename == "xl/styles.xml":
                if styles == "none":
                    continue
                if styles == "no-normal":
                    data = re.sub(r"<cellStyles .*?</cellStyles>", "", data)
            elif styles == "none" and info.filename in (
                "xl/_rels/workbook.xml.rels",
                "[Content_Types].xml",
            ):
                data = re.sub(r"<(Relationship|Override)[^>]*styles[^>]*/>", "", data)
            out.writestr(info.filename, data)
    return path


@pytest.mark.parametrize("styles", ["full", "no-normal", "none"])
def test_a_workbook_without_styles_is_read_without_a_word(tmp_path: Path, styles: str) -> None:
    path = _workbook(tmp_path / "nhan_khau.xlsx", styles)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails the read
        batch = next(read_excel(path).iter_batches())
    assert batch["person_id"].tolist() == ["NK01", "NK02"]
    # Without a stylesheet no cell is known to be a date: the serial of 15/03/1975 is
    # what Excel stores (and shows, with no format to show it otherwise).
    first = "27468" if styles == "none" else "1975-03-15"
    assert batch["birth_date"].tolist() == [first, "02/09/1978"]
