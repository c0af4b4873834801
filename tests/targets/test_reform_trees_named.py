"""A progress over 2024 and 2026 says on which tree each year's figures were counted.

Hà Giang (02) merged into Tuyên Quang (08) on 1/7/2025 and two of Tuyên Quang's wards
merged. The 2024 counts, on the tree before the reform, are moved through a crosswalk into
the 2025 tree; the report showed "Tuyên Quang (08): 220 / 370 families, trend +8.30" and
"data of 2024, 2026" without a word saying that its 2024 figure was the old Tuyên Quang and
Hà Giang added up, on another tree. A note now says it (en, vi), in every output.
"""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from learnsoc.targets import progress
from tests.targets.helpers import target_set, value_target
from tests.targets.test_reform import CROSSWALK, FAMILIES_2030, NEW, communes, new_2026, old_2024

SAID = {
    "en": (
        "Figures of 2024 were counted on the tree 'vn-pre-2025' and re-expressed through the "
        "crosswalk in the tree 'vn-2025' (from 2025-07-01): every row (units, counts, trends) "
        "is on that tree"
    ),
    "vi": (
        "Số liệu năm 2024 được tính trên cây đơn vị 'vn-pre-2025' và được chuyển qua bảng "
        "chuyển đổi sang cây đơn vị 'vn-2025' (từ ngày 01/7/2025): mọi dòng (đơn vị, số đếm, "
        "xu hướng) đều theo cây đơn vị đó"
    ),
}


def _slow_province_share(year: int) -> Fraction:
    """The province's share of learning families, from the communes' counts one by one."""
    # 2024: old 08 (wards 02215, 02218) and old 02 (ward 00688), one province now.
    pairs = [(40, 100), (20, 50), (90, 200)] if year == 2024 else [(100, 160), (120, 210)]
    titled = sum(t for t, _ in pairs)
    families = sum(f for _, f in pairs)
    return Fraction(100 * titled, families)


def test_the_2024_figure_of_the_merged_province_is_the_hand_count() -> None:
    """59.46% in 2026 (220 / 370), 42.86% in 2024 on the new tree: +8.30 pp a year."""
    prog = progress(
        {2024: old_2024(), 2026: new_2026()},
        target_set(FAMILIES_2030),
        year=2030,
        crosswalk=CROSSWALK,
    )
    cols = prog.columns
    before, after = _slow_province_share(2024), _slow_province_share(2026)
    assert float(cols["value"][0]) == pytest.approx(float(after), rel=1e-12)
    assert float(cols["gap"][0]) == pytest.approx(float(after - 70), rel=1e-12)
    assert float(cols["trend"][0]) == pytest.approx(float((after - before) / 2), rel=1e-12)
    # The value shown is 2026's, and the CSV says so.
    head, row = str(prog.to_csv()).splitlines()[:2]
    assert dict(zip(head.split(","), row.split(","), strict=True))["observed_year"] == "2026"
    en = prog.to_text("en")
    assert "220 / 370 families" in en and "-10.54" in en and "+8.30" in en


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_every_output_says_the_2024_figures_were_moved_to_the_2025_tree(locale: str) -> None:
    """Text, markdown, HTML and JSON carry the note, with the new tree's first day."""
    prog = progress(
        {2024: old_2024(), 2026: new_2026()},
        target_set(FAMILIES_2030),
        year=2030,
        crosswalk=CROSSWALK,
        levels=["province", "commune"],
    )
    said = SAID[locale]
    assert said in prog.to_text(locale)
    assert said in prog.to_markdown(locale)
    assert said.replace("'", "&#x27;") in prog.to_html(locale) or said in prog.to_html(locale)
    assert said in json.loads(str(prog.to_json(locale=locale)))["notes"]


def test_years_on_one_tree_have_no_such_note() -> None:
    """Two years counted on the 2025 tree are compared by code: nothing was moved."""
    earlier = communes(
        NEW, families={"02215": 150, "00688": 200}, learning_families={"02215": 60, "00688": 90}
    )
    targets = target_set(value_target("learning_families", "70", year=2030))
    prog = progress({2025: earlier, 2026: new_2026()}, targets, year=2030)
    assert "re-expressed" not in prog.to_text("en")
    assert float(prog.columns["trend"][0]) == pytest.approx(
        float((_slow_province_share(2026) - Fraction(100 * 150, 350)) / 1), rel=1e-12
    )


@pytest.mark.parametrize(
    ("locale", "old_line", "new_line"),
    [
        (
            "en",
            "Units of the tree 'vn-pre-2025', valid until 2025-06-30",
            "Units of the tree 'vn-2025', valid from 2025-07-01",
        ),
        (
            "vi",
            "Đơn vị hành chính thuộc cây 'vn-pre-2025', hiệu lực đến hết 30/6/2025",
            "Đơn vị hành chính thuộc cây 'vn-2025', hiệu lực từ 01/7/2025",
        ),
    ],
)
def test_a_report_of_one_year_names_its_tree(locale: str, old_line: str, new_line: str) -> None:
    """Tuyên Quang's 2024 report (old tree) and 2026 one (new tree) say which units they count.

    Both name a province "Tỉnh Tuyên Quang (08)": 60 / 150 families in 2024 (without Hà
    Giang), 220 / 370 in 2026 (with it). Each report now says its tree under its title.
    """
    from learnsoc.report.results import results

    before = results(old_2024(), ["learning_families"])
    after = results(new_2026(), ["learning_families"])
    assert old_line in before.to_text(locale) and old_line in before.to_markdown(locale)
    assert new_line in after.to_text(locale) and new_line in after.to_markdown(locale)
    assert new_line not in before.to_text(locale)
    rows = dict(zip(before.columns["unit_code"].tolist(), before.columns["numerator"], strict=True))
    assert int(rows["08"]) == 40 + 20
    targets = target_set(FAMILIES_2030)
    assert new_line in progress(new_2026(), targets, year=2030).to_text(locale)


def test_a_tree_without_dates_names_no_tree() -> None:
    """A units file's own tree (no dates) says nothing: it is the one the user gave."""
    from learnsoc.report.results import results
    from tests.targets.helpers import counts, two_level

    roll = counts(two_level(("Xã A",)), families=[10], learning_families=[3])
    assert "Units of the tree" not in results(roll).to_text("en")


def test_the_json_names_the_tree_and_its_dates() -> None:
    """Programs reading the JSON of 2024 and of 2026 can tell the two Tuyên Quangs apart."""
    from learnsoc.report.results import results

    before = json.loads(str(results(old_2024(), ["learning_families"]).to_json()))
    after = json.loads(str(progress(new_2026(), target_set(FAMILIES_2030), year=2030).to_json()))
    assert before["tree"] == {
        "name": "vn-pre-2025",
        "levels": ["province", "district", "commune", "village"],
        "valid_from": None,
        "valid_until": "2025-06-30",
    }
    assert after["tree"]["name"] == "vn-2025" and after["tree"]["valid_from"] == "2025-07-01"
