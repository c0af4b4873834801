"""A unit the units table refused is in no total: the results say so, not "2 of 2 communes"."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.rejects import CountedRejects
from tests.trees import two_level

UNITS = (
    "code,name,level,parent_code\n"
    "01,Tỉnh A,province,\n"
    "001,Huyện B,district,01\n"
    "00001,Xã C,commune,001\n"
    "00002,Xã D,commune,001\n"
    "00003,Thị trấn E,commune,999\n"  # its parent does not exist: refused
)
COUNTS = "unit_code,families,learning_families\n00001,100,60\n00002,200,120\n00003,300,150\n"


def _files(folder: Path) -> list[str]:
    (folder / "units.csv").write_text(UNITS, encoding="utf-8")
    (folder / "counts.csv").write_text(COUNTS, encoding="utf-8")
    return [
        "report",
        "--counts",
        str(folder / "counts.csv"),
        "--units",
        str(folder / "units.csv"),
        "--levels",
        "province,district,commune",
    ]


@pytest.mark.parametrize(
    ("locale", "note"),
    [
        (
            "en",
            "1 row of the units table was rejected: that unit's figures, and those of "
            'the units under it, are in no total, and "units reporting" counts the units '
            "accepted only",
        ),
        (
            "vi",
            "1 dòng của bảng đơn vị hành chính bị loại: số liệu của đơn vị đó và của "
            "các đơn vị trực thuộc không được cộng vào tổng nào",
        ),
    ],
)
def test_a_refused_unit_is_said_under_the_totals_it_left(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], locale: str, note: str
) -> None:
    """The province's 180 / 300 families lack the town's 300: "2 of 2 communes" alone hid it."""
    assert main([*_files(tmp_path), "--locale", locale]) == 1
    out = capsys.readouterr().out
    assert "180 / 300" in out  # 60 + 120 of 100 + 200: the town's 150 / 300 in no total
    assert note in " ".join(out.split())


def test_the_note_counts_the_refused_units_and_is_absent_without_them() -> None:
    h = two_level({"01": ["00001"]})
    roll = ls.rollup_counts({"unit_code": ["00001"], "families": [10], "learning_families": [4]}, h)
    res = ls.results(roll, ["learning_families"])
    assert not any("units table" in n for n in res.notes("en"))
    three = CountedRejects(read={"unit": 5}, rejected={"unit": 3})
    (note,) = [n for n in attrs.evolve(res, rejects=three).notes("en") if "units table" in n]
    assert note.startswith("3 rows of the units table were rejected: those units' figures")
