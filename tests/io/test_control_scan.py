"""The look for control and invisible characters in ids: only suspect rows looked at closely.

Each cell's UTF-8 bytes are looked at first (:func:`learnsoc.io.convert._utf8_suspects`);
the exact look (the regular expression for Arrow, numpy over every character for numpy
text) then sees only the rows holding a byte such a character starts with. These tests
hold the result equal to the exact look on every row, the way it was done before.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnsoc._control_chars import CONTROL, CONTROL_RE2, control_rows, visible
from learnsoc.io import convert
from learnsoc.rejects import shown as cut

#: Characters an id may hold: ASCII, Vietnamese letters (precomposed and combining), the
#: control and invisible characters, whitespace trimmed around an id, and characters
#: that share a first UTF-8 byte with them ("°" C2, "–" E2, "＠" EF) or lie past the BMP.
ALPHABET = (
    "AZaz09-_ /"
    + "ỘộĐđƯưƠơÂâĂăÊêÔôÀảãạẮằẳẵặ"
    + "\u0300\u0301\u0303\u0309\u0323"
    + "\x00\x01\x07\t\n\r\x1b\x1f\x7f\x80\x85\x9f\xa0\xad"
    + "\u200b\u200c\u200d\u200e\u200f\u202a\u202e\u2060\u2064\u2066\u2069\ufeff"
    + "°·–€\u2028\u3000＠\U0001f600\U00020000"
)

ids = st.lists(st.text(ALPHABET, max_size=12), min_size=1, max_size=40)


def show(value: str) -> str:
    return cut(visible(value))


def same(got: tuple[Any, Any, list[str]], want: tuple[Any, Any, list[str]]) -> None:
    """Assert two results of the look are equal: blanked cells, rows, values shown."""
    assert got[1].tolist() == want[1].tolist()
    assert got[2] == want[2]
    assert np.asarray(got[1]).dtype == np.int64
    left = got[0].to_pylist() if hasattr(got[0], "to_pylist") else np.asarray(got[0]).tolist()
    right = want[0].to_pylist() if hasattr(want[0], "to_pylist") else np.asarray(want[0]).tolist()
    assert left == right


@settings(max_examples=300, deadline=None)
@given(ids, st.sampled_from([0, 1, 3]), st.booleans())
def test_arrow_ids_found_as_by_the_expression_on_every_cell(
    values: list[str], cut: int, large: bool
) -> None:
    kind = pa.large_string() if large else pa.string()
    # With nulls, and sliced: a chunk of a column starts inside its buffers.
    chunk = pa.array([None, *values, None], type=kind).slice(min(cut, len(values)))
    want = convert._arrow_cells_matching(chunk, CONTROL_RE2, show)
    same(convert._control_cells_arrow(chunk), want)
    words = chunk.dictionary_encode()
    same(convert._control_cells_arrow(words), want)


@settings(max_examples=300, deadline=None)
@given(ids, st.integers(0, 20))
def test_numpy_ids_found_as_by_looking_at_every_character(values: list[str], pad: int) -> None:
    # A wider array than its cells (numpy pads with NUL), as a long cell makes it.
    arr = np.array(values, dtype=f"<U{max(max(map(len, values)), 1) + pad}")
    want = convert._control_text(arr, arr)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(convert, "_SUSPECT_SCAN_WIDTH", 0)
        mp.setattr(convert, "_SUSPECT_SCAN_CHARS", 0)
        got = convert._control_cells(arr)
    same(got, want)


def test_a_nul_inside_a_cell_is_found_though_arrow_ends_the_cell_there() -> None:
    arr = np.array(["HỘ-001", "P6\x00", "P\x007", "\x00", "HỘ-002"], dtype="<U40")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(convert, "_SUSPECT_SCAN_WIDTH", 0)
        mp.setattr(convert, "_SUSPECT_SCAN_CHARS", 0)
        out, rows, values = convert._control_cells(arr)
    assert rows.tolist() == [2]  # "P6\x00" and "\x00" end in padding: no character after
    assert values == ["P␀7"]
    assert out.tolist() == ["HỘ-001", "P6", "", "", "HỘ-002"]


def test_clean_wide_ids_never_reach_the_look_at_every_character(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A million Vietnamese ids in a wide array: their bytes alone clear them."""
    n = 1 << 18
    arr = np.array([f"HỘ-{i:06d}" for i in range(n)] + ["Hộ " + "x" * 60], dtype=str)
    looked: list[int] = []
    exact = convert._control_text

    def counted(text: Any, chunk: Any) -> Any:
        looked.append(len(text))
        return exact(text, chunk)

    monkeypatch.setattr(convert, "_control_text", counted)
    out, rows, values = convert._control_cells(arr)
    assert (rows.tolist(), values, looked) == ([], [], [])
    assert out is arr
    arr[[5, n - 1]] = ["HỘ-\u200b5", "HỘ\x07"]
    out, rows, values = convert._control_cells(arr)
    assert rows.tolist() == [5, n - 1]
    assert values == ["HỘ-<U+200B>5", "HỘ␇"]
    assert looked == [2]  # the two suspect rows only
    assert out[5] == out[n - 1] == ""
    assert out[4] == "HỘ-000004"


@settings(max_examples=300, deadline=None)
@given(ids)
def test_numpy_text_rows_are_those_the_expression_finds(values: list[str]) -> None:
    """The code-point look at numpy text finds what the expression finds in each trimmed id."""
    arr = np.array(values, dtype=str)
    # numpy drops a cell's trailing NULs: the reference looks at the cells as numpy holds them.
    want = [i for i, v in enumerate(arr.tolist()) if CONTROL.search(v.strip())]
    assert control_rows(arr).tolist() == want
    assert control_rows(arr.astype(object)).tolist() == want
