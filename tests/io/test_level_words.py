"""A units file's level column names villages and districts as each region does.

``Xóm`` (the north), ``Ấp`` (the south), ``Bản``, ``Buôn`` (the mountains) are villages,
``Quận`` and ``Thị xã`` districts, ``Đặc khu`` a commune of the 2025 reform: units files
write them so, and every one was refused (``not a known code``) with its subtree.
"""

from __future__ import annotations

from pathlib import Path

import learnsoc as ls
from learnsoc.model.hierarchy import level_named


def units_file(folder: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    path = folder / "don_vi.csv"
    lines = ["Mã;Tên;Cấp;Mã cấp trên", *(";".join(r) for r in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def read_units(path: Path, levels: str) -> ls.Population:
    persons = path.with_name("nk.csv")
    persons.write_text("person_id;household_id;age\n", encoding="utf-8")
    households = path.with_name("ho.csv")
    households.write_text("household_id;unit_code\n", encoding="utf-8")
    return ls.read_population(persons, households=households, units=path, levels=levels)


def test_villages_named_as_regions_name_them(tmp_path: Path) -> None:
    rows = [
        ("25", "Tỉnh Phú Thọ", "Tỉnh", ""),
        ("07900", "Xã Thanh Sơn", "Xã", "25"),
        ("07901", "Đặc khu Cô Tô", "Đặc khu", "25"),
        ("07900001", "Xóm Mới", "Xóm", "07900"),
        ("07900002", "Ấp Bình Hòa", "ẤP", "07900"),
        ("07901001", "Bản Lác", "Bản", "07901"),
        ("07901002", "Buôn Đôn", "buon", "07901"),
    ]
    pop = read_units(units_file(tmp_path, rows), "vn-2025")
    assert pop.rejects.counts()["unit"] == (7, 7, 0)
    assert pop.hierarchy.codes_at("village").tolist() == [r[0] for r in rows[3:]]
    assert pop.hierarchy.codes_at("commune").tolist() == ["07900", "07901"]


def test_districts_named_quan_and_thi_xa_before_the_reform(tmp_path: Path) -> None:
    rows = [
        ("01", "Thành phố Hà Nội", "Tỉnh", ""),
        ("001", "Quận Ba Đình", "Quận", "01"),
        ("269", "Thị xã Sơn Tây", "Thị xã", "01"),
        ("00001", "Phường Phúc Xá", "Phường", "001"),
        ("09574", "Phường Lê Lợi", "Phường", "269"),
        ("00001001", "Tổ 1", "Tổ dân phố", "00001"),
        ("09574001", "Khu phố 2", "Khu phố", "09574"),
    ]
    pop = read_units(units_file(tmp_path, rows), "vn-pre-2025")
    assert pop.rejects.counts()["unit"] == (7, 7, 0)
    assert pop.hierarchy.codes_at("district").tolist() == ["001", "269"]


def test_thanh_pho_is_a_province_after_the_reform_and_names_two_levels_before() -> None:
    assert level_named("Thành phố", ["province", "commune", "village"]) == "province"
    assert level_named("Thành phố", ["province", "district", "commune", "village"]) is None


def test_a_district_written_thanh_pho_is_placed_by_its_province(tmp_path: Path) -> None:
    """The statistics office's lists before the reform write a provincial city 'Thành phố'.

    Under a province it can only be a district (a parent is exactly one level up), and a
    'Thành phố' without a parent only a province: both are placed, none guessed. It was
    refused with its wards and their villages.
    """
    rows = [
        ("25", "Tỉnh Phú Thọ", "Tỉnh", ""),
        ("227", "Thành phố Việt Trì", "Thành phố", "25"),
        ("07900", "Phường Tiên Cát", "Phường", "227"),
        ("07900001", "Tổ 1", "Tổ dân phố", "07900"),
        ("01", "Thành phố Hà Nội", "Thành phố", ""),
        ("001", "Quận Ba Đình", "Quận", "01"),
        ("00001", "Phường Phúc Xá", "Phường", "001"),
        ("00001001", "Tổ 2", "Tổ dân phố", "00001"),
    ]
    pop = read_units(units_file(tmp_path, rows), "vn-pre-2025")
    assert pop.rejects.counts()["unit"] == (8, 8, 0)
    tree = pop.hierarchy
    assert tree.codes_at("province").tolist() == ["01", "25"]
    assert tree.codes_at("district").tolist() == ["001", "227"]
    assert tree.codes_at("province")[tree.parent_index("district")].tolist() == ["01", "25"]


def test_a_thanh_pho_its_parent_does_not_place_is_refused_naming_both_levels(
    tmp_path: Path,
) -> None:
    """Under a commune a 'Thành phố' is neither a province nor a district: refused."""
    rows = [
        ("25", "Tỉnh Phú Thọ", "Tỉnh", ""),
        ("227", "Thành phố Việt Trì", "Thành phố", "25"),
        ("07900", "Phường Tiên Cát", "Phường", "227"),
        ("07900001", "Tổ 1", "Tổ dân phố", "07900"),
        ("228", "Thành phố Phú Thọ", "Thành phố", "07900"),
    ]
    pop = read_units(units_file(tmp_path, rows), "vn-pre-2025")
    assert pop.rejects.counts()["unit"] == (5, 4, 1)
    said = pop.rejects.records("en")[0].message
    assert said.endswith("value 'Thành phố' is not a known code (expected province, district)")
