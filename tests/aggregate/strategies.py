"""Hypothesis strategies for the aggregation tests: layouts of groups, values, masks."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray

from learnsoc.aggregate import Groups

DTYPES = ("bool", "uint8", "uint16", "int32", "int64", "float64")

FLAVOURS = ("offsets", "offsets_with_codes", "sorted_codes", "codes")
"""How a layout is turned into Groups:

* offsets: ``Groups.from_offsets`` (segment paths; codes not built);
* offsets_with_codes: the same, with ``.codes`` touched first (scatter paths);
* sorted_codes: ``Groups.from_codes`` on sorted codes (codes and detected offsets);
* codes: ``Groups.from_codes(detect_sorted=False)`` on codes in any order.
"""


@attrs.frozen
class Layout:
    """Members in groups, as plain data plus the Groups under test."""

    n_groups: int
    codes: list[int]  # group of each member, in member order
    groups: Groups
    flavour: str


def build_groups(codes: list[int], n_groups: int, flavour: str) -> Groups:
    if flavour in ("offsets", "offsets_with_codes"):
        sizes = np.bincount(np.asarray(codes, dtype=np.intp), minlength=n_groups)
        offsets = np.concatenate([[0], np.cumsum(sizes)])
        groups = Groups.from_offsets(offsets)
        if flavour == "offsets_with_codes":
            assert groups.codes.tolist() == codes
        return groups
    return Groups.from_codes(
        np.asarray(codes, dtype=np.intp), n_groups, detect_sorted=flavour == "sorted_codes"
    )


@st.composite
def layouts(
    draw: st.DrawFn,
    *,
    max_groups: int = 8,
    empty_groups: bool | None = None,
    large: bool = False,
) -> Layout:
    """Random groups; ``empty_groups`` True forces some (leading, middle or trailing),
    False forbids them, None lets Hypothesis choose. ``large`` sometimes draws groups of
    250-300 members, beyond what 8-bit counter fields hold."""
    n_groups = draw(st.integers(1 if empty_groups is False else 0, max_groups))
    small = st.integers(1 if empty_groups is False else 0, 6)
    size = st.one_of(small, st.integers(250, 300)) if large else small
    sizes = draw(st.lists(size, min_size=n_groups, max_size=n_groups))
    if empty_groups and n_groups:
        at = draw(st.sampled_from(["first", "last", "middle", "several"]))
        if at == "first":
            sizes[0] = 0
        elif at == "last":
            sizes[-1] = 0
        elif at == "middle":
            sizes[n_groups // 2] = 0
        else:
            sizes = [0 if i % 2 else s for i, s in enumerate(sizes)]
    if empty_groups and n_groups == 0:
        n_groups, sizes = 3, [0, 0, 0]
    codes = [g for g, s in enumerate(sizes) for _ in range(s)]
    flavour = draw(st.sampled_from(FLAVOURS))
    if flavour == "codes":
        codes = draw(st.permutations(codes))
    return Layout(n_groups, list(codes), build_groups(list(codes), n_groups, flavour), flavour)


def _floats() -> st.SearchStrategy[float]:
    # Dyadic values: every sum is exact in any order, so float sums compare exactly.
    dyadic = st.integers(-(2**20), 2**20).map(lambda i: i / 16)
    special = st.sampled_from([np.inf, -np.inf, -0.0, np.nan])
    return st.one_of(dyadic, dyadic, dyadic, special)


def elements(dtype: str) -> st.SearchStrategy[Any]:
    if dtype == "float64":
        return _floats()
    if dtype == "bool":
        return st.booleans()
    info = np.iinfo(np.dtype(dtype))
    return st.integers(int(info.min), int(info.max))


def member_arrays(n: int, dtype: str) -> st.SearchStrategy[NDArray[Any]]:
    """One value per member of ``dtype``."""
    return hnp.arrays(np.dtype(dtype), n, elements=elements(dtype))


def masks(n: int) -> st.SearchStrategy[NDArray[np.bool_]]:
    return hnp.arrays(np.bool_, n, elements=st.booleans())


def optional_masks(n: int, given: bool | None) -> st.SearchStrategy[NDArray[np.bool_] | None]:
    """A mask when ``given``, None when not, either when ``given`` is None."""
    if given is None:
        return st.one_of(st.none(), masks(n))
    return masks(n) if given else st.none()
