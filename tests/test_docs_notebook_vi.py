"""The quickstart-vi walked as a notebook in Vietnamese: what it shows, in Vietnamese words.

An analyst ran the page's cells after ``ls.set_locale("vi")`` and looked at each object as
Jupyter shows it. Three things read wrong: the evaluation's list of columns nobody gave
named the standard schema's columns by their bare ids (``person.learning_hours``) between
rulebook inputs named in Vietnamese; a target set of one year said "cho các năm 2025"
(for the years 2025); a title decided on partial data said "xã duy nhất đã quyết định
được quyết định" (the commune decided decided). Expected strings are written by hand.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import learnsoc as ls
from learnsoc.rules.evaluation import Evaluation, evaluation_html
from tests.trees import two_level


def _evaluation(folder: Path) -> Evaluation:
    """A commune's files with persons' ages only: the optional columns nobody gave."""
    (folder / "u.csv").write_text(
        "code,name,level,parent_code\n01,Tỉnh A,province,\n00004,Xã B,commune,01\n"
        "00004001,Thôn Đông,village,00004\n",
        "utf-8",
    )
    (folder / "h.csv").write_text("household_id,unit_code\nH1,00004001\n", "utf-8")
    (folder / "p.csv").write_text("person_id,household_id,age\n1,H1,40\n2,H1,12\n", "utf-8")
    pop = ls.read_population(folder / "p.csv", households=folder / "h.csv", units=folder / "u.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # inputs not given; an abolished procedure
        return ls.evaluate(pop, ls.load_rulebook("vn-national"), "2025-12-31")


def _items(page: str, heading: str) -> list[str]:
    """Return the list items under ``heading:`` of an evaluation's HTML."""
    found = re.search(rf"<p>{re.escape(heading)}:</p><ul>(.*?)</ul>", page)
    assert found is not None, heading
    return re.findall(r"<li>(.*?)</li>", found[1])


def test_columns_nobody_gave_are_named_in_the_readers_words(tmp_path: Path) -> None:
    ev = _evaluation(tmp_path)
    missing = dict.fromkeys(f"{level}.{name}" for level, name in ev.missing_inputs)
    assert "person.learning_hours" in missing  # a schema column, not a rulebook input
    with ls.use_locale("vi"):
        items = _items(ev._repr_html_(), "cột dữ liệu không được cung cấp")
    assert "Số giờ học trong năm qua (person.learning_hours)" in items
    # Every column given is named by its label first, its id in brackets.
    assert len(items) == len(missing)
    assert [re.findall(r"\((\w+\.\w+)\)$", i)[0] for i in items] == list(missing)
    english = _items(evaluation_html(ev, "en"), "columns nobody gave")
    assert "Learning hours in the past year (person.learning_hours)" in english


def test_a_target_set_of_one_year_says_the_year() -> None:
    national = ls.load_targets("vn-387-qd-ttg").select(year=2025)  # as the tutorial selects
    assert national.years == (2025,)
    n = len(national)
    hanoi = ls.load_targets("hanoi-23-nq-tu")
    with ls.use_locale("vi"):
        assert repr(national) == f"TargetSet('vn-387-qd-ttg': {n} mục tiêu cho năm 2025)"
        assert repr(hanoi) == "TargetSet('hanoi-23-nq-tu': 52 mục tiêu cho các năm 2025, 2030)"
    assert repr(national) == f"TargetSet('vn-387-qd-ttg': {n} targets for the year 2025)"
    assert repr(hanoi) == "TargetSet('hanoi-23-nq-tu': 52 targets for 2025, 2030)"


def test_a_datasets_skipped_titles_are_said_in_vietnamese(tmp_path: Path) -> None:
    """The scaling guide's evaluation of a dataset listed why titles were skipped in English."""
    from learnsoc._messages import Message

    tree = two_level({"01": ["00101"], "02": ["00201"]})
    pop = ls.synthetic_population(persons=400, seed=4, hierarchy=tree)
    ls.write_dataset(pop, tmp_path / "d")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ls.evaluate_dataset(tmp_path / "d", "example", "2025-12-31")
        whole = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    assert ev.skipped and ev.skipped == whole.skipped  # titles of villages, on no villages
    with ls.use_locale("vi"):
        items = _items(ev._repr_html_(), "không được đánh giá")
        # Said as the population's own evaluation says them, in Vietnamese.
        assert items == _items(whole._repr_html_(), "không được đánh giá")
    assert all("hierarchy" not in i and "aggregates" not in i for i in items), items
    assert any("không có cấp" in i for i in items), items
    # A reason kept by a worker process comes back as itself.
    import pickle

    reason = next(iter(ev.skip_reasons.values()))
    again = pickle.loads(pickle.dumps(reason))  # noqa: S301 (our own bytes)
    assert isinstance(again, Message) and str(again) == str(reason) and again.id == reason.id
