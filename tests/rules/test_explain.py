"""Explanations and summaries, golden-checked in Vietnamese and English."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.rules.engine import Evaluation, evaluate
from learnsoc.rules.explain import CriterionExplanation, Explanation
from learnsoc.rules.registry import load_rulebook

from .test_engine import CITIZEN, FAMILY, _book, _families, _run, _title, _tree

VILLAGE = _title(
    "learning_community",
    "village",
    ("families", "share(households.learning_family) >= 0.5"),
    ("people", "count(persons, where=persons.learning_citizen) >= 12"),
)


@pytest.fixture(scope="module")
def ev() -> Evaluation:
    return _run(_families(), _book(CITIZEN, FAMILY, VILLAGE))


GOLDEN = {
    ("household", "H1", "en"): (
        "household H1 — learning_family en: granted\n"
        "  criteria from 2016-01-01; rulebook t 1, as of 2025-12-31\n"
        "  ✓ children: 1 of 1\n"
        "  ✓ adults: 7 of 10 (70%); needed ≥ 70%"
    ),
    ("household", "H1", "vi"): (
        "hộ gia đình H1 — learning_family vi: đạt\n"
        "  tiêu chí áp dụng từ ngày 01/01/2016; bộ tiêu chí t 1, tính đến ngày 31/12/2025\n"
        "  ✓ children: 1 trên 1\n"
        "  ✓ adults: 7 trên 10 (70%); yêu cầu ≥ 70%"
    ),
    ("household", "H4", "en"): (
        "household H4 — learning_family en: not granted\n"
        "  criteria from 2016-01-01; rulebook t 1, as of 2025-12-31\n"
        "  ✓ children: 1 of 1\n"
        "  ✗ adults: nobody to count"
    ),
    ("household", "H4", "vi"): (
        "hộ gia đình H4 — learning_family vi: chưa đạt\n"
        "  tiêu chí áp dụng từ ngày 01/01/2016; bộ tiêu chí t 1, tính đến ngày 31/12/2025\n"
        "  ✓ children: 1 trên 1\n"
        "  ✗ adults: không có ai thuộc diện tính"
    ),
    ("household", "H6", "en"): (
        "household H6 — learning_family en: unknown (missing data)\n"
        "  criteria from 2016-01-01; rulebook t 1, as of 2025-12-31\n"
        "  ? children: missing for all 1\n"
        "  ✓ adults: 1 of 1 (100%); needed ≥ 70%"
    ),
    ("household", "H6", "vi"): (
        "hộ gia đình H6 — learning_family vi: chưa rõ (thiếu số liệu)\n"
        "  tiêu chí áp dụng từ ngày 01/01/2016; bộ tiêu chí t 1, tính đến ngày 31/12/2025\n"
        "  ? children: thiếu số liệu cả 1\n"
        "  ✓ adults: 1 trên 1 (100%); yêu cầu ≥ 70%"
    ),
    ("household", "H7", "en"): (
        "household H7 — learning_family en: granted\n"
        "  criteria from 2016-01-01; rulebook t 1, as of 2025-12-31\n"
        "  ✓ children: 1 of 1, 1 with missing data not counted\n"
        "  ✓ adults: 1 of 1 (100%); needed ≥ 70%"
    ),
    ("household", "H7", "vi"): (
        "hộ gia đình H7 — learning_family vi: đạt\n"
        "  tiêu chí áp dụng từ ngày 01/01/2016; bộ tiêu chí t 1, tính đến ngày 31/12/2025\n"
        "  ✓ children: 1 trên 1, 1 thiếu số liệu, không được tính\n"
        "  ✓ adults: 1 trên 1 (100%); yêu cầu ≥ 70%"
    ),
    ("village", "V2", "en"): (
        "village V2 — learning_community en: not granted\n"
        "  criteria from 2016-01-01; rulebook t 1, as of 2025-12-31\n"
        "  ✓ families: 1 of 2 (50%), 2 with missing data not counted; needed ≥ 50%\n"
        "  ✗ people: count = 4, 5 with missing data not counted; needed ≥ 12"
    ),
    ("village", "V2", "vi"): (
        "cấp thôn, tổ dân phố V2 — learning_community vi: chưa đạt\n"
        "  tiêu chí áp dụng từ ngày 01/01/2016; bộ tiêu chí t 1, tính đến ngày 31/12/2025\n"
        "  ✓ families: 1 trên 2 (50%), 2 thiếu số liệu, không được tính; yêu cầu ≥ 50%\n"
        "  ✗ people: số lượng = 4, 5 thiếu số liệu, không được tính; yêu cầu ≥ 12"
    ),
    ("person", "H8-a", "en"): (
        "person H8-a — learning_citizen en: unknown (missing data)\n"
        "  criteria from 2016-01-01; rulebook t 1, as of 2025-12-31\n"
        "  ? hours: literate = unknown, learning hours in the past year = 60"
    ),
    ("person", "H8-a", "vi"): (
        "người H8-a — learning_citizen vi: chưa rõ (thiếu số liệu)\n"
        "  tiêu chí áp dụng từ ngày 01/01/2016; bộ tiêu chí t 1, tính đến ngày 31/12/2025\n"
        "  ? hours: biết chữ = chưa rõ, số giờ học trong năm qua = 60"
    ),
}


@pytest.mark.parametrize(("level", "entity", "locale"), sorted(GOLDEN))
def test_explanation_golden(ev: Evaluation, level: str, entity: str, locale: str) -> None:
    """Rendered explanations match the golden text exactly, in both locales."""
    assert str(ev.explain(level, entity, locale=locale)) == GOLDEN[(level, entity, locale)]


def test_explanation_fields_hold_the_facts(ev: Evaluation) -> None:
    """The same facts are data: verdict, criteria statuses and details."""
    explanation = ev.explain("learning_family", "H2", locale="en")
    assert isinstance(explanation, Explanation)
    assert explanation.verdict == "not granted"
    (title,) = explanation.titles
    assert title.title == "learning_family"
    assert [c.status for c in title.criteria] == ["passed", "failed"]
    assert title.criteria[1] == CriterionExplanation(
        id="adults", label="adults", status="failed", details="6 of 10 (60%); needed ≥ 70%"
    )


def test_points_grades_sources_and_clauses() -> None:
    """A points title shows points, grade, each criterion's points, clause and caveats."""
    book = load_rulebook("example")
    h = ls.synthetic_hierarchy(villages=1, seed=1, levels="vn-2025")
    commune = h.codes_at("commune")[0]
    persons = [
        ls.Person(
            i,
            "H",
            age=30,
            literate=True,
            learning_hours=60,
            self_study=False,
            community_learning=False,
            in_school=False,
        )
        for i in range(10)
    ]
    organisations = [
        ls.Organisation(
            "O1", ls.OrganisationType.SCHOOL, commune, registered=True, members=range(10)
        )
    ]
    pop = ls.Population.from_records(
        persons,
        [ls.Household("H", h.codes_at("village")[0], registered=True)],
        h,
        organisations=organisations,
    )
    inputs: dict[str, dict[str, Any]] = {
        "organisation": {"learning_plan": [True], "study_plan_share": [0.5]},
        "household": {"children_results_good": [1]},
        "village": {"learning_week_held": [1]},
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ev = evaluate(pop, book, "2025-12-31", inputs=inputs)
    assert str(ev.explain("organisation", "O1", locale="en")) == (
        "organisation O1 — learning unit: granted, 70 points, grade Fair\n"
        "  criteria from 2016-01-01 (Thông tư 22/2020/TT-BGDĐT); rulebook example 2025.1, "
        "as of 2025-12-31\n"
        "  ✓ (+30) a plan for members' regular learning: yes [Article 5, criterion 1]\n"
        "  ✗ (+30) every member has a self-study plan: share of members with an approved "
        "self-study plan = 0.5 [Article 5, criterion 2]\n"
        "  ✓ (+40) members are learning citizens: 10 of 10 (100%); needed ≥ 90% (uncertain) "
        "[Article 5, criterion 3]"
    )
    assert str(ev.explain("learning_unit", "O1", locale="vi")) == (
        "cơ quan, đơn vị O1 — Đơn vị học tập: đạt, 70 điểm, xếp loại Khá\n"
        "  tiêu chí áp dụng từ ngày 01/01/2016 (Thông tư 22/2020/TT-BGDĐT); bộ tiêu chí example "
        "2025.1, tính đến ngày 31/12/2025\n"
        "  ✓ (+30) Có kế hoạch học tập thường xuyên cho thành viên: có [Điều 5, tiêu chí 1]\n"
        "  ✗ (+30) Mọi thành viên có kế hoạch tự học: Tỷ lệ thành viên có kế hoạch tự học được "
        "duyệt = 0,5 [Điều 5, tiêu chí 2]\n"
        "  ✓ (+40) Thành viên đạt công dân học tập: 10 trên 10 (100%); yêu cầu ≥ 90% "
        "(chưa chắc chắn) [Điều 5, tiêu chí 3]"
    )
    # An uncertain parameter marks the criterion that uses it.
    family = ev.explain("household", "H", locale="en").titles[0]
    assert [c.uncertain for c in family.criteria] == [False, True]
    assert family.source == "Quyết định 387/QĐ-TTg"


def test_explain_unknown_entity_and_not_assessed() -> None:
    """Unknown ids raise; unregistered households are 'not assessed'."""
    family = _title(
        "learning_family",
        "household",
        ("a", "any(members.literate)"),
        head='eligible = "registered"',
    )
    households = [ls.Household("R", "V1", registered=True), ls.Household("U", "V1")]
    persons = [ls.Person("p", "R", age=30, literate=True, learning_hours=1)]
    ev = _run(ls.Population.from_records(persons, households, _tree()), _book(CITIZEN, family))
    assert ev.explain("household", "R", locale="en").verdict == "granted"
    assert ev.explain("household", "U", locale="en").verdict == "not assessed"
    assert ev.explain("household", "U", locale="vi").verdict == "not assessed"
    with pytest.raises(ls.UnknownIdError):
        ev.explain("household", "H99")


@pytest.mark.parametrize(
    ("passed", "failed", "en", "vi"),
    [(162, 38, "81.00%", "81,00%"), (1, 1, "50.00%", "50,00%"), (2, 1, "66.67%", "66,67%")],
)
def test_summary_shares_have_two_decimals_as_the_progress_table(
    passed: int, failed: int, en: str, vi: str
) -> None:
    """Every share of the titles table has two decimals, as the progress table's rates.

    The demo printed 162 of 200 learning communities as 81% in the titles table and as
    81,00% in the progress table just below it, and a column of 47,97% and 81% beside it.
    """
    from learnsoc.rules.summary import SummaryRow, summary_cells

    row = SummaryRow(
        "t", "tv", "te", "village", "1", passed + failed, passed + failed, passed, failed, 0
    )
    assert summary_cells(row, "en")[-1] == en
    assert summary_cells(row, "vi")[-1] == vi


def test_summary_in_both_locales(ev: Evaluation) -> None:
    """The summary table counts each title, with shares of the verdicts decided."""
    # 32 persons: 18 learning citizens (7 + 6 + 1 + 2 + 1 + 1), 7 unknown (the six children
    # and H8-a have no literacy record); families: H6 and H8 (whose only adult is H8-a)
    # unknown; V1 has 2 of 4 learning families and 14 citizens.
    # Shares are of the verdicts decided: 18 of 25, 3 of 7, 1 of 3.
    assert ev.summary().to_text("en") == (
        "as of 2025-12-31\n"
        "title                  level      assessed  granted  not granted  unknown  "
        "share granted (of assessed, excluding unknown)\n"
        "learning_citizen en    person     32        18       7            7        72.00%\n"
        "learning_family en     household  9         3        4            2        42.86%\n"
        "learning_community en  village    3         1        2            0        33.33%\n"
        # H7 is decided without its child of unknown schooling (H6 and H8 are unknown); V1
        # and V2 without families (H6, H8) and people of unknown citizenship.
        "learning_family en: 1 of the 7 families was decided on the people with data; "
        "6 other families on complete data\n"
        "learning_community en: 2 of the 3 villages were decided on the members with data; "
        "1 other village on complete data"
    )
    assert ev.summary().to_text("vi") == (
        "tính đến ngày 31/12/2025\n"
        "danh hiệu              cấp                   được đánh giá  đạt  chưa đạt  chưa rõ  "
        "tỷ lệ đạt (trên số được đánh giá, không tính số chưa rõ)\n"
        "learning_citizen vi    người                 32             18   7         7        "
        "72,00%\n"
        "learning_family vi     hộ gia đình           9              3    4         2        "
        "42,86%\n"
        "learning_community vi  cấp thôn, tổ dân phố  3              1    2         0        "
        "33,33%\n"
        "learning_family vi: 1 trong số 7 gia đình được quyết định chỉ dựa trên những người có "
        "dữ liệu; 6 gia đình còn lại dựa trên đầy đủ dữ liệu\n"
        "learning_community vi: 2 trong số 3 thôn, tổ dân phố được quyết định chỉ dựa trên các "
        "thành viên có dữ liệu; 1 thôn, tổ dân phố còn lại dựa trên đầy đủ dữ liệu"
    )
    rows = ev.summary().to_dict()["titles"]
    assert [(r["title"], r["passed"], r["unknown"], r["partial_data"]) for r in rows] == [
        ("learning_citizen", 18, 7, 0),
        ("learning_family", 3, 2, 1),
        ("learning_community", 1, 0, 2),
    ]


def test_numbers_are_kept_per_entity(ev: Evaluation) -> None:
    """The counts behind an aggregate criterion are kept for every entity."""
    (atom,) = ev.numbers[("learning_family", "adults")]
    (share,) = atom.aggregates
    assert share.func == "share" and atom.op == ">=" and atom.threshold == 0.7
    assert share.hits is not None
    assert share.hits.tolist() == [7, 6, 1, 0, 2, 1, 1, 0, 0]
    # H8's only adult has an unknown citizen verdict: missing, not counted.
    assert share.count.tolist() == [10, 10, 1, 0, 2, 1, 1, 0, 0]
    assert share.status.tolist() == [0, 0, 0, 1, 0, 0, 0, 2, 1]
    assert np.asarray(share.missing).tolist() == [0, 0, 0, 0, 0, 0, 0, 1, 0]


def test_a_clause_in_brackets_is_shown_in_one_pair() -> None:
    """The bundled family criteria cite "(tiêu chí cốt lõi: ...)": shown "[(...)]" before."""
    line = CriterionExplanation(
        "c", "a label", "passed", "", clause="(tiêu chí cốt lõi: trẻ em đi học đúng độ tuổi)"
    ).render("vi")
    assert line == "✓ a label [tiêu chí cốt lõi: trẻ em đi học đúng độ tuổi]"
    numbered = CriterionExplanation("c", "a label", "passed", "", clause="Tiêu chí 1 (a) (b)")
    assert numbered.render("en").endswith("[Tiêu chí 1 (a) (b)]")
