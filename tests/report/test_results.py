"""Results tables (no targets): Ha Giang's published figures, named denominators, bad input."""

from __future__ import annotations

import csv
import html
import io
import json
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.report.results import Results, results
from learnsoc.report.tables import RESULT_COLUMNS
from learnsoc.targets import INDICATORS, Indicator, Progress, TargetError, load_targets, progress
from tests.optional import needs
from tests.targets.helpers import HA_GIANG_INDICATORS, counts, ha_giang, province, two_level

#: The decimals Ha Giang's 2024 report printed each rate with (DOMAIN.md section 4).
PRINTED = {"learning_clans": 1, "learning_communities": 1, "learning_units": 0}

# Microdata flags: 1 yes, 255 missing.
YES, MISSING = 1, 255


def ha_giang_results() -> Results:
    return results(ha_giang(), HA_GIANG_INDICATORS, year=2024)


def ha_giang_progress() -> Progress:
    targets = load_targets("hanoi-23-nq-tu").select(indicators=HA_GIANG_INDICATORS)
    return progress(ha_giang(), targets, year=2025)


# -- the published figures ------------------------------------------------------------------


def test_results_reproduce_ha_giang_as_printed_in_vietnamese() -> None:
    """138.068 / 187.624 gia đình 73,58% (truncated), 69,1%, 81,2% and 98% (DOMAIN.md 4)."""
    rep = ha_giang_results().report("vi", rounding="truncate", decimals=PRINTED)
    rows = [row.cells for row in rep.sections[0].rows]
    assert [c[1] for c in rows] == [
        "Tỷ lệ Gia đình học tập",
        "Tỷ lệ Dòng họ học tập",
        "Tỷ lệ Cộng đồng học tập",
        "Tỷ lệ Đơn vị học tập",
    ]
    assert rows[0][2:] == (
        "138.068 / 187.624 gia đình",
        "73,58%",
        "tổng số gia đình",
        "1/1 tỉnh, thành phố",
    )
    assert [c[3] for c in rows] == ["73,58%", "69,1%", "81,2%", "98%"]
    assert [c.heading for c in rep.columns] == [
        "đơn vị hành chính",
        "chỉ tiêu",
        "số đạt / tổng số",
        "tỷ lệ",
        "tính trên",
        "đơn vị báo cáo",
    ]
    assert rep.title == "Kết quả thực hiện các chỉ tiêu xây dựng xã hội học tập năm 2024"


def test_results_reproduce_ha_giang_in_english_half_up_and_truncated() -> None:
    """English: half up by default (73.59%), truncated with the printed decimals as in vi."""
    res = ha_giang_results()
    half_up = [r.cells[3] for r in res.report("en").sections[0].rows]
    assert half_up == ["73.59%", "69.11%", "81.25%", "98.08%"]
    cut = res.report("en", rounding="truncate", decimals=PRINTED).sections[0].rows
    assert [r.cells[3] for r in cut] == ["73.58%", "69.1%", "81.2%", "98%"]
    assert cut[0].cells[2] == "138,068 / 187,624 families"
    assert cut[0].cells[4] == "all families"
    # One number for every indicator.
    assert [r.cells[3] for r in res.report("en", decimals=0).sections[0].rows] == [
        "74%",
        "69%",
        "81%",
        "98%",
    ]


def test_results_rows_follow_the_tree_and_the_total_on_request() -> None:
    """Rows in tree order, rates from summed counts; no denominator is no data; a total row."""
    h = two_level()
    roll = counts(h, families=[100, 50, 0], learning_families=[60, 10, 0])
    res = results(roll, ["learning_families"])
    assert res.columns["level"].tolist() == ["province", "commune", "commune", "commune"]
    assert res.columns["numerator"].tolist() == [70, 60, 10, 0]
    # A commune with no families has no data, never 0%.
    assert math.isnan(res.columns["value"][3])
    # ... and says why: it reported nobody to count (labels14), as the CSV's status does.
    assert res.report("en").sections[1].rows[2].cells[2:4] == ("0 / 0 families", "nobody to count")
    total = results(roll, ["learning_families"], ["total"])
    assert total.report("vi").sections[0].rows[0].cells[0] == "tổng 1 tỉnh, thành phố"
    assert len(results(roll, ["learning_families"], ["commune"]).filter(unit="00001")) == 1


def test_default_indicators_are_those_the_data_measure() -> None:
    """Without indicators, every standard indicator whose measures the rollup has."""
    res = results(ha_giang())
    assert [ind.id for ind in res.indicators] == HA_GIANG_INDICATORS
    assert repr(res).startswith("Results([learning_families, learning_clans")


