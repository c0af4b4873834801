"""A counts table of villages marks each learning community: one community per village row.

A commune's report has a row per village and a column "Cộng đồng học tập" holding "x" for a
village recognised. Before, ``learning_communities`` without a ``communities`` column was no
rate at all (the report left it out without a word), though each row is one community.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import learnsoc as ls
from tests.aggregate.commune_report import commune_counts

TREE = ls.Hierarchy.from_units(
    {
        "code": ["01", "00004", "00007", "00004001", "00004002", "00004003", "00007001"],
        "name": [
            "Hà Nội",
            "Xã Minh Phú",
            "Xã Tân Lập",
            "Thôn Đông",
            "Thôn Đoài",
            "Thôn Nam",
            "Thôn Bắc",
        ],
        "level": ["province", "commune", "commune", "village", "village", "village", "village"],
        "parent_code": [None, "01", "01", "00004", "00004", "00004", "00007"],
    },
    levels=["province", "commune", "village"],
)


def test_each_village_row_is_one_community() -> None:
    """Minh Phú: 2 of its 3 villages; Tân Lập: 0 of 1; the province 2 of 4 (by hand)."""
    roll = ls.rollup_counts(
        {
            "unit_code": ["00004001", "00004002", "00004003", "00007001"],
            "families": [120, 80, 60, 50],
            "learning_families": [90, 40, 50, 10],
            "learning_communities": [1, 0, 1, 0],
        },
        TREE,
    )
    assert not roll.rejects
    for level, expected in {
        "province": [(2, 4)],
        "commune": [(2, 3), (0, 1)],
        "village": [(1, 1), (0, 1), (1, 1), (0, 1)],
    }.items():
        rate = roll.level(level).rate("learning_communities")
        got = list(zip(rate.numerator.tolist(), rate.denominator.tolist(), strict=True))
        assert got == expected, level
    res = ls.results(roll, ["learning_communities"], ["commune"])
    cells = [r.cells for s in res.report("vi").sections for r in s.rows]
    assert cells[0][2] == "2 / 3 cộng đồng thôn, tổ dân phố"


def test_a_village_cannot_be_two_communities() -> None:
    """2 in a village's row is refused (numerator above its one community), not summed."""
    roll = ls.rollup_counts(
        {"unit_code": ["00004001", "00004002"], "learning_communities": [2, 1]}, TREE
    )
    assert roll.rejects is not None
    (batch,) = roll.rejects.batches
    assert (batch.reason, batch.column, batch.rows.tolist()) == (
        "numerator_exceeds_denominator",
        "learning_communities",
        [0],
    )
    rate = roll.level("province").rate("learning_communities")
    assert (int(rate.numerator[0]), int(rate.denominator[0])) == (1, 1)


def test_rows_of_communes_still_need_their_communities() -> None:
    """A commune's row of 3 learning communities says nothing of how many it has."""
    roll = ls.rollup_counts({"unit_code": ["00004"], "learning_communities": [3]}, TREE)
    assert "communities" not in roll.counts
    given = ls.rollup_counts(
        {"unit_code": ["00004"], "learning_communities": [2], "communities": [3]},
        TREE,
        rates={"learning_communities": ("learning_communities", "communities")},
    )
    rate = given.level("commune").rate("learning_communities")
    assert (int(rate.numerator[0]), int(rate.denominator[0])) == (2, 3)


def test_a_communes_report_with_x_marks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """From the command line: "x" is 1, a blank is 0, as the mapping says."""
    monkeypatch.chdir(tmp_path)
    got, _ = commune_counts(
        capsys,
        "STT;Tên thôn;Số hộ;Gia đình học tập;Cộng đồng học tập\n"
        "1;Thôn Đông;120;90;x\n2;Thôn Đoài;80;40;\n",
        '[mapping]\ndelimiter = ";"\n[counts]\nignore = ["STT"]\n[counts.columns]\n'
        '"Tên thôn" = "unit_code"\n"Số hộ" = "families"\n"Gia đình học tập" = "learning_families"\n'
        '"Cộng đồng học tập" = "learning_communities"\n'
        '[counts.values.learning_communities]\n"x" = 1\n"" = 0\n',
    )
    assert got == {"learning_families": ("130", "200"), "learning_communities": ("1", "2")}
