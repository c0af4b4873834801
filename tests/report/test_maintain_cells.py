"""How "maintain" targets read in a report: the baseline year's level, or the fixed value."""

from __future__ import annotations

from learnsoc.targets import Progress, progress
from tests.targets.helpers import province_counts, target_set
from tests.targets.test_progress import MAINTAIN_VALUE, MAINTAIN_YEAR


def cells(prog: Progress, locale: str, *keys: str) -> tuple[str, ...]:
    """The first row's cells under the given column keys (the columns' order may change)."""
    report = prog.report(locale)
    row = dict(zip([c.key for c in report.columns], report.sections[0].rows[0].cells, strict=True))
    return tuple(row[k] for k in keys)


def test_maintain_the_level_of_a_year_shows_that_level_and_the_gap() -> None:
    """2022: 91 of 200 (45.5%); 2024: 46 of 100 (46%): met, 0.5 points above, +0.25 a year."""
    series = {
        2022: province_counts(families=200, learning_families=91),
        2024: province_counts(families=100, learning_families=46),
    }
    prog = progress(series, target_set(MAINTAIN_YEAR), year=2025)
    keys = ("observed", "counts", "target", "gap", "trend", "status")
    assert cells(prog, "en", *keys) == (
        "46.00%",
        "46 / 100 families",
        "maintain the 2022 level (≥ 45.50%)",
        "+0.50",
        "+0.25",
        "met",
    )
    assert cells(prog, "vi", "target", "gap") == ("duy trì mức năm 2022 (≥ 45,50%)", "+0,50")


def test_maintain_a_year_not_in_the_data_names_the_year_only() -> None:
    """Without the 2022 counts the level is unknown: no threshold, no gap, no data."""
    series = {2023: province_counts(families=100, learning_families=45)}
    prog = progress(series, target_set(MAINTAIN_YEAR), year=2025)
    got = cells(prog, "en", "target", "gap", "status")
    assert got == ("maintain the 2022 level", "—", "no data")


def test_maintain_a_value_shows_the_value() -> None:
    """995 of 1,000 literate is exactly the 99.5% to keep: met with a zero gap."""
    roll = province_counts(persons_15_60=1000, literate_15_60=995)
    prog = progress(roll, target_set(MAINTAIN_VALUE), year=2025)
    assert ": 1 row; 1 met)" in repr(prog)  # one row, not "1 rows"
    assert cells(prog, "en", "observed", "counts", "target", "gap", "status") == (
        "99.50%",
        "995 / 1,000 persons aged 15-60",
        "maintain ≥ 99.5%",
        "0.00",
        "met",
    )