def test_an_indicator_the_data_lack_is_no_data_with_a_note() -> None:
    """An indicator named but not measured shows dashes and a note naming its measures."""
    res = results(ha_giang(), ["learning_families", "literacy_15_60"])
    text = res.to_text("en")
    literacy = "share of persons aged 15-60 who are literate"
    assert f"{literacy}: not in the data (needs the measures literate_15_60" in text
    assert res.report("en").sections[0].rows[1].cells[2:4] == ("—", "—")


# -- every renderer names the denominator ----------------------------------------------------


def _both_tables() -> list[Any]:
    return [ha_giang_results(), ha_giang_progress()]


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_text_names_the_denominator(locale: str) -> None:
    """Plain text: the "out of" column names each rate's denominator (results and progress)."""
    for table in _both_tables():
        text = table.to_text(locale)
        heading, basis = (
            ("tính trên", "tổng số gia đình") if locale == "vi" else ("out of", "all families")
        )
        assert heading in text and basis in text


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_markdown_names_the_denominator(locale: str) -> None:
    """Markdown: the denominator is a cell of every row."""
    for table in _both_tables():
        text = table.to_markdown(locale)
        basis = "tổng số dòng họ" if locale == "vi" else "all clans"
        assert f"| {basis} |" in text


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_html_names_the_denominator(locale: str) -> None:
    """HTML (and the notebook view): the denominator is a cell of every row."""
    for table in _both_tables():
        page = html.unescape(table.to_html(locale))
        basis = "tổng số cơ quan, đơn vị" if locale == "vi" else "all organisations"
        assert f"<td>{basis}</td>" in page
        with ls.use_locale(locale):  # a notebook shows the table in the default locale
            assert basis in html.unescape(table._repr_html_())


def test_csv_names_the_denominator() -> None:
    """CSV: denominator_measure (the measure) and denominator_label (in the locale)."""
    for table in _both_tables():
        rows = list(csv.DictReader(io.StringIO(table.to_csv(locale="vi"))))
        families = next(r for r in rows if r["indicator"] == "learning_families")
        assert families["denominator_measure"] == "families"
        assert families["denominator_label"] == "tổng số gia đình"
    header = str(ha_giang_results().to_csv(locale="en")).splitlines()[0]
    assert header == ",".join(RESULT_COLUMNS)


def test_json_names_the_denominator() -> None:
    """JSON: each indicator with its denominator, and the label on every row."""
    for table in _both_tables():
        doc = json.loads(table.to_json(locale="en"))
        meta = {i["id"]: i for i in doc["indicators"]}
        assert meta["learning_families"]["denominator"] == "families"
        assert meta["learning_families"]["denominator_label"] == "all families"
        assert doc["rows"][0]["denominator_label"] == "all families"
    doc = json.loads(str(ha_giang_results().to_json(locale="vi")))
    assert doc["year"] == 2024 and doc["rows"][0]["year"] == 2024
    assert doc["rows"][0]["value"] == pytest.approx(73.5876, abs=1e-4)


@needs("pandas")
def test_pandas_names_the_denominator() -> None:
    """pandas: the same tidy columns, counts as nullable integers (Int64)."""
    for table in _both_tables():
        frame = table.to_pandas("vi")
        row = frame[frame["indicator"] == "learning_units"].iloc[0]
        assert row["denominator_label"] == "tổng số cơ quan, đơn vị"
        assert row["denominator_measure"] == "units"
    frame = ha_giang_results().to_pandas("en")
    assert list(frame.columns) == list(RESULT_COLUMNS)
    import pandas as pd

    assert frame["numerator"].dtype == pd.Int64Dtype()  # blank where never measured
    assert frame["numerator"].tolist() == [138068, 1564, 1681, 818]


@needs("matplotlib")
def test_plot_labels_name_the_denominator() -> None:
    """Plots: bar labels or the axis name the denominator; numbers match the table."""
    res = ha_giang_results()
    ax = res.plot(locale="vi", rounding="truncate", decimals=PRINTED)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "Tỷ lệ Gia đình học tập (trên tổng số gia đình)"
    assert [t.get_text() for t in ax.texts] == ["73,58%", "69,1%", "81,2%", "98%"]
    assert ax.get_title() == "Kết quả thực hiện các chỉ tiêu xây dựng xã hội học tập năm 2024"
    one = res.plot(locale="en", indicator="learning_clans")
    assert one.get_xlabel() == "share of learning clans (of all clans)"
    prog = ha_giang_progress().plot(locale="en", indicator="learning_units")
    assert prog.get_xlabel() == "share of learning units (of all organisations)"
    ax.figure.canvas.draw()


# -- named variants: the right rate against numbers counted by hand ---------------------------


