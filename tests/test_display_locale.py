"""Notebook displays speak the locale set with ``ls.set_locale`` / ``ls.use_locale``."""

from __future__ import annotations

import warnings
from pathlib import Path

import learnsoc as ls


def test_population_html_caption_is_in_vietnamese_under_vi() -> None:
    pop = ls.synthetic_population(persons=300, seed=2)
    with ls.use_locale("vi"):
        page = pop._repr_html_()
    assert "<caption>Dân số (vn-2025)</caption>" in page
    assert "Population" not in page
    with ls.use_locale("en"):
        assert "<caption>Population (vn-2025)</caption>" in pop._repr_html_()


def test_target_set_html_writes_goals_and_levels_in_the_locale() -> None:
    """The goal as the progress report writes it; no English word under vi."""
    targets = ls.load_targets("hanoi-23-nq-tu")
    vi = targets.to_html("vi")
    assert "<td>≥ 99,5%</td>" in vi
    assert "<td>cấp tỉnh</td>" in vi
    assert "maintained" not in vi and "province" not in vi.split("</caption>", 1)[1]
    head = vi.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert head.count("<th>chỉ tiêu</th>") == 1  # the goal is not a second "indicator"
    assert "<td>literacy-15-60-2025</td><td>literacy-15-60-2025</td>" not in vi
    en = targets.to_html("en")
    assert "<td>≥ 99.5%</td>" in en


def test_reprs_group_digits_as_the_population_does() -> None:
    """``Population(20,000 persons ...)`` beside ``Rejects(... person: 20000 read)`` confused."""
    pop = ls.synthetic_population(persons=20_000, seed=2)
    assert "20,000 persons" in repr(pop)
    assert "person: 20,000 read, 20,000 accepted, 0 rejected" in repr(pop.rejects)
    assert repr(pop.rejects).startswith("Rejects(0 problems; ")
    roll = ls.rollup(pop, ls.standard_measures(pop))
    res = ls.results(roll)
    text = repr(res)
    assert f"{len(res):,} rows)" in text and len(text) < 200, text
    assert "... (" in text  # 13 indicators: the first are named, the rest counted
    prog = ls.progress(roll, ls.load_targets("hanoi-23-nq-tu"), year=2025, levels=["village"])
    assert f": {len(prog):,} rows;" in repr(prog)


def test_rejects_html_names_reasons_and_columns_as_the_console_does(tmp_path: Path) -> None:
    """Under vi: 'Ngày sinh' and 'không phải ngày tháng', not 'birth_date' and 'not_a_date'."""
    (tmp_path / "u.csv").write_text("code,level,parent_code\n01,province,\n001,village,01\n")
    (tmp_path / "h.csv").write_text("household_id,unit_code\nH1,001\n")
    (tmp_path / "p.csv").write_text(
        "Mã NK,household_id,Ngày sinh\nP1,H1,31/02/1990\nP2,H1,1/1/1990\n", encoding="utf-8"
    )
    (tmp_path / "m.toml").write_text(
        '[person.columns]\n"Mã NK" = "person_id"\n"Ngày sinh" = "birth_date"\n', encoding="utf-8"
    )
    pop = ls.read_population(
        tmp_path / "p.csv",
        households=tmp_path / "h.csv",
        units=tmp_path / "u.csv",
        mapping=tmp_path / "m.toml",
        levels=["province", "village"],
        reference_year=2025,
    )
    with ls.use_locale("vi"):
        page = pop.rejects._repr_html_()
    assert "<td>người</td><td>Ngày sinh</td><td>không phải ngày tháng</td>" in page
    assert "birth_date" not in page and "not_a_date" not in page
    with ls.use_locale("en"):
        assert "<td>person</td><td>Ngày sinh</td><td>not_a_date</td>" in pop.rejects._repr_html_()


def test_an_explanation_shows_its_text_in_a_notebook() -> None:
    """A notebook cell ending in ev.explain(...) shows the criteria, not the attrs fields."""
    pop = ls.synthetic_population(persons=300, seed=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # inputs the example rulebook reads and pop lacks
        ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    household = str(pop.columns("household")["household_id"][0])
    explained = ev.explain("household", household, locale="vi")
    page = explained._repr_html_()
    assert page.startswith("<pre") and "hộ gia đình" in page
    assert "CriterionExplanation(" not in page
