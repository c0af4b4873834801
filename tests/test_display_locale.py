"""Notebook displays speak the locale set with ``ls.set_locale`` / ``ls.use_locale``."""

from __future__ import annotations

import learnsoc as ls


def test_population_html_caption_is_in_vietnamese_under_vi() -> None:
    pop = ls.synthetic_population(persons=300, seed=2)
    with ls.use_locale("vi"):
        page = pop._repr_html_()
    assert "<caption>Dân số (vn-2025)</caption>" in page
    assert "Population" not in page
    with ls.use_locale("en"):
        assert "<caption>Population (vn-2025)</caption>" in pop._repr_html_()