def test_family_variants_divide_by_all_or_registered_families_from_microdata() -> None:
    """learning_families over every household; the registered variant over registered ones."""
    pop = ls.synthetic_population(persons=4_000, seed=21)
    titled = np.random.default_rng(3).random(pop.n_households) < 0.7
    roll = ls.rollup(pop, ls.standard_measures(pop, titles={"household": titled}))
    registered = pop.column("household", "registered").tolist()
    learning = sum(1 for t, r in zip(titled.tolist(), registered, strict=True) if t and r == YES)
    n_registered = sum(1 for r in registered if r == YES)
    assert 0 < n_registered < pop.n_households  # the two denominators differ
    res = results(
        roll,
        ["learning_families", "learning_families_of_registered", "learning_families_of_households"],
        ["total"],
    )
    by_id = {ind.id: k for k, ind in enumerate(res.indicators)}
    value = res.columns["value"]
    assert value[by_id["learning_families"]] == pytest.approx(100 * learning / pop.n_households)
    assert value[by_id["learning_families_of_registered"]] == pytest.approx(
        100 * learning / n_registered
    )
    assert res.columns["denominator"].tolist() == [
        pop.n_households,
        n_registered,
        pop.n_households,
    ]


def test_learning_citizen_variants_from_microdata_by_hand() -> None:
    """The three learning-citizen bases against a person-by-person count (missing left out)."""
    pop = ls.synthetic_population(persons=3_000, seed=22)
    roll = ls.rollup(pop, ls.standard_measures(pop, working_age=(15, 60)))
    ages = pop.column("person", "age").tolist()
    flags = pop.column("person", "recognised_learning_citizen").tolist()

    def rate(eligible: Callable[[int], bool]) -> float:
        yes = sum(1 for a, f in zip(ages, flags, strict=True) if eligible(a) and f == YES)
        known = sum(1 for a, f in zip(ages, flags, strict=True) if eligible(a) and f != MISSING)
        return 100 * yes / known

    res = results(
        roll,
        ["learning_citizens", "adult_learning_citizens", "working_age_learning_citizens"],
        ["total"],
    )
    assert res.columns["value"].tolist() == pytest.approx(
        [rate(lambda a: True), rate(lambda a: a >= 15), rate(lambda a: 15 <= a <= 60)]
    )


def test_learning_citizen_variants_from_counts_by_hand() -> None:
    """The three bases from reported counts, truncated, each naming its denominator."""
    roll = ls.rollup_counts(
        {
            "unit_code": ["02"],
            "persons": [854_679],
            "adults": [600_000],
            "working_age": [500_000],
            "learning_citizens": [115_071],
            "adult_learning_citizens": [115_071],
            "working_age_learning_citizens": [100_000],
        },
        province(),
    )
    ids = ["learning_citizens", "adult_learning_citizens", "working_age_learning_citizens"]
    rows = results(roll, ids).report("vi", rounding="truncate").sections[0].rows
    # 115071 / 854679 = 13.4636...%, / 600000 = 19.1785%, 100000 / 500000 = 20%.
    assert [r.cells[3] for r in rows] == ["13,46%", "19,17%", "20,00%"]
    assert [r.cells[4] for r in rows] == [
        "tổng số người dân",
        "tổng số người dân từ 15 tuổi trở lên",
        "tổng số người trong độ tuổi lao động",
    ]


def test_the_learning_citizen_basis_is_uncertain_and_the_report_says_which_it_used() -> None:
    """The citizen bases are uncertain with a reason; results and progress say which was used."""
    for name in ("learning_citizens", "adult_learning_citizens", "working_age_learning_citizens"):
        ind = INDICATORS[name]
        assert ind.uncertain and "23-NQ/TU" in ind.note_display("en")
    assert not INDICATORS["learning_families"].uncertain
    roll = ls.rollup_counts(
        {"unit_code": ["02"], "persons": [1000], "learning_citizens": [300]}, province()
    )
    res = results(roll, ["learning_citizens"])
    rep = res.report("vi")
    # The label names its denominator (labels14): the note need not repeat it.
    assert rep.sections[0].rows[0].cells[1] == "Tỷ lệ Công dân học tập trên tổng số người dân *"
    assert rep.notes[0].startswith(
        "* Tỷ lệ Công dân học tập trên tổng số người dân: chưa chắc chắn: văn bản"
    )
    assert "chưa chắc chắn" in rep.notes[0] and "Nghị quyết 23-NQ/TU" in rep.notes[0]
    assert res.to_columns("en")["uncertain"].tolist() == [True]
    # Progress against 23-NQ/TU says it too.
    hanoi = load_targets("hanoi-23-nq-tu").select(indicators=["learning_citizens"])
    text = progress(roll, hanoi, year=2025).to_text("en")
    assert "share of learning citizens among all residents *" in text
    assert "* share of learning citizens among all residents: uncertain:" in text


