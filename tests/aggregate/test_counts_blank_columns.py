"""A count column blank in every row is left out, with a warning, not every row rejected.

A commune's report with the clans' columns left empty rejected every row as a missing
value, and with them the families' counts the same rows held: the report came out empty.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.aggregate.rollup import BlankCountsWarning
from tests.aggregate.commune_report import commune_counts

TREE = ls.Hierarchy.from_units(
    {
        "code": ["01", "00004", "00004001", "00004002"],
        "name": ["Hà Nội", "Xã Minh Phú", "Thôn Đông", "Thôn Đoài"],
        "level": ["province", "commune", "village", "village"],
        "parent_code": [None, "01", "00004", "00004"],
    },
    levels=["province", "commune", "village"],
)
RATES = {
    "learning_families": ("learning_families", "families"),
    "learning_clans": ("learning_clans", "clans"),
}


def test_a_blank_column_is_left_out_and_the_rows_count() -> None:
    with pytest.warns(BlankCountsWarning, match=r"counts: clans, learning_clans blank") as got:
        roll = ls.rollup_counts(
            {
                "unit_code": ["00004001", "00004002"],
                "families": [120, 80],
                "learning_families": [90, 40],
                "clans": [None, ""],
                "learning_clans": [None, "  "],
            },
            TREE,
            rates=RATES,
        )
    assert got[0].message.columns == ("clans", "learning_clans")  # type: ignore[union-attr]
    assert roll.rejects is not None and not roll.rejects
    assert "clans" not in roll.counts and "learning_clans" not in roll.rate_definitions
    rate = roll.level("commune").rate("learning_families")
    assert (int(rate.numerator[0]), int(rate.denominator[0])) == (130, 200)


def test_a_column_blank_in_some_rows_still_rejects_them() -> None:
    """Blank in one row of two: that row gave no answer (missing_value), as before."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", BlankCountsWarning)
        roll = ls.rollup_counts(
            {"unit_code": ["00004001", "00004002"], "families": [120, None]}, TREE
        )
    assert roll.rejects is not None
    assert [(b.reason, b.rows.tolist()) for b in roll.rejects.batches] == [("missing_value", [1])]


def test_every_column_blank_is_an_error() -> None:
    with pytest.raises(ls.SchemaError, match="every count column is blank in every row"):
        ls.rollup_counts({"unit_code": ["00004001"], "families": [None]}, TREE)


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        ("en", "learnsoc: warning: bao_cao.csv: Dòng họ, Dòng họ học tập blank in every row"),
        ("vi", "learnsoc: cảnh báo: bao_cao.csv: cột Dòng họ, Dòng họ học tập để trống ở mọi dòng"),
    ],
)
def test_a_communes_file_names_its_own_headers(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    locale: str,
    said: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    got, err = commune_counts(
        capsys,
        "Mã;Số hộ;Gia đình học tập;Dòng họ;Dòng họ học tập\n00004001;120;90;;\n00004002;80;40;;\n",
        '[mapping]\ndelimiter = ";"\n[counts.columns]\n"Mã" = "unit_code"\n'
        '"Số hộ" = "families"\n"Gia đình học tập" = "learning_families"\n'
        '"Dòng họ" = "clans"\n"Dòng họ học tập" = "learning_clans"\n',
        locale=locale,
    )
    assert said in err
    assert got["learning_families"] == ("130", "200")
