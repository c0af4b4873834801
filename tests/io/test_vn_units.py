"""Vietnam's unit lists from the vietnamadminunits data files (a fake copy, and the real one)."""

import importlib.util
import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.errors import HierarchyError, OptionalDependencyError
from tests.optional import needs


@pytest.fixture
def fake_source(tmp_path: Path) -> Path:
    """Two old districts with three communes, merged into two new communes (one split)."""
    db = sqlite3.connect(tmp_path / "dataset.db")
    db.execute(
        "CREATE TABLE admin_units_legacy (province TEXT, district TEXT, ward TEXT, "
        "provinceCode TEXT, districtCode TEXT, wardCode TEXT, provinceKey TEXT, "
        "districtKey TEXT, wardKey TEXT)"
    )
    db.executemany(
        "INSERT INTO admin_units_legacy VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            ("Tỉnh A", "Huyện B", "Xã C", "01", "001", "00001", "tinha", "huyenb", "xac"),
            ("Tỉnh A", "Huyện B", "Xã D", "01", "001", "00004", "tinha", "huyenb", "xad"),
            ("Tỉnh A", "Huyện E", "Xã F", "01", "002", "00007", "tinha", "huyene", "xaf"),
            ("Tỉnh A", "Huyện Đảo", None, "01", "003", None, "tinha", "huyendao", None),
        ],
    )
    db.execute(
        "CREATE TABLE admin_units (province TEXT, ward TEXT, provinceCode TEXT, wardCode TEXT, "
        "provinceKey TEXT, wardKey TEXT, wardAreaKm2 REAL)"
    )
    db.executemany(
        "INSERT INTO admin_units VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            ("Tỉnh A", "Xã X", "01", "00004", "tinha", "xax", 30.0),
            ("Tỉnh A", "Xã Y", "01", "00007", "tinha", "xay", 10.0),
        ],
    )
    db.commit()
    db.close()
    converter = {
        "DICT_PROVINCE": {"tinha": ["tinha"]},
        "DICT_PROVINCE_WARD_NO_DIVIDED": {
            "tinha": {"xax": ["tinha_huyenb_xac", "tinha_huyenb_xad"]}
        },
        "DICT_PROVINCE_WARD_DIVIDED": {
            "tinha": {
                "tinha_huyene_xaf": [
                    {"newWardKey": "xax", "isDefaultNewWard": False},
                    {"newWardKey": "xay", "isDefaultNewWard": True},
                ]
            }
        },
    }
    (tmp_path / "converter_2025.json").write_text(json.dumps(converter), encoding="utf-8")
    return tmp_path


def test_trees_from_the_unit_lists(fake_source: Path) -> None:
    new = ls.vietnam_units("vn-2025", source=fake_source)
    assert repr(new) == "Hierarchy('vn-2025-communes': 1 province, 2 commune)"
    old = ls.vietnam_units("vn-pre-2025", source=fake_source)
    assert repr(old) == "Hierarchy('vn-pre-2025-communes': 1 province, 3 district, 3 commune)"
    assert old.unit("00004") == ls.AdminUnit("00004", "Xã D", "commune", "001")
    assert old.children("003") == []  # an island district without communes


def test_crosswalk_merges_and_splits_by_area(fake_source: Path) -> None:
    old = ls.vietnam_units("vn-pre-2025", source=fake_source)
    new = ls.vietnam_units("vn-2025", source=fake_source)
    cw = ls.vietnam_crosswalk(old, new, source=fake_source)
    # C and D merge into X; F splits 30:10 by area between X and Y.
    assert cw.apply(np.array([100, 50, 8])).tolist() == [156, 2]
    assert not cw.is_exact


def test_errors(fake_source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(HierarchyError, match="unknown tree 'vn-2026'"):
        ls.vietnam_units("vn-2026", source=fake_source)
    with pytest.raises(HierarchyError, match="unknown province code '02'"):
        ls.vietnam_units("vn-2025", provinces=["02"], source=fake_source)
    with pytest.raises(HierarchyError, match="no unit database"):
        ls.vietnam_units("vn-2025", source=fake_source / "nowhere")
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(OptionalDependencyError, match=r"learnsoc\[units\]"):
        ls.vietnam_units("vn-2025")


@needs("vietnamadminunits")
def test_real_lists_match_the_national_figures() -> None:
    """DOMAIN.md section 6: 63 provinces, 696 districts before; 34 and 3,321 after; Hanoi 126."""
    new = ls.vietnam_units("vn-2025")
    old = ls.vietnam_units("vn-pre-2025")
    assert (new.n_units("province"), new.n_units("commune")) == (34, 3321)
    assert (old.n_units("province"), old.n_units("district")) == (63, 696)
    assert ls.vietnam_units("vn-2025", provinces=["01"]).n_units("commune") == 126
    cw = ls.vietnam_crosswalk(old, new)
    counts = np.full(old.n_units("commune"), 1000, dtype=np.int64)
    assert cw.apply(counts).sum() == counts.sum()
