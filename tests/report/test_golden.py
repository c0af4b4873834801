"""Reports in Vietnamese and English, compared exactly with golden files.

Regenerate after an intended change with ``LEARNSOC_UPDATE_GOLDEN=1 pytest tests/report``
and review the diff.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from learnsoc.aggregate.rollup import Rollup, rollup_counts
from learnsoc.report.results import Results, results
from learnsoc.targets import Progress, load_targets, progress
from tests.targets.helpers import (
    HA_GIANG_INDICATORS,
    counts,
    ha_giang,
    target_set,
    two_level,
    value_target,
)

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("LEARNSOC_UPDATE_GOLDEN") == "1"


def ha_giang_progress() -> Progress:
    """Ha Giang 2024 against Hanoi's 2025 targets: four titles, one unmeasured, one yes/no."""
    hanoi = load_targets("hanoi-23-nq-tu")
    measured = hanoi.select(year=2025, indicators=[*HA_GIANG_INDICATORS, "literacy_15_60"])
    ids = [*measured.ids(), "learning-city-2025"]
    return progress(ha_giang(), hanoi.select(ids=ids), year=2025)


def trend_progress() -> Progress:
    """Three communes over three years against a 2026 target, with an uncertain target."""
    h = two_level(("Xã Minh Tân", "Phường Quang Trung", "Xã Lũng Cú"))
    data = {
        2022: counts(h, families=[200, 150, 90], learning_families=[80, 100, 20]),
        2023: counts(h, families=[200, 150, 90], learning_families=[92, 104, 24]),
        2024: counts(h, families=[210, 150, 0], learning_families=[105, 108, 0]),
    }
    targets = value_target("learning_families", "60", year=2026, level="commune").replace(
        'clause = "Điều 1"',
        'clause = "Điều 1"\nuncertain = true\n'
        'note = { vi = "Chưa rõ nguồn.", en = "Source unclear." }',
    )
    return progress(data, target_set(targets), year=2026)


#: The decimals Ha Giang's 2024 report printed each rate with (DOMAIN.md section 4).
PRINTED = {"learning_clans": 1, "learning_communities": 1, "learning_units": 0}


def ha_giang_results() -> Results:
    """Ha Giang's reported 2024 counts as a results table (no targets)."""
    return results(ha_giang(), HA_GIANG_INDICATORS, year=2024)


def commune_results() -> Results:
    """Three communes: the learning-citizen bases, missing values, a commune with no data."""
    h = two_level(("Xã Minh Tân", "Phường Quang Trung", "Xã Lũng Cú"))
    roll = counts(
        h,
        persons=[1200, 900, 0],
        adults=[950, 700, 0],
        learning_citizens=[310, 402, 0],
        learning_citizens_missing=[20, 0, 0],
        adult_learning_citizens=[310, 402, 0],
        adult_learning_citizens_missing=[20, 0, 0],
        families=[300, 210, 0],
        registered_families=[280, 150, 0],
        learning_families=[240, 120, 0],
    )
    ids = [
        "learning_citizens",
        "adult_learning_citizens",
        "learning_families",
        "learning_families_of_registered",
    ]
    return results(roll, ids, ["province", "commune"], year=2024)


def reform_progress() -> Progress:
    """A city on the tree from 1/7/2025 against district and family targets of 23-NQ/TU."""
    import learnsoc as ls
    from learnsoc.aggregate.rollup import rollup_counts

    h = ls.Hierarchy.from_units(
        {
            "code": ["01", "00004", "00008", "T1", "T2"],
            "name": ["Thành phố Hà Nội", "Phường Ba Đình", "Phường Ngọc Hà", "Tổ 1", "Tổ 2"],
            "level": ["province", "commune", "commune", "village", "village"],
            "parent_code": [None, "01", "01", "00004", "00008"],
        },
        levels="vn-2025",
    )
    roll = rollup_counts(
        {
            "unit_code": ["00004", "00008"],
            "families": [5200, 4100],
            "learning_families": [3900, 2300],
        },
        h,
        level="commune",
    )
    ids = ["learning-families-2025", "learning-districts-2025", "preschool-districts-2025"]
    return progress(roll, load_targets("hanoi-23-nq-tu").select(ids=ids), year=2025)


