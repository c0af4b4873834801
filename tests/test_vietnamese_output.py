"""Vietnamese output a new user meets, with no English left in it (session 14, vi8).

Each test runs what the README and the docs show, in Vietnamese, and checks a text that
was English (or half English) before.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import learnsoc as ls


def test_the_proxy_title_s_explanation_cites_no_english_document() -> None:
    """Its version line cited "learnsoc: proxy of the learning-citizen title" in Vietnamese."""
    pop = ls.synthetic_population(persons=200, seed=7)
    book = ls.load_rulebook("vn-national")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the abolished commune procedure, missing inputs
        ev = ls.evaluate(pop, book, "2025-12-31", inputs=ls.synthetic_inputs(pop, book, seed=7))
    person = str(pop.ids("person")[0])
    said = str(ev.explain("learning_citizen_proxy", person, locale="vi"))
    line = said.splitlines()[1]
    assert line.startswith("  tiêu chí áp dụng từ ngày 01/01/2016 (learnsoc); bộ tiêu chí")
    assert "proxy" not in said


def test_a_dataset_evaluation_lists_its_warnings_in_the_table_s_language(tmp_path: Path) -> None:
    """The list of a dataset's evaluation was English whatever the language of the table."""
    pytest.importorskip("pyarrow")
    pop = ls.synthetic_population(persons=300, seed=7)
    ds = ls.write_dataset(pop, tmp_path / "d")
    with pytest.warns(ls.errors.LearnsocWarning):
        ev = ls.evaluate_dataset(ds, "vn-national", "2025-12-31", bars=False)
    notice = "the recognition procedure was abolished on 2025-07-01"
    assert any(notice in w for w in ev.warnings)  # English, for scripts
    vi = ev.to_html("vi")
    assert "Cộng đồng học tập cấp xã: thủ tục công nhận đã bị bãi bỏ từ ngày 01/7/2025" in vi
    assert "recognition procedure" not in vi
    assert notice in ev.to_html("en")
