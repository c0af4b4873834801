"""Partial: a commutative monoid; chunked aggregation merges to the one-pass result."""

from __future__ import annotations

from functools import reduce
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from learnsoc.aggregate import AggregateError, Groups, Partial
from tests.aggregate import reference as ref
from tests.strategies import Layout, layouts, member_arrays

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

Columns = dict[str, dict[str, NDArray[Any]]]


def draw_columns(data: st.DataObject, n: int) -> Columns:
    """Measures of every kind: counts (bool), integer and float sums, min/max of several dtypes."""
    return {
        "sums": {
            "learning": data.draw(member_arrays(n, "bool")),
            "hours": data.draw(member_arrays(n, "int32")),
            "score": data.draw(member_arrays(n, "float64")),
        },
        "mins": {
            "age": data.draw(member_arrays(n, "uint8")),
            "literate": data.draw(member_arrays(n, "bool")),
        },
        "maxs": {
            "age": data.draw(member_arrays(n, "int64")),
            "score": data.draw(member_arrays(n, "float64")),
        },
    }


def one_pass(groups: Groups, columns: Columns, rows: Any = slice(None)) -> Partial:
    return Partial.from_members(
        groups,
        sums={k: v[rows] for k, v in columns["sums"].items()},
        mins={k: v[rows] for k, v in columns["mins"].items()},
        maxs={k: v[rows] for k, v in columns["maxs"].items()},
    )


def chunk_partials(
    layout: Layout, columns: Columns, chunk_of: list[int], data: st.DataObject
) -> list[Partial]:
    """One partial per chunk, each from its members in a random order, with global codes."""
    codes = np.asarray(layout.codes, dtype=np.intp)
    partials = []
    for chunk in sorted(set(chunk_of)):
        rows = np.flatnonzero(np.asarray(chunk_of) == chunk)
        rows = rows[data.draw(st.permutations(range(rows.size)))] if rows.size else rows
        groups = Groups.from_codes(codes[rows], layout.n_groups)
        partials.append(one_pass(groups, columns, rows))
    return partials


@PROPERTY
@given(layout=layouts(), data=st.data())
def test_from_members_matches_reference(layout: Layout, data: st.DataObject) -> None:
    """Sums, minimums and maximums per group equal the reference, dtypes included."""
    columns = draw_columns(data, len(layout.codes))
    partial = one_pass(layout.groups, columns)
    for name, values in columns["sums"].items():
        expected = ref.sum_(layout.codes, layout.n_groups, values)
        actual = partial.sums[name]
        assert actual.dtype == ref.result_dtype("sum", values.dtype)
        assert np.array_equal(actual, np.array(expected, actual.dtype), equal_nan=True)
    for kind in ("mins", "maxs"):
        for name, values in columns[kind].items():
            expected = ref.extreme(layout.codes, layout.n_groups, values, kind[:3])
            actual = getattr(partial, kind)[name]
            assert actual.dtype == values.dtype
            assert np.array_equal(actual, np.array(expected, values.dtype), equal_nan=True)


@PROPERTY
@given(layout=layouts(), data=st.data())
def test_whole_groups_per_chunk_merge_to_one_pass(layout: Layout, data: st.DataObject) -> None:
    """Chunks of whole groups (households), merged in any order, give the one-pass result."""
    columns = draw_columns(data, len(layout.codes))
    group_chunk = data.draw(
        st.lists(st.integers(0, 3), min_size=layout.n_groups, max_size=layout.n_groups)
    )
    chunk_of = [group_chunk[g] for g in layout.codes]
    partials = chunk_partials(layout, columns, chunk_of, data)
    partials = data.draw(st.permutations(partials))
    merged = reduce(Partial.merge, partials, one_pass(layout.groups, columns).identity_like())
    assert merged.equals(one_pass(layout.groups, columns))


@PROPERTY
@given(layout=layouts(), data=st.data())
def test_arbitrary_member_chunks_merge_to_one_pass(layout: Layout, data: st.DataObject) -> None:
    """Members split anyhow (a group across chunks) still merge to the one-pass result."""
    n = len(layout.codes)
    columns = draw_columns(data, n)
    chunk_of = data.draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))
    partials = chunk_partials(layout, columns, chunk_of, data)
    whole = one_pass(layout.groups, columns)
    merged = reduce(Partial.merge, data.draw(st.permutations(partials)), whole.identity_like())
    assert merged.equals(whole)


@PROPERTY
@given(layout=layouts(), data=st.data())
def test_monoid_laws(layout: Layout, data: st.DataObject) -> None:
    """Identity on both sides, associativity and commutativity."""
    n = len(layout.codes)
    a, b, c = (one_pass(layout.groups, draw_columns(data, n)) for _ in range(3))
    e = a.identity_like()
    assert a.merge(e).equals(a)
    assert e.merge(a).equals(a)
    assert a.merge(b).merge(c).equals(a.merge(b.merge(c)))
    assert a.merge(b).equals(b.merge(a))


def test_identity_values() -> None:
    """Sums 0; min identity is the dtype's top, max identity its bottom."""
    e = Partial.identity(
        2,
        sum_names=["n", "x"],
        min_names=["age", "flag", "x"],
        max_names=["age", "flag", "x"],
        dtypes={"x": np.float64, "age": np.uint8, "flag": np.bool_},
    )
    assert e.sums["n"].dtype == np.int64
    assert e.sums["n"].tolist() == [0, 0]
    assert e.sums["x"].tolist() == [0.0, 0.0]
    assert e.mins["age"].tolist() == [255, 255]
    assert e.maxs["age"].tolist() == [0, 0]
    assert e.mins["flag"].tolist() == [True, True]
    assert e.maxs["flag"].tolist() == [False, False]
    assert e.mins["x"].tolist() == [np.inf, np.inf]
    assert e.maxs["x"].tolist() == [-np.inf, -np.inf]


