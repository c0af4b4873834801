"""Files as a commune clerk makes them in Excel, read through a mapping file.

Each test is a problem a new user met producing the 2025 report from the command line:
headers typed with odd spacing, a title row above the header, a "Tổng cộng" (totals) row
under the data.
"""

from __future__ import annotations

from pathlib import Path

import learnsoc as ls
from tests.io.helpers import write

UNITS = (
    "Mã  đơn vị;Tên\u00a0đơn vị;Cấp;Mã cấp\ttrên\n"
    "01;Tỉnh;Tỉnh;\n00004;Xã;Xã;01\n00004001;Thôn;Thôn;00004\n"
)
HOUSEHOLDS = "Mã hộ;Mã\nthôn\n H1;00004001\n"
PERSONS = "Mã NK;Mã hộ;Tuổi;Giới  tính\nNK1;H1;40;Nam\n"
MAPPING = """
[mapping]
delimiter = ";"
[person.columns]
"Mã NK" = "person_id"
"Mã hộ" = "household_id"
"Tuổi" = "age"
"Giới tính" = "sex"
[person.values.sex]
"Nam" = "male"
[household.columns]
"Mã hộ" = "household_id"
"Mã thôn" = "unit_code"
[unit]
ignore = ["Tên đơn vị"]
[unit.columns]
"Mã đơn vị" = "code"
"Cấp" = "level"
"Mã cấp trên" = "parent_code"
[unit.values.level]
"Tỉnh" = "province"
"Xã" = "commune"
"Thôn" = "village"
"""


def test_header_names_match_whatever_the_spaces_between_words(tmp_path: Path) -> None:
    """Two spaces, a no-break space or a line break (Alt+Enter) between words still match.

    Excel shows ``Mã  đơn vị`` and ``Mã đơn vị`` alike, so a clerk cannot see why the
    mapping's ``"Mã đơn vị"`` would not match; the error message did not show it either.
    """
    units = write(tmp_path, "don_vi.csv", UNITS)
    households = write(tmp_path, "ho.csv", HOUSEHOLDS.replace("Mã\nthôn", '"Mã\nthôn"'))
    persons = write(tmp_path, "nhan_khau.csv", PERSONS)
    mapping = write(tmp_path, "mapping.toml", MAPPING)
    pop = ls.read_population(persons, households=households, units=units, mapping=mapping)
    assert (pop.n_persons, pop.n_households, len(pop.rejects)) == (1, 1, 0)
    assert pop.columns("person")["sex"].tolist() == [1]