def test_an_uncertain_indicator_needs_a_note() -> None:
    """An uncertain indicator needs a reason; an unnamed basis reads "all <denominator>"."""
    with pytest.raises(TargetError, match="uncertain: give a note"):
        Indicator("x", "a", "b", "x", uncertain=True)
    ind = Indicator("x", "a", "b", "x", denominator_label="pupils")
    assert ind.basis_display("en") == "all pupils"
    assert ind.display_with_basis("en") == "x (of all pupils)"


def test_no_standard_indicator_names_a_registered_denominator_it_does_not_have() -> None:
    """Regression: learning_families said 'gia đình đăng ký' over all families' counts."""
    ind = INDICATORS["learning_families"]
    assert ind.denominator == "families"
    assert "đăng ký" not in ind.denominator_display("vi")
    assert "đăng ký" not in ind.basis_display("vi")
    assert "đăng ký" in INDICATORS["learning_families_of_registered"].basis_display("vi")
    pop = ls.synthetic_population(persons=1_500, seed=4)
    measures = ls.standard_measures(pop)
    roll = ls.rollup(pop, measures).level("total")
    assert int(roll.counts["families"][0]) == pop.n_households


# -- bad input ---------------------------------------------------------------------------------


def test_unknown_indicators_and_levels_name_the_choices() -> None:
    """Unknown indicators and levels are TargetErrors with the closest name."""
    with pytest.raises(TargetError, match="unknown indicator 'learning_familes'; did you mean "):
        results(ha_giang(), ["learning_familes"])
    with pytest.raises(TargetError, match="levels: 'commune' is not a level of the data"):
        results(ha_giang(), levels=["commune"])
    with pytest.raises(TargetError, match="asked for twice"):
        results(ha_giang(), ["learning_units", "learning_units"])
    with pytest.raises(TargetError, match="needs a Rollup"):
        results(ls.synthetic_population(persons=500, seed=1))  # type: ignore[arg-type]
    empty = ls.rollup_counts({"unit_code": ["02"], "pupils": [5]}, province())
    with pytest.raises(TargetError, match=r"no standard indicator \(its measures: pupils"):
        results(empty)


@pytest.mark.parametrize("table", [ha_giang_results, ha_giang_progress])
def test_decimals_for_an_unknown_indicator_is_an_error(table: Callable[[], Any]) -> None:
    """decimals naming an unknown indicator, or out of range, fail in results and progress."""
    t = table()
    with pytest.raises(
        TargetError, match=r"no indicator 'learning_clan' .*did you mean 'learning_clans'"
    ):
        t.to_text("vi", decimals={"learning_clan": 1})
    with pytest.raises(TargetError, match=r"decimals\['learning_clans'\] must be from 0 to 10"):
        t.to_markdown("vi", decimals={"learning_clans": 11})
    with pytest.raises(TargetError, match="whole number"):
        t.to_html("vi", decimals=1.5)


def test_decimals_for_an_indicator_not_in_the_results_lists_those_that_are() -> None:
    """A known indicator that is not in the table is refused, listing those that are."""
    res = results(ha_giang(), ["learning_families"])
    with pytest.raises(TargetError) as err:
        res.to_text(decimals={"learning_units": 0})
    assert str(err.value) == (
        "decimals: no indicator 'learning_units' in this results table; "
        "expected one of 'learning_families'"
    )


def test_results_over_districts_after_the_reform_say_the_districts_are_gone() -> None:
    """A results table of 2025 or later that counts districts says they were abolished.

    Progress notes it ("assessed on the units before 1/7/2025 ..."); results printed
    "0 / 1 districts 0.00%" for 2026 with nothing to say those districts no longer exist.
    """
    tree = ls.Hierarchy.from_units(
        {
            "code": ["01", "001", "00001"],
            "name": ["Hà Nội", "Ba Đình", "Phúc Xá"],
            "level": ["province", "district", "commune"],
            "parent_code": [None, "01", "001"],
        },
        levels=["province", "district", "commune"],
    )
    roll = ls.rollup_counts(
        {"unit_code": ["001"], "districts": [1], "learning_districts": [0]}, tree, level="district"
    )
    gone = (
        "Tỷ lệ Cộng đồng học tập cấp huyện: đánh giá theo danh mục đơn vị hành chính trước ngày "
        "01/7/2025"
    )
    for year in (2025, 2026):
        notes = results(roll, ["learning_districts"], year=year).notes("vi")
        assert any(n.startswith(gone) for n in notes), notes
        text = results(roll, ["learning_districts"], year=year).to_text("vi")
        assert gone in text
    assert not any(
        n.startswith(gone) for n in results(roll, ["learning_districts"], year=2024).notes("vi")
    )
