"""Notebook display: short text reprs and escaped HTML that say the same numbers."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.rules.engine import Evaluation, evaluate
from learnsoc.rules.registry import load_rulebook
from learnsoc.targets import load_targets

UNITS = {
    "code": ["01", "001", "T1"],
    "name": ["<b>Tỉnh</b>", "Xã & Co", "Thôn 1"],
    "level": ["province", "commune", "village"],
    "parent_code": ["", "01", "001"],
}


def _rejecting_population() -> ls.Population:
    """Eight persons; one row has two bad cells (age and sex), six other rows one each."""
    persons = {
        "person_id": np.arange(1, 11),
        "household_id": np.array([7, 7, 7, 7, 7, 7, 7, 7, 9, 7]),
        "age": np.array(["300", "40", "x", "y", "z", "w", "v", "u", "30", "20"]),
        "sex": np.array(["9", "1", "1", "1", "1", "1", "1", "1", "1", "<script>"]),
    }
    return ls.from_dataframe(persons, {"household_id": [7], "unit_code": ["T1"]}, UNITS)


def _numbers(text: str) -> list[int]:
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]


def _cells(html: str) -> list[str]:
    return re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html)


def test_population_text_and_html_count_the_same_rejected_rows() -> None:
    pop = _rejecting_population()
    # Rows 0 (age and sex), 2-7 (age), 8 (household), 9 (sex): 9 rows, 10 problems.
    assert pop.rejects.counts()["person"] == (10, 1, 9)
    assert len(pop.rejects) == 10
    text = repr(pop)
    assert "9 rejected rows" in text
    cells = _cells(pop._repr_html_())
    assert cells[cells.index("rejected rows") + 1] == "9"


def test_rejects_html_counts_rows_reasons_and_escapes_values() -> None:
    rejects = _rejecting_population().rejects
    html = rejects._repr_html_()
    cells = _cells(html)
    # per table: read, accepted, rejected; as counts() says
    for table, (read, accepted, rejected) in rejects.counts().items():
        i = cells.index(table)
        assert cells[i + 1 : i + 4] == [str(read), str(accepted), str(rejected)]
    # per reason: problems, adding up to len(rejects)
    assert sum(n for *_, n in rejects.reasons()) == len(rejects)
    assert rejects.reasons()[0] == ("person", "age", "not_a_number", 6)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert html.count("<li>") == 10
    assert "more problem" not in html
    short = rejects._repr_html_(max_rows=3)
    assert short.count("<li>") == 3
    assert "7 more problems" in short
    text = repr(rejects)
    assert text.startswith("FileRejects(10 problems; unit: 3 read")
    assert text.endswith("person: 10 read, 1 accepted, 9 rejected)")
    assert "array" not in text and "batches" not in text


def test_population_html_escapes_unit_names() -> None:
    pop = _rejecting_population()
    assert "<b>" not in pop.hierarchy._repr_html_() + pop._repr_html_()
    assert "&lt;b&gt;" in pop.summary()._repr_html_() or "<b>" not in pop.summary()._repr_html_()


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    pop = ls.synthetic_population(persons=1_500, seed=5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return evaluate(pop, load_rulebook("example"), "2025-12-31")


def test_evaluation_repr_is_short_and_html_matches_the_summary(evaluation: Evaluation) -> None:
    text = repr(evaluation)
    assert text.startswith("Evaluation('example', as of 2025-12-31: 6 titles, 1,500 persons")
    assert "array" not in text and len(text) < 200
    html = evaluation._repr_html_()
    summary = evaluation.summary()
    labels = [c.removesuffix(" †").removesuffix(" *") for c in _cells(html)]
    for row in summary.rows:
        i = labels.index(row.label_en.split(" (")[0]) if not row.grades else None
        if i is not None:
            cells = _cells(html)[i + 2 : i + 6]
            want = [row.assessed, row.passed, row.failed, row.unknown]
            assert cells == [f"{n:,}" for n in want]
    for _, name in evaluation.missing_inputs:
        assert name in html
    assert "columns nobody gave" in html


def test_summary_text_and_html_agree(evaluation: Evaluation) -> None:
    summary = evaluation.summary()
    assert repr(summary) == "Summary(as of 2025-12-31: 6 titles)"
    text_rows = summary.to_text("vi").splitlines()[2:]
    html = summary.to_html("vi")
    body = re.findall(r"<tr>(.*?)</tr>", html)[1:]
    # grade lines are indented; the footnotes (of the * and † marks, then the titles
    # decided on partial data) close both forms, after the titles' rows
    start = next(k for k, r in enumerate(text_rows) if r.startswith(("* ", "† ")))
    plain = [r for r in text_rows[:start] if not r.startswith("  ")]
    assert len(body) == len(plain) == len(summary.rows)
    notes = text_rows[start:]
    assert any("with data" in note or "có dữ liệu" in note for note in notes) == any(
        row.partial_data for row in summary.rows
    )
    assert notes and re.findall(r"<p>(.*?)</p>", html) == notes
    for line, row in zip(plain, body, strict=True):
        cells = _cells(f"<tr>{row}</tr>")
        # the numbers and the share of each row, as the text prints them
        assert " ".join(line.split()).endswith(" ".join(cells[2:]))


def test_verdicts_repr_and_html(evaluation: Evaluation) -> None:
    v = evaluation.verdicts("learning_family")
    c = v.counts()
    assert c["assessed"] == c["passed"] + c["failed"] + c["unknown"]
    text = repr(v)
    assert "array" not in text and len(text) < 200
    assert f"{c['assessed']} assessed, {c['passed']} granted" in text
    cells = _cells(v._repr_html_())
    assert cells[-4:] == [str(c[k]) for k in ("assessed", "passed", "failed", "unknown")]


def test_population_summary_repr_and_html() -> None:
    pop = _rejecting_population()
    s = pop.summary()
    text = repr(s)
    assert "array" not in text and "age_counts" not in text
    assert text.endswith("9 rejected rows)")
    html = s._repr_html_()
    cells = _cells(html)
    i = cells.index("person")
    assert cells[i + 1 : i + 4] == ["10", "1", "9"]
    assert "&lt;b&gt;" not in html  # unit names are not in the summary; level labels are
    for line in s.to_text("en").splitlines():
        if line.startswith("Literacy"):
            assert line.split(": ", 1)[1].split(" (")[0] in html


def test_target_set_html_lists_every_target_escaped() -> None:
    targets = load_targets("hanoi-23-nq-tu")
    html = targets._repr_html_()
    assert html.count("<tr>") == len(targets) + 1
    for target in targets.targets:
        assert f"<td>{target.id}</td>" in html
    assert "<script" not in html
    assert repr(targets).startswith("TargetSet('hanoi-23-nq-tu'")
    vi = targets.to_html("vi")
    assert "<th>năm</th>" in vi


def test_rejects_html_shows_the_first_problems_without_building_every_record(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import html as html_lib

    import learnsoc.rejects as rejects_module
    from learnsoc._row_arrays import unique_rows
    from learnsoc.rejects import Reject, RejectBatch, Rejects

    n = 50_000
    rows = np.random.default_rng(3).permutation(n)
    age = RejectBatch("person", "age", "out_of_range", rows, rows.astype(str), "0..120")
    sex = RejectBatch("person", "sex", "unknown_code", rows[:500][::-1], np.full(500, "9"), "1, 2")
    rejects = Rejects((age, sex), read={"person": 2 * n})
    want = [r.message for r in rejects.records("en")[:10]]
    built = []

    class Counting(Reject):
        def __init__(self, *args: object) -> None:
            built.append(1)
            super().__init__(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(rejects_module, "Reject", Counting)
    shown = rejects._repr_html_(max_rows=10)
    assert len(built) <= 20  # ten per batch at most, not 50,500
    got = [html_lib.unescape(m) for m in re.findall(r"<li>(.*?)</li>", shown)]
    assert got == want
    assert f"{n + 500 - 10:,} more problems" in shown
    parts = [rows, rows[:500]]
    assert unique_rows(parts).tolist() == np.unique(np.concatenate(parts)).tolist()
    assert unique_rows([]).tolist() == []
    assert unique_rows([np.array([4])]).tolist() == [4]


def test_one_rejected_row_is_singular() -> None:
    """The one-line reprs said "1 rejected rows"."""
    tree = ls.Hierarchy.from_units(
        {
            "code": ["01", "C", "V"],
            "level": ["province", "commune", "village"],
            "parent_code": [None, "01", "C"],
        },
        levels="vn-2025",
    )
    pop = ls.Population.from_records(
        [ls.Person("P1", "H1", age=40), ls.Person("P2", "H1", age=140)],
        [ls.Household("H1", "V")],
        tree,
    )
    assert repr(pop).endswith("; 1 rejected row)")
    assert repr(pop.summary()).endswith("; 1 rejected row)")