def incomplete_counts() -> Rollup:
    """Two communes; the second's row is rejected (a negative count): 1 of 2 reported."""
    h = two_level(("Xã Một", "Xã Hai"))
    table = {
        "unit_code": ["00001", "00002"],
        "families": [980, 500],
        "learning_families": [701, -3],
    }
    return rollup_counts(table, h)


def incomplete_progress() -> Progress:
    """The province reaches 60% on the one commune that reported: met on 1 of 2 communes."""
    targets = load_targets("hanoi-23-nq-tu").select(indicators=["learning_families"])
    return progress(incomplete_counts(), targets, year=2025, levels=["province", "commune"])


RENDERINGS: dict[str, Callable[[], str]] = {
    "reform.vi.txt": lambda: reform_progress().to_text("vi"),
    "reform.en.txt": lambda: reform_progress().to_text("en"),
    "incomplete.vi.txt": lambda: incomplete_progress().to_text("vi"),
    "incomplete.en.md": lambda: incomplete_progress().to_markdown("en"),
    "incomplete_results.vi.txt": lambda: results(incomplete_counts()).to_text("vi"),
    "incomplete_results.en.html": lambda: results(incomplete_counts()).to_html("en"),
    "results_ha_giang.vi.txt": lambda: ha_giang_results().to_text(
        "vi", rounding="truncate", decimals=PRINTED
    ),
    "results_ha_giang.en.txt": lambda: ha_giang_results().to_text(
        "en", rounding="truncate", decimals=PRINTED
    ),
    "results_ha_giang.vi.md": lambda: ha_giang_results().to_markdown(
        "vi", rounding="truncate", decimals=PRINTED
    ),
    "results_ha_giang.en.html": lambda: ha_giang_results().to_html("en"),
    "results_communes.vi.txt": lambda: commune_results().to_text("vi", decimals=1),
    "results_communes.en.txt": lambda: commune_results().to_text("en", page_size=4),
    "ha_giang.vi.txt": lambda: ha_giang_progress().to_text("vi", rounding="truncate"),
    "ha_giang.en.txt": lambda: ha_giang_progress().to_text("en"),
    "ha_giang.vi.md": lambda: ha_giang_progress().to_markdown("vi", rounding="truncate"),
    "ha_giang.en.md": lambda: ha_giang_progress().to_markdown("en"),
    "ha_giang.vi.html": lambda: ha_giang_progress().to_html("vi", rounding="truncate"),
    "ha_giang.en.html": lambda: ha_giang_progress().to_html("en"),
    "trend.vi.txt": lambda: trend_progress().to_text("vi", page_size=2),
    "trend.en.txt": lambda: trend_progress().to_text("en", page_size=2),
}


@pytest.mark.parametrize("name", sorted(RENDERINGS))
def test_report_matches_its_golden_file(name: str) -> None:
    got = RENDERINGS[name]() + "\n"
    path = GOLDEN / name
    if UPDATE:
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


def test_results_golden_files_hold_ha_giangs_printed_figures() -> None:
    """The Vietnamese table reads as the province printed it; English is cut the same way."""
    vi = (GOLDEN / "results_ha_giang.vi.txt").read_text(encoding="utf-8")
    en = (GOLDEN / "results_ha_giang.en.txt").read_text(encoding="utf-8")
    for words in (
        "Tỷ lệ Gia đình học tập",
        "138.068 / 187.624 gia đình  73,58%",
        "1.564 / 2.263 dòng họ   69,1%",
        "81,2%",
        "818 / 834 cơ quan, đơn vị     98%",
        "số đạt / tổng số",
        "tổng số gia đình",
    ):
        assert words in vi
    for words in ("138,068 / 187,624 families  73.58%", "69.1%", "81.2%", "98%", "all families"):
        assert words in en


def test_golden_files_hold_the_reported_figures_in_each_locale() -> None:
    """The strings the issue names, spelt out (vi: 73,58% and 138.068; en: 73.59%, 138,068)."""
    vi = (GOLDEN / "ha_giang.vi.txt").read_text(encoding="utf-8")
    en = (GOLDEN / "ha_giang.en.txt").read_text(encoding="utf-8")
    for words in ("73,58%", "138.068 / 187.624", "+13,58", "≥ 60%", "đạt", "không có số liệu"):
        assert words in vi
    for words in ("73.59%", "138,068 / 187,624", "+13.59", "met", "no data", "not assessed"):
        assert words in en
    assert "ngày 16/11/2023" in vi and "November 16, 2023" in en
