"""The fast totals-row scan finds exactly what the pattern finds over the whole file."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnsoc.io import _totals_scan
from learnsoc.io._totals_scan import TOTALS_CELL, finditer_totals, search_totals

#: Cells that are, or look like, totals labels, and ordinary ones that share their letters.
CELLS = [
    "Tổng cộng",
    "TỔNG CỘNG",
    unicodedata.normalize("NFD", "Tổng cộng"),
    "tổng số",
    "Cộng",
    "cộng thôn Đông",
    "Toàn xã",
    "TOTAL",
    "Grand Total",
    "total:",
    "Tổng cộng: 10 người",
    "TỔNG SỐ : 120 hộ",
    "Cộng Hòa",  # a commune's name, no label
    "Toàn",  # a given name, and the start of a label
    "Nguyễn Văn Toàn",
    "Thị",
    "Cường",
    "gr",
    "To",
    "01",
    "3.5",
    "",
    " ",
]
SEPARATORS = [",", ";", "\t", "|"]
BREAKS = ["\n", "\r\n", "\r"]


def spans(matches: list[re.Match[bytes]]) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


def lines() -> st.SearchStrategy[bytes]:
    cell = st.sampled_from(CELLS).flatmap(
        lambda c: st.sampled_from([c, f'"{c}"', f" {c} ", f'  "{c}"'])
    )
    line = st.tuples(st.lists(cell, max_size=5), st.sampled_from(SEPARATORS)).map(
        lambda t: t[1].join(t[0])
    )
    return st.lists(st.tuples(line, st.sampled_from(BREAKS)), max_size=12).map(
        lambda ls: "".join(a + b for a, b in ls).encode()
    )


@pytest.fixture(params=[(1 << 24, 0), (1 << 24, 1 << 30), (5, 0), (5, 1 << 30)])
def windows(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows of the file's size and of a few bytes (lines cut across windows), each
    searched line by line (``_DENSE`` 0) and whole (``_DENSE`` huge)."""
    chunk, dense = request.param
    monkeypatch.setattr(_totals_scan, "_CHUNK", chunk)
    monkeypatch.setattr(_totals_scan, "_DENSE", dense)


@pytest.mark.usefixtures("windows")
@given(data=lines(), cut=st.integers(0, 400), stop=st.integers(0, 400))
@settings(max_examples=200, deadline=None)
def test_search_and_finditer_equal_the_pattern_over_the_whole_bytes(
    data: bytes, cut: int, stop: int
) -> None:
    begin, end = min(cut, len(data)), min(max(cut, stop), len(data))
    expected = TOTALS_CELL.search(data, begin, end)
    found = search_totals(data, begin, end)
    assert (found and found.span()) == (expected and expected.span())
    assert spans(list(finditer_totals(data, begin))) == spans(
        list(TOTALS_CELL.finditer(data, begin))
    )


@pytest.mark.parametrize("dense", [1, 1 << 20])
def test_dense_and_sparse_windows_find_the_same(
    dense: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A window of many candidates is searched whole; of few, line by line."""
    monkeypatch.setattr(_totals_scan, "_DENSE", dense)
    monkeypatch.setattr(_totals_scan, "_CHUNK", 64)
    rows = [f"{i},Nguyễn Văn Toàn,{i % 7}" for i in range(300)]
    rows[150] = "Tổng cộng,,9"
    rows[299] = "Cộng thôn 3,,2"
    data = ("mã,tên,số\n" + "\n".join(rows) + "\n").encode()
    assert spans(list(finditer_totals(data))) == spans(list(TOTALS_CELL.finditer(data)))
    found = search_totals(data)
    assert found is not None
    assert found.span() == TOTALS_CELL.search(data).span()  # type: ignore[union-attr]


def test_lines_without_a_possible_label_are_not_given_to_the_pattern(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A file of numbers and codes: the pattern sees the one line that may hold a label."""
    seen: list[int] = []

    class Counting:
        def search(self, data: bytes, start: int, stop: int) -> re.Match[bytes] | None:
            seen.append(stop - start)
            return TOTALS_CELL.search(data, start, stop)

    monkeypatch.setattr(_totals_scan, "TOTALS_CELL", Counting())
    rng = np.random.default_rng(1)
    rows = [f"{i},{i // 4},{a},1,0" for i, a in enumerate(rng.integers(0, 90, 20_000))]
    rows[7_000] = "Tổng cộng,,,,"
    data = ("person_id,household_id,age,literate,ghi_chu\n" + "\n".join(rows) + "\n").encode()
    match = search_totals(data)
    assert match is not None
    assert match.group() == "Tổng cộng,".encode()
    assert seen == [len(rows[7_000].encode())]
