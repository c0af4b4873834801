"""A units file whose code column a spreadsheet stored as numbers (01 read as 1) is said."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from learnsoc.io import read_population
from learnsoc.model.population import LeadingZerosWarning
from tests.io.helpers import files

NUMBERS = """code,name,level,parent_code
1,Hà Nội,province,
10,Hà Giang,province,
1001,Phường Ba Đình,commune,1
10001,Xã A,commune,10
1001001,Tổ 1,village,1001
10001001,Thôn 1,village,10001
"""
HOUSEHOLDS = "household_id,unit_code,registered\nH1,1001001,1\nH2,1001001,1\nH3,10001001,0\n"


def read(paths: dict[str, Path]) -> None:
    read_population(paths["persons"], households=paths["households"], units=paths["units"])


def test_codes_of_several_widths_at_a_level_are_said_per_level(tmp_path: Path) -> None:
    paths = files(tmp_path, households=HOUSEHOLDS, units=NUMBERS)
    with pytest.warns(LeadingZerosWarning) as caught:
        read(paths)
    said = [w.message for w in caught if isinstance(w.message, LeadingZerosWarning)]
    assert [str(m).split(": ", 1)[1][:50] for m in said] == [
        "the codes of level province are numbers of 1 to 2 ",
        "the codes of level commune are numbers of 4 to 5 d",
        "the codes of level village are numbers of 7 to 8 d",
    ]
    assert "(1): a spreadsheet that stores a code column as numbers" in str(said[0])
    assert (
        said[0]
        .localized("vi")
        .split(": ", 1)[1]
        .startswith(
            "mã của cấp tỉnh là các số có từ 1 đến 2 chữ số (1): bảng tính lưu cột mã dưới dạng số"
        )
    )


@pytest.mark.parametrize(
    ("units", "said"),
    [
        # The helpers' file: 01, then 00001 and 00004, then 00001001 ...: one width a level.
        (None, []),
        # Letters at the village level; communes 1 and 12, all digits: the communes said.
        (
            "code,name,level,parent_code\nHN,Hà Nội,province,\n1,Xã A,commune,HN\n"
            "12,Xã B,commune,HN\n1a,Thôn 1,village,1\n",
            ["commune"],
        ),
        # Communes 01 and 012: two widths, but a leading 0 shows they were kept as text.
        (
            "code,name,level,parent_code\n1,Hà Nội,province,\n01,Xã A,commune,1\n"
            "012,Xã B,commune,1\n1a,Thôn 1,village,01\n",
            [],
        ),
    ],
)
def test_only_numbers_of_several_widths_are_said(
    units: str | None, said: list[str], tmp_path: Path
) -> None:
    if units is None:
        paths = files(tmp_path)
    else:
        households = "household_id,unit_code,registered\nH1,1a,1\nH2,1a,1\nH3,1a,0\n"
        paths = files(tmp_path, units=units, households=households)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        read(paths)
    found = [w for w in caught if issubclass(w.category, LeadingZerosWarning)]
    assert [str(w.message).split("level ")[1].split(" ")[0] for w in found] == said
