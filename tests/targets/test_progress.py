"""Progress: hand-computed statuses at both boundaries of every target kind, trends, and the
Ha Giang figures; random counts against a slow exact reference."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import learnsoc as ls
from learnsoc.aggregate.rollup import Rollup
from learnsoc.targets import Status, TargetError, TargetSet, load_targets, progress
from tests.targets.helpers import (
    HA_GIANG_INDICATORS,
    LOWER_IS_BETTER,
    counts,
    ha_giang,
    province_counts,
    target_set,
    two_level,
    value_target,
)


def one_status(roll: Any, targets: TargetSet, year: int = 2025) -> Status:
    statuses = progress(roll, targets, year=year).statuses()
    assert len(statuses) == 1
    return statuses[0]


# -- Ha Giang, reported 2024, against the Hanoi 2025 targets ------------------------------


def test_ha_giang_against_hanoi_2025_rates_gaps_and_statuses() -> None:
    """The four reported rates, exact gaps in percentage points, all met."""
    targets = load_targets("hanoi-23-nq-tu").select(indicators=HA_GIANG_INDICATORS)
    prog = progress(ha_giang(), targets, year=2025)
    cols = prog.columns
    assert [t.indicator for t in prog.targets] == HA_GIANG_INDICATORS
    assert cols["numerator"].tolist() == [138068, 1564, 1681, 818]
    assert cols["denominator"].tolist() == [187624, 2263, 2069, 834]
    assert cols["target"].tolist() == [60.0, 60.0, 60.0, 50.0]
    expected_gap = [
        float(Fraction(138068 * 100, 187624) - 60),
        float(Fraction(1564 * 100, 2263) - 60),
        float(Fraction(1681 * 100, 2069) - 60),
        float(Fraction(818 * 100, 834) - 50),
    ]
    assert cols["gap"] == pytest.approx(expected_gap, rel=1e-12)
    assert prog.statuses() == [Status.MET] * 4
    assert prog.status_counts() == {
        "province": {
            "met": 4,
            "not_met": 0,
            "on_track": 0,
            "off_track": 0,
            "no_data": 0,
            "not_assessed": 0,
            "abolished": 0,
            "met_incomplete": 0,
            "tree_undated": 0,
            "not_in_force": 0,
        }
    }


def test_ha_giang_printed_figures_reproduced_with_truncation() -> None:
    """73.58% as printed (truncated; 73.59% half up), 69.1%, 81.2% and 98% at their decimals."""
    targets = load_targets("hanoi-23-nq-tu").select(indicators=HA_GIANG_INDICATORS)
    prog = progress(ha_giang(), targets, year=2025)
    decimals = {"learning_clans": 1, "learning_communities": 1, "learning_units": 0}
    rows = prog.report("vi", rounding="truncate", decimals=decimals).sections[0].rows
    observed = [r.cells[2] for r in rows]
    assert observed == ["73,58%", "69,1%", "81,2%", "98%"]
    assert [r.cells[6] for r in rows] == ["+13,58", "+9,1", "+21,2", "+48"]
    assert [r.cells[7] for r in rows] == ["1/1 tỉnh, thành phố"] * 4
    assert [r.cells[8] for r in rows] == ["đạt"] * 4
    half_up = prog.report("en").sections[0].rows[0].cells
    assert half_up[2:] == (
        "73.59%",
        "138,068 / 187,624 families",
        "all families",
        "≥ 60%",
        "+13.59",
        "1 of 1 province",
        "met",
    )


# -- value targets -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (60, 100, Status.MET),  # exactly at the target
        (3, 5, Status.MET),
        (59, 100, Status.NOT_MET),
        (599_999, 1_000_000, Status.NOT_MET),  # just under
        (600_001, 1_000_000, Status.MET),
        (0, 100, Status.NOT_MET),
        (0, 0, Status.NO_DATA),  # no families at all: never 0%
    ],
)
def test_value_target_at_least_boundaries(
    numerator: int, denominator: int, expected: Status
) -> None:
    targets = target_set(value_target("learning_families", "60"))
    roll = province_counts(families=denominator, learning_families=numerator)
    assert one_status(roll, targets) == expected


@pytest.mark.parametrize(
    ("numerator", "expected"), [(60, Status.NOT_MET), (61, Status.MET), (59, Status.NOT_MET)]
)
def test_value_target_strictly_more_than(numerator: int, expected: Status) -> None:
    """'> 60%' (Hanoi's certified workers, 2030) is not met at exactly 60%."""
    targets = target_set(value_target("learning_clans", "60", op=">"))
    roll = province_counts(clans=100, learning_clans=numerator)
    assert one_status(roll, targets) == expected


def test_decimal_targets_compare_exactly() -> None:
    """99.5% is 199/200: 995 of 1000 meets it, 994 does not, with no float error."""
    targets = target_set(value_target("literacy_15_60", "99.5"))
    for num, expected in [(995, Status.MET), (994, Status.NOT_MET), (1990, Status.MET)]:
        den = 2000 if num == 1990 else 1000
        roll = province_counts(persons_15_60=den, literate_15_60=num)
        assert one_status(roll, targets) == expected


@pytest.mark.parametrize(
    ("dropouts", "expected"), [(5, Status.MET), (6, Status.NOT_MET), (0, Status.MET)]
)
def test_lower_is_better_value_target(dropouts: int, expected: Status) -> None:
    targets = target_set(value_target("dropout", "5"), LOWER_IS_BETTER)
    roll = province_counts(pupils=100, dropouts=dropouts)
    assert one_status(roll, targets) == expected
    gap = progress(roll, targets, year=2025).columns["gap"][0]
    assert gap == pytest.approx(dropouts - 5)


# -- range targets -------------------------------------------------------------------------

RANGE = """
[[targets]]
id = "trained-2025"
indicator = "trained_workers"
year = 2025
kind = "range"
range = [75, 80]
level = "province"
clause = "Mục tiêu cụ thể"
"""


@pytest.mark.parametrize(
    ("numerator", "expected"),
    [
        (75, Status.MET),  # met at the lower bound
        (74, Status.NOT_MET),
        (80, Status.MET),  # the upper bound is shown, not required
        (95, Status.MET),
    ],
)
def test_range_target_is_met_at_its_lower_bound(numerator: int, expected: Status) -> None:
    targets = target_set(RANGE)
    roll = province_counts(workers=100, trained_workers=numerator)
    prog = progress(roll, targets, year=2025)
    assert prog.statuses() == [expected]
    assert prog.columns["target"][0] == 75.0
    assert prog.columns["target_upper"][0] == 80.0
    assert prog.columns["gap"][0] == pytest.approx(numerator - 75)
    assert prog.report("en").sections[0].rows[0].cells[5] == "75-80%"


def test_range_target_just_under_the_lower_bound() -> None:
    targets = target_set(RANGE)
    roll = province_counts(workers=10_000, trained_workers=7_499)
    assert one_status(roll, targets) == Status.NOT_MET


@pytest.mark.parametrize(("dropouts", "expected"), [(10, Status.MET), (11, Status.NOT_MET)])
def test_lower_is_better_range_is_met_at_its_upper_bound(dropouts: int, expected: Status) -> None:
    targets = target_set(
        """
[[targets]]
id = "dropout-2025"
indicator = "dropout"
year = 2025
kind = "range"
range = [5, 10]
level = "province"
""",
        LOWER_IS_BETTER,
    )
    roll = province_counts(pupils=100, dropouts=dropouts)
    assert one_status(roll, targets) == expected


# -- maintain targets ----------------------------------------------------------------------

MAINTAIN_VALUE = """
[[targets]]
id = "literacy-2025"
indicator = "literacy_15_60"
year = 2025
kind = "maintain"
baseline = 99.5
level = "province"
"""
MAINTAIN_YEAR = """
[[targets]]
id = "families-2025"
indicator = "learning_families"
year = 2025
kind = "maintain"
baseline_year = 2022
level = "province"
"""


@pytest.mark.parametrize(("numerator", "expected"), [(995, Status.MET), (994, Status.NOT_MET)])
def test_maintain_a_baseline_value(numerator: int, expected: Status) -> None:
    targets = target_set(MAINTAIN_VALUE)
    roll = province_counts(persons_15_60=1000, literate_15_60=numerator)
    assert one_status(roll, targets) == expected


@pytest.mark.parametrize(
    ("later", "expected"),
    [
        ((45, 100), Status.MET),
        ((90, 200), Status.MET),
        ((44, 100), Status.OFF_TRACK),  # two years observed: -0.5 a year where +1 is needed
        ((46, 100), Status.MET),
    ],
)
def test_maintain_the_level_of_a_baseline_year(later: tuple[int, int], expected: Status) -> None:
    """The unit must keep at least its own 2022 share (45/100), compared exactly."""
    targets = target_set(MAINTAIN_YEAR)
    series = {
        2022: province_counts(families=100, learning_families=45),
        2024: province_counts(families=later[1], learning_families=later[0]),
    }
    prog = progress(series, targets, year=2025)
    assert prog.statuses() == [expected]
    assert prog.columns["target"][0] == 45.0


def test_maintain_without_the_baseline_year_is_no_data_with_a_note() -> None:
    targets = target_set(MAINTAIN_YEAR)
    series = {2023: province_counts(families=100, learning_families=45)}
    prog = progress(series, targets, year=2025)
    assert prog.statuses() == [Status.NO_DATA]
    assert "baseline year 2022" in prog.notes[0].text(prog.targets, "en")


# -- yes/no targets ------------------------------------------------------------------------


def test_qualitative_targets_are_not_assessed_unless_answered() -> None:
    hanoi = load_targets("hanoi-23-nq-tu").select(
        ids=["learning-city-2025", "literacy-level-2-2025"]
    )
    roll = ha_giang()
    assert progress(roll, hanoi, year=2025).statuses() == [Status.NOT_ASSESSED] * 2
    answered = progress(
        roll,
        hanoi,
        year=2025,
        assessments={"learning-city-2025": True, "literacy-level-2-2025": False},
    )
    # Rows follow the file's order: literacy level 2 first, then the city title.
    assert answered.statuses() == [Status.NOT_MET, Status.MET]
    by_unit = progress(roll, hanoi, year=2025, assessments={"learning-city-2025": {"02": False}})
    assert by_unit.statuses() == [Status.NOT_ASSESSED, Status.NOT_MET]
    with pytest.raises(TargetError, match="did you mean 'learning-city-2025'"):
        progress(roll, hanoi, year=2025, assessments={"learning-city-2026": True})


# -- no data -------------------------------------------------------------------------------


def test_absent_measures_give_no_data_and_a_note_never_zero() -> None:
    targets = load_targets("hanoi-23-nq-tu").select(indicators=["literacy_15_60"])
    prog = progress(ha_giang(), targets, year=2025)
    assert prog.statuses() == [Status.NO_DATA]
    assert np.isnan(prog.columns["value"][0]) and np.isnan(prog.columns["gap"][0])
    assert prog.report("vi").sections[0].rows[0].cells[2] == "—"
    text = prog.notes[0].text(prog.targets, "en")
    assert "literate_15_60" in text and "persons_15_60" in text


def test_missing_values_leave_the_denominator() -> None:
    """80 literate of 100, 20 of them unknown: 80/80 known = 100%, not 80%."""
    targets = target_set(value_target("literacy_15_60", "99.5"))
    roll = province_counts(persons_15_60=100, literate_15_60=80, literate_15_60_missing=20)
    prog = progress(roll, targets, year=2025)
    assert prog.columns["denominator"].tolist() == [80]
    assert prog.columns["missing"].tolist() == [20]
    assert prog.statuses() == [Status.MET]
    assert (
        prog.report("en").sections[0].rows[0].cells[3]
        == "80 / 80 persons aged 15-60 (excluding 20 without data)"
    )


def test_units_with_an_empty_denominator_are_no_data_while_others_are_judged() -> None:
    h = two_level()
    roll = counts(h, families=[100, 0, 10], learning_families=[70, 0, 5])
    targets = target_set(value_target("learning_families", "60", level="commune"))
    prog = progress(roll, targets, year=2025)
    assert prog.columns["unit_code"].tolist() == ["00001", "00002", "00003"]
    assert prog.statuses() == [Status.MET, Status.NO_DATA, Status.NOT_MET]


# -- scope: levels and units ---------------------------------------------------------------


def test_levels_override_holds_every_unit_to_the_targets_and_total_row() -> None:
    h = two_level()
    roll = counts(h, families=[100, 50, 10], learning_families=[70, 20, 6])
    targets = target_set(value_target("learning_families", "60"))
    prog = progress(roll, targets, year=2025, levels=["commune", "total"])
    assert prog.columns["level"].tolist() == ["commune"] * 3 + ["total"]
    assert prog.columns["numerator"].tolist() == [70, 20, 6, 96]
    assert prog.statuses() == [Status.MET, Status.NOT_MET, Status.MET, Status.MET]  # 96/160
    counts_by_level = prog.status_counts()
    assert list(counts_by_level) == ["commune", "total"]
    assert counts_by_level["commune"]["met"] == 2


def test_unknown_levels_are_errors_with_a_hint() -> None:
    targets = load_targets("hanoi-23-nq-tu").select(indicators=["learning_families"])
    roll = counts(two_level(), families=[1, 1, 1], learning_families=[1, 1, 1])
    with pytest.raises(TargetError, match="did you mean 'commune'"):
        progress(roll, targets, year=2025, levels=["comune"])
    region = ls.Hierarchy.from_units(
        {"code": ["R", "S"], "level": ["region", "school"], "parent_code": [None, "R"]},
        levels=["region", "school"],
    )
    roll = counts(region, families=[1], learning_families=[1])
    with pytest.raises(TargetError, match="level 'province' is not a level of the data"):
        progress(roll, targets, year=2025)


def test_named_units_and_absent_ones_noted() -> None:
    targets = target_set(
        """
[[targets]]
id = "families-2025"
indicator = "learning_families"
year = 2025
kind = "value"
value = 60
units = ["00002", "99999"]
"""
    )
    roll = counts(two_level(), families=[100, 50, 10], learning_families=[70, 40, 6])
    prog = progress(roll, targets, year=2025)
    assert prog.columns["unit_code"].tolist() == ["00002"]
    assert prog.statuses() == [Status.MET]
    assert "99999" in prog.notes[0].text(prog.targets, "en")


# -- years and trends ----------------------------------------------------------------------


def test_default_year_is_the_first_target_year_not_before_the_data() -> None:
    targets = load_targets("hanoi-23-nq-tu").select(indicators=["learning_families"])
    one = province_counts(families=10, learning_families=5)
    assert progress(one, targets).year == 2025
    assert progress({2024: one}, targets).year == 2025
    assert progress({2026: one}, targets).year == 2030
    assert progress({2031: one}, targets).year == 2030
    with pytest.raises(TargetError, match="no targets for 2027; its years are 2025, 2030"):
        progress(one, targets, year=2027)


def trend_targets(year: int) -> TargetSet:
    return target_set(value_target("learning_families", "60", year=year))


def series(*shares: int, start: int = 2022) -> dict[int, Rollup]:
    return {
        start + k: province_counts(families=100, learning_families=share)
        for k, share in enumerate(shares)
    }


def test_on_track_when_the_trend_equals_the_required_change() -> None:
    """40, 45, 50% in 2022-24: +5 a year; 60% by 2026 needs +5 a year: on track (boundary)."""
    prog = progress(series(40, 45, 50), trend_targets(2026), year=2026)
    assert prog.statuses() == [Status.ON_TRACK]
    assert prog.columns["trend"][0] == pytest.approx(5.0)
    assert prog.columns["required"][0] == pytest.approx(5.0)


def test_off_track_when_the_trend_is_short_of_the_required_change() -> None:
    """The same trend needs +10 a year to reach 60% by 2025: off track."""
    prog = progress(series(40, 45, 50), trend_targets(2025), year=2025)
    assert prog.statuses() == [Status.OFF_TRACK]
    assert prog.columns["required"][0] == pytest.approx(10.0)
    just_short = progress(series(40, 44, 50), trend_targets(2026), year=2026)
    assert just_short.columns["trend"][0] == pytest.approx(5.0)
    assert just_short.statuses() == [Status.ON_TRACK]
    slower = progress(series(41, 45, 50), trend_targets(2026), year=2026)
    assert slower.columns["trend"][0] == pytest.approx(4.5)
    assert slower.statuses() == [Status.OFF_TRACK]


def test_met_stays_met_and_a_passed_deadline_is_not_met() -> None:
    assert progress(series(50, 55, 61), trend_targets(2026), year=2026).statuses() == [Status.MET]
    late = progress(series(40, 45, 50, start=2025), trend_targets(2025), year=2025)
    assert late.statuses() == [Status.NOT_MET]
    assert np.isnan(late.columns["required"][0])


def test_one_observation_with_a_year_gives_the_required_change_but_no_trend() -> None:
    prog = progress(
        {2024: province_counts(families=100, learning_families=50)}, trend_targets(2026)
    )
    assert prog.statuses() == [Status.NOT_MET]
    assert prog.columns["required"][0] == pytest.approx(5.0)
    assert np.isnan(prog.columns["trend"][0])


def test_lower_is_better_trend() -> None:
    targets = target_set(value_target("dropout", "5", year=2026), LOWER_IS_BETTER)
    down = {2022 + k: province_counts(pupils=100, dropouts=d) for k, d in enumerate([11, 10, 9])}
    assert progress(down, targets, year=2026).statuses() == [Status.OFF_TRACK]  # needs -2/yr
    faster = {2022 + k: province_counts(pupils=100, dropouts=d) for k, d in enumerate([13, 11, 9])}
    assert progress(faster, targets, year=2026).statuses() == [Status.ON_TRACK]


def test_units_are_matched_across_years_by_code() -> None:
    """A commune absent in an earlier year has a trend over the years it has."""
    h_old = two_level(("Xã A", "Xã B"))
    h_new = two_level()
    data = {
        2022: counts(h_old, families=[100, 100], learning_families=[40, 30]),
        2023: counts(h_new, families=[100, 100, 100], learning_families=[45, 30, 20]),
        2024: counts(h_new, families=[100, 100, 100], learning_families=[50, 30, 40]),
    }
    targets = target_set(value_target("learning_families", "60", year=2026, level="commune"))
    prog = progress(data, targets, year=2026)
    assert prog.columns["trend"].tolist() == pytest.approx([5.0, 0.0, 20.0])
    assert prog.statuses() == [Status.ON_TRACK, Status.OFF_TRACK, Status.ON_TRACK]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 100), min_size=3, max_size=3), min_size=2, max_size=6),
    st.integers(0, 100),
)
def test_trend_matches_polyfit_and_status_follows(values: list[list[int]], target: int) -> None:
    """Least-squares slope per commune equals numpy.polyfit's; statuses follow the rule."""
    h = two_level()
    years = list(range(2018, 2018 + len(values)))
    data = {
        y: counts(h, families=[100, 100, 100], learning_families=row)
        for y, row in zip(years, values, strict=True)
    }
    targets = target_set(value_target("learning_families", str(target), year=2030, level="commune"))
    prog = progress(data, targets, year=2030)
    latest = values[-1]
    for unit in range(3):
        ys = [row[unit] for row in values]
        slope = np.polyfit(years, ys, 1)[0]
        assert prog.columns["trend"][unit] == pytest.approx(slope, abs=1e-9)
        required = (target - latest[unit]) / (2030 - years[-1])
        if latest[unit] >= target:
            assert prog.statuses()[unit] == Status.MET
        elif abs(slope - required) > 1e-9:  # away from the boundary, floats cannot disagree
            expected = Status.ON_TRACK if slope > required else Status.OFF_TRACK
            assert prog.statuses()[unit] == expected