def test_where_restricts_every_measure() -> None:
    """from_members(where=...) counts only the selected members."""
    groups = Groups.from_offsets([0, 3, 4])
    age = np.array([40, 10, 70, 5], dtype=np.int16)
    adult = age >= 15
    p = Partial.from_members(groups, sums={"adults": adult}, mins={"age": age}, where=adult)
    assert p.sums["adults"].tolist() == [2, 0]
    assert p.mins["age"].tolist() == [40, np.iinfo(np.int16).max]


def test_coarsen_equals_aggregating_members_directly() -> None:
    """Households rolled into villages equal persons aggregated by village."""
    rng = np.random.default_rng(3)
    sizes = rng.integers(0, 6, 40)
    household_of = np.repeat(np.arange(40), sizes)
    village_of_household = rng.integers(0, 7, 40)
    age = rng.integers(0, 90, household_of.size).astype(np.int16)
    hours = rng.random(household_of.size).round(2) * 4  # not exactly representable: order matters
    hours = np.floor(hours * 16) / 16  # dyadic, so any order sums exactly
    columns = {
        "sums": {"adults": age >= 15, "hours": hours},
        "mins": {"age": age},
        "maxs": {"age": age},
    }
    households = Groups.from_codes(household_of, 40)
    villages = Groups.from_codes(village_of_household, 7)
    persons_by_village = Groups.from_codes(village_of_household[household_of], 7)
    coarse = one_pass(households, columns).coarsen(villages)  # type: ignore[arg-type]
    assert coarse.n_groups == 7
    assert coarse.equals(one_pass(persons_by_village, columns))  # type: ignore[arg-type]


def test_rate_from_summed_counts() -> None:
    """rate() builds a Rate from two (or three) summed counts."""
    p = Partial(
        n_groups=3,
        sums={
            "yes": np.array([1, 0, 0]),
            "all": np.array([2, 0, 0]),
            "unknown": np.array([0, 0, 4]),
        },
    )
    rate = p.rate("yes", "all", missing="unknown")
    assert rate.numerator.tolist() == [1, 0, 0]
    assert [str(s) for s in rate.statuses()] == ["OK", "EMPTY", "MISSING"]
    with pytest.raises(
        AggregateError, match=r"no summed measure 'al'; the sums are \['all', 'unknown', 'yes'\]"
    ):
        p.rate("yes", "al")


def test_partials_are_immutable() -> None:
    """Neither the mappings nor the arrays can be changed after construction."""
    p = Partial(n_groups=1, sums={"n": np.array([1])})
    with pytest.raises(TypeError):
        p.sums["m"] = np.array([2])  # type: ignore[index]
    with pytest.raises(ValueError, match="read-only"):
        p.sums["n"][0] = 5
    assert repr(p) == "Partial(n_groups=1, sums=['n'], mins=[], maxs=[])"


def test_merge_refuses_mismatches() -> None:
    """Different groups, measures or dtypes cannot merge, and the message says which."""
    base = Partial(n_groups=2, sums={"a": np.array([1, 2])}, mins={"m": np.array([1, 2], np.int8)})
    with pytest.raises(AggregateError, match="over 2 and 3 groups"):
        base.merge(
            Partial(n_groups=3, sums={"a": np.zeros(3, np.int64)}, mins={"m": np.zeros(3, np.int8)})
        )
    with pytest.raises(
        AggregateError, match=r"sums differ \('a' only on the left; 'b' only on the right\)"
    ):
        base.merge(
            Partial(n_groups=2, sums={"b": np.zeros(2, np.int64)}, mins={"m": np.zeros(2, np.int8)})
        )
    with pytest.raises(
        AggregateError, match=r"mins\['m'\] is int8 on the left and int16 on the right"
    ):
        base.merge(
            Partial(
                n_groups=2, sums={"a": np.zeros(2, np.int64)}, mins={"m": np.zeros(2, np.int16)}
            )
        )
    with pytest.raises(AggregateError, match="can only merge a Partial with a Partial, got int"):
        base.merge(1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"n_groups": 2, "sums": {"a": np.zeros(3, np.int64)}},
            r"sums\['a'\] must have one value per group \(2\), got shape \(3,\)",
        ),
        (
            {"n_groups": 2, "sums": {"a": np.zeros(2, np.int32)}},
            r"sums\['a'\] must be int64 or float64, got int32",
        ),
        (
            {"n_groups": 1, "maxs": {"a": np.array(["x"])}},
            r"maxs\['a'\] must hold numbers or booleans",
        ),
        ({"n_groups": -1}, r"n_groups must be a non-negative integer, got -1"),
        (
            {"n_groups": 1, "sums": {1: np.zeros(1, np.int64)}},
            r"measure names must be strings, got 1",
        ),
    ],
)
def test_bad_partials_are_refused(kwargs: dict[str, Any], message: str) -> None:
    """Shapes, dtypes and names are checked at construction."""
    with pytest.raises(AggregateError, match=message):
        Partial(**kwargs)


def test_coarsen_checks_the_parent_size() -> None:
    """The parents' members are this partial's groups."""
    p = Partial(n_groups=3, sums={"n": np.zeros(3, np.int64)})
    with pytest.raises(AggregateError, match=r"one member per group of the partial \(3\), got 2"):
        p.coarsen(Groups.from_codes([0, 0], n_groups=1))
