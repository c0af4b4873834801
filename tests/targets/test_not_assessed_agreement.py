"""The note on units never assessed agrees with their number: "1 of the 7 clans counts".

`learnsoc demo` printed "never assessed for the title, 1 of the 7 clans count here as
without it"; one counts, several count. So for those with data: "1 of the 7 clans has
data", "6 of the 7 clans have data" (the note says each count with its own verb). The
Vietnamese, which has one form, is unchanged.
"""

from __future__ import annotations

import pytest

from learnsoc.targets import load_targets
from learnsoc.targets.progress import NOTE_NOT_ASSESSED, Note

TARGETS = load_targets("hanoi-23-nq-tu")


@pytest.mark.parametrize(
    ("counts", "said"),
    [
        ((1, 7, 6, 2), "1 of the 7 clans counts here as without it"),
        ((2, 7, 5, 2), "2 of the 7 clans count here as without it"),
        ((1, 7, 6, 2, 1), "6 of the 7 clans have data (the share's base); 1 of them, never "
         "assessed for the title, counts here"),
        ((3, 7, 3, 2, 1), "3 of them, never assessed for the title, count here"),
        # One with data: it "has data", though the clans are 7 (the verb follows the 1).
        ((1, 7, 0, 0, 6), "1 of the 7 clans has data (the share's base); 1 of them, never "
         "assessed for the title, counts here"),
        ((2, 7, 0, 0, 5), "2 of the 7 clans have data (the share's base); 2 of them, never "
         "assessed for the title, count here"),
    ],
)  # fmt: skip
def test_the_verb_agrees_with_the_count(counts: tuple[int, ...], said: str) -> None:
    note = Note(NOTE_NOT_ASSESSED, indicator="learning_clans", counts=counts)
    assert said in note.text(TARGETS, "en")


def test_vietnamese_is_the_same_for_one_and_many() -> None:
    one = Note(NOTE_NOT_ASSESSED, indicator="learning_clans", counts=(1, 7, 6, 2))
    assert "1 trong tổng số 7 dòng họ không được đánh giá danh hiệu" in one.text(TARGETS, "vi")
    for with_data in (1, 2):  # one with data, or two: the same words
        note = Note(NOTE_NOT_ASSESSED, indicator="learning_clans",
                    counts=(with_data, 7, 0, 0, 7 - with_data))  # fmt: skip
        assert note.text(TARGETS, "vi") == (
            f"Tỷ lệ Dòng họ học tập: {with_data} trong tổng số 7 dòng họ có số liệu (là mẫu số "
            f"của tỷ lệ); trong đó {with_data} không được đánh giá danh hiệu và được tính là "
            "chưa đạt; trong 0 trường hợp đã được đánh giá và có kết quả, tỷ lệ đạt là —, như "
            "trong bảng kết quả đánh giá danh hiệu"
        )
