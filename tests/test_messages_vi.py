"""Errors of the synthetic data, the vocabulary and the locale helpers in Vietnamese
(issue 16, item 6): ``str(err)`` stays English, ``err.localized("vi")`` is Vietnamese."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import learnsoc as ls
from learnsoc.errors import LearnsocError
from learnsoc.i18n import normalize_locale, round_decimal
from learnsoc.vocabulary import term

_POP = ls.synthetic_population(persons=200, seed=1)

CASES: dict[str, tuple[Callable[[], object], str, str]] = {
    "synthetic tree without villages": (
        lambda: ls.synthetic_hierarchy(villages=0),
        "a synthetic hierarchy needs at least one lowest-level unit, got 0",
        "hệ thống đơn vị hành chính giả lập cần ít nhất một đơn vị ở cấp thấp nhất, nhận được 0",
    ),
    "synthetic population of nobody": (
        lambda: ls.synthetic_population(persons=0),
        "persons must be at least 1, got 0",
        "persons phải lớn hơn hoặc bằng 1, nhận được 0",
    ),
    "pass rate": (
        lambda: ls.synthetic_inputs(_POP, ls.load_rulebook("vn-national"), pass_rate=1.5),
        "pass_rate must lie between 0 and 1, got 1.5",
        "pass_rate phải nằm trong khoảng từ 0 đến 1, nhận được 1.5",
    ),
    "pass rate of a level": (
        lambda: ls.synthetic_inputs(
            _POP, ls.load_rulebook("vn-national"), pass_rate={"commune": -1}
        ),
        "pass_rate for 'commune' must lie between 0 and 1, got -1",
        "pass_rate của cấp 'commune' phải nằm trong khoảng từ 0 đến 1, nhận được -1",
    ),
    "misspelt term": (
        lambda: term("learning_famly"),
        "unknown term 'learning_famly'; did you mean 'learning_family'?",
        "không có thuật ngữ 'learning_famly'; có phải ý bạn là 'learning_family'?",
    ),
    "unsupported locale": (
        lambda: normalize_locale("fr_FR"),
        "unsupported locale 'fr_FR'; expected one of 'en', 'vi'",
        "không hỗ trợ ngôn ngữ 'fr_FR'; cần một trong các giá trị 'en', 'vi'",
    ),
    "misspelt rounding": (
        lambda: round_decimal(1.5, 0, "half_upp"),
        "unknown rounding 'half_upp'; did you mean 'half_up'?",
        "không có cách làm tròn 'half_upp'; có phải ý bạn là 'half_up'?",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_errors_in_vietnamese(case: str) -> None:
    make, english, vietnamese = CASES[case]
    with pytest.raises(LearnsocError) as info:
        make()
    assert str(info.value) == english
    assert info.value.localized("vi") == vietnamese