# -- random counts against a slow exact reference ------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 10**7)), min_size=3, max_size=3),
    st.decimals(min_value=0, max_value=100, places=2),
)
def test_statuses_match_exact_fractions_at_every_level(
    pairs: list[tuple[int, int]], target: Decimal
) -> None:
    """Rates are computed from summed counts (never averaged), and met iff num/den >= target."""
    h = two_level()
    dens = [max(a, b) for a, b in pairs]
    nums = [min(a, b) for a, b in pairs]
    roll = counts(h, families=dens, learning_families=nums)
    targets = target_set(value_target("learning_families", str(target)))
    prog = progress(roll, targets, year=2025, levels=["province", "commune", "total"])
    expected_num = [sum(nums), *nums, sum(nums)]
    expected_den = [sum(dens), *dens, sum(dens)]
    assert prog.columns["numerator"].tolist() == expected_num
    assert prog.columns["denominator"].tolist() == expected_den
    threshold = Fraction(str(target))
    for num, den, status in zip(expected_num, expected_den, prog.statuses(), strict=True):
        if den == 0:
            assert status == Status.NO_DATA
        else:
            met = Fraction(num * 100, den) >= threshold
            assert status == (Status.MET if met else Status.NOT_MET)
    counted = Counter(s.id for s in prog.statuses())
    totals: Counter[str] = Counter()
    for per_level in prog.status_counts().values():
        totals.update(per_level)
    assert {k: v for k, v in totals.items() if v} == dict(counted)


# -- inputs --------------------------------------------------------------------------------


def test_observations_must_be_rollups_by_year() -> None:
    targets = trend_targets(2026)
    roll = province_counts(families=1, learning_families=1)
    with pytest.raises(TargetError, match="no observations"):
        progress({}, targets)
    with pytest.raises(TargetError, match=r"\(year, Rollup\) pairs"):
        progress([("2024", roll)], targets)  # type: ignore[list-item]
    with pytest.raises(TargetError, match="observed once"):
        progress([(2024, roll), (2024, roll)], targets)


def test_filter_and_repr() -> None:
    h = two_level()
    roll = counts(h, families=[100, 50, 10], learning_families=[70, 20, 0])
    targets = target_set(value_target("learning_families", "60", level="commune"))
    prog = progress(roll, targets, year=2025)
    assert len(prog.filter(status="not met")) == 2
    assert len(prog.filter(status=[Status.MET], unit="00001")) == 1
    assert len(prog.filter(indicator="learning_clans")) == 0
    with pytest.raises(TargetError, match="did you mean 'not_met'"):
        prog.filter(status="not_mett")
    assert repr(prog) == "Progress('test', 2025: 3 rows; 1 met, 2 not met)"
