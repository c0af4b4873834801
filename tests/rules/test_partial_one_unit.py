"""A title decided for one unit only, on partial data, says "the only commune decided".

The titles table of a one-commune province read "commune-level learning community: 1 of the
1 communes was decided on the families with data; 0 on all": a plural of one, and a "0 on
all" saying nothing. Counts of several keep their words.
"""

from __future__ import annotations

import pytest

from learnsoc.cli import main
from learnsoc.rules._partial import decided_on_text


@pytest.mark.parametrize(
    ("locale", "one", "two"),
    [
        (
            "en",
            "CĐHT: the only commune decided was decided on the families with data",
            "CĐHT: 1 of the 2 communes was decided on the families with data; "
            "1 other commune on complete data",
        ),
        (
            "vi",
            "CĐHT: xã duy nhất có kết quả được quyết định chỉ dựa trên các gia đình có dữ liệu",
            "CĐHT: 1 trong số 2 xã được quyết định chỉ dựa trên các gia đình có dữ liệu; "
            "1 xã còn lại dựa trên đầy đủ dữ liệu",
        ),
    ],
)
def test_one_unit_is_named_in_the_singular(locale: str, one: str, two: str) -> None:
    assert decided_on_text("commune", 1, 1, ("household",), "CĐHT", locale) == one
    assert decided_on_text("commune", 1, 2, ("household",), "CĐHT", locale) == two


def test_the_demo_of_one_commune_says_it(capsys: pytest.CaptureFixture[str]) -> None:
    """The demo province of the old tree has one commune, decided on its families with data."""
    argv = ["demo", "--persons", "3000", "--hierarchy", "vn-pre-2025", "--locale", "en"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "of the 1 communes" not in out
    assert "commune-level learning community: the only commune decided was decided on" in out
