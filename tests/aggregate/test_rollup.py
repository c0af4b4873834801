"""Rollups against a slow per-unit reference, chunked partials, and per-unit count tables."""

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import learnsoc as ls
from learnsoc.aggregate import AggregateError, RateStatus
from learnsoc.errors import DataError, SchemaError, UnknownIdError
from tests.optional import needs


def slow_rollup(pop: ls.Population, mask: np.ndarray) -> dict[str, int]:
    """Count persons where mask, per unit code at every level, by walking up from each person."""
    h = pop.hierarchy
    out: dict[str, int] = {str(c): 0 for c in h.codes}
    leaf = h.codes_at(h.leaf_level)
    for i in range(pop.n_persons):
        if not mask[i]:
            continue
        code: str | None = str(leaf[pop.household_unit[pop.person_household[i]]])
        while code is not None:
            out[code] += 1
            code = h.unit(code).parent_code
    return out


@settings(max_examples=15, deadline=None)
@given(st.integers(50, 3_000), st.integers(0, 50), st.sampled_from(["vn-2025", "vn-pre-2025"]))
def test_rollup_matches_a_slow_walk_up_the_tree(n: int, seed: int, tree: str) -> None:
    pop = ls.synthetic_population(persons=n, seed=seed, hierarchy=tree)
    age = pop.column("person", "age")
    roll = ls.rollup(pop, {"persons": "person", "adults": ("person", age >= 15)})
    expected = slow_rollup(pop, age >= 15)
    codes = roll.codes()
    for i, code in enumerate(codes[:-1]):
        assert roll.counts["adults"][i] == expected[str(code)]
    assert roll.level("total").counts["persons"].tolist() == [n]
    assert roll.counts["adults"].dtype == np.int64


def test_every_level_and_rates() -> None:
    pop = ls.synthetic_population(persons=20_000, seed=4, hierarchy="vn-pre-2025")
    age = pop.column("person", "age")
    lit = pop.column("person", "literate")
    w = (age >= 15) & (age <= 60)
    roll = ls.rollup(
        pop,
        {
            "in_range": ("person", w),
            "literate": ("person", w & (lit == 1)),
            "unknown": ("person", w & (lit == 255)),
            "hours": ls.Sum("person", pop.column("person", "learning_hours")),
        },
        rates={"literacy": ("literate", "in_range", "unknown")},
    )
    levels = roll.levels()
    assert list(dict.fromkeys(levels.tolist())) == [
        "province",
        "district",
        "commune",
        "village",
        "total",
    ]
    # Each level sums to the total: rates come from counts, never from averaged rates.
    total = roll.level("total")
    for lv in ("province", "district", "commune", "village"):
        part = roll.level(lv)
        for name in roll.counts:
            assert part.counts[name].sum() == total.counts[name][0], (lv, name)
    r = total.rate("literacy")
    assert r.numerator[0] == (w & (lit == 1)).sum()
    assert r.missing[0] == (w & (lit == 255)).sum()
    # in_range counts everybody aged 15-60; the rate is of those whose literacy is known.
    assert r.denominator[0] == (w & (lit != 255)).sum()
    assert total.counts["hours"][0] == pop.column("person", "learning_hours").astype(np.int64).sum()
    unit = roll.unit(str(pop.hierarchy.codes_at("commune")[0]))
    assert unit["level"] == "commune"
    assert 0.9 < unit["literacy"] <= 1.0
    cols = roll.to_columns()
    assert cols["literacy_status"][-1] == "ok"
    assert "Rollup(" in repr(roll)
    assert "<table>" in roll._repr_html_()


def test_clans_without_a_unit_count_in_the_total_only() -> None:
    h = ls.synthetic_hierarchy(villages=2, seed=1)
    v1 = str(h.codes_at("village")[0])
    pop = ls.Population.from_columns(
        {"person_id": [1], "household_id": [1], "age": [40]},
        {"household_id": [1], "unit_code": [v1], "clan_id": ["A"]},
        h,
        clans={"clan_id": ["A", "B"]},
    )
    roll = ls.rollup(pop, {"clans": "clan"})
    assert roll.level("total").counts["clans"].tolist() == [2]
    assert roll.level("province").counts["clans"].tolist() == [1]


def test_unit_level_measures_and_empty_rates() -> None:
    pop = ls.synthetic_population(persons=4_000, seed=2)
    n_v = pop.hierarchy.n_units("village")
    flag = np.zeros(n_v, bool)
    flag[0] = True
    roll = ls.rollup(
        pop,
        {
            "villages": "village",
            "flagged": ("village", flag),
            "none": ("person", np.zeros(4_000, bool)),
        },
        rates={"share": ("flagged", "villages"), "empty": ("none", "none")},
    )
    assert roll.level("total").rate("share").numerator.tolist() == [1]
    assert roll.level("total").counts["villages"].tolist() == [n_v]
    assert roll.level("total").rate("empty").statuses() == [RateStatus.EMPTY]


def test_measure_errors() -> None:
    pop = ls.synthetic_population(persons=500, seed=1)
    with pytest.raises(AggregateError, match="unknown entity 'persn'; did you mean 'person'"):
        ls.rollup(pop, {"x": "persn"})
    with pytest.raises(AggregateError, match="must be 500 booleans"):
        ls.rollup(pop, {"x": ("person", np.ones(3, bool))})
    with pytest.raises(AggregateError, match="no measure 'y'"):
        ls.rollup(pop, {"x": "person"}, rates={"r": ("x", "y")})
    roll = ls.rollup(pop, {"x": "person"})
    with pytest.raises(AggregateError, match="no rate"):
        roll.rate("r")
    with pytest.raises(UnknownIdError):
        roll.unit("nope")


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 5))
def test_chunks_of_whole_households_merge_to_the_whole(seed: int, n_chunks: int) -> None:
    pop = ls.synthetic_population(persons=3_000, seed=seed % 7)
    measures: dict[str, Any] = {
        "persons": "person",
        "adults": ls.Count("person", lambda p: p.column("person", "age") >= 15),
        "hours": ls.Sum("person", lambda p: p.column("person", "learning_hours")),
        "households": "household",
        "registered": ls.Count("household", lambda p: p.column("household", "registered") == 1),
    }
    whole = ls.rollup_partial(pop, measures)
    rng = np.random.default_rng(seed)
    chunk_of_household = rng.integers(0, n_chunks, pop.n_households)
    persons, households = pop.columns("person"), pop.columns("household")
    p_chunk = chunk_of_household[pop.person_household]
    merged = None
    for c in rng.permutation(n_chunks):
        hk, pk = chunk_of_household == c, p_chunk == c
        part_pop = ls.Population.from_columns(
            {k: v[pk][::-1] for k, v in persons.items()},  # and in another row order
            {k: v[hk] for k, v in households.items()},
            pop.hierarchy,
        )
        part = ls.rollup_partial(part_pop, measures)
        merged = part if merged is None else merged.merge(part)
    assert merged is not None
    for name in measures:
        assert merged.sums[name].tolist() == whole.sums[name].tolist()


# -- per-unit counts --------------------------------------------------------------------

H = ls.Hierarchy.from_units(
    {
        "code": ["20", "001", "002", "00001", "00004", "00007"],
        "name": ["Hà Giang", "Huyện A", "Huyện B", "Xã 1", "Xã 4", "Xã 7"],
        "level": ["province", "district", "district", "commune", "commune", "commune"],
        "parent_code": [None, "20", "20", "001", "001", "002"],
    },
    levels=["province", "district", "commune"],
)
RATES = {"learning_families": ("learning_families", "families")}


def test_ha_giang_reported_figures() -> None:
    """Ha Giang 2024: 138,068 of 187,624 families (73.58% as printed, 73.5876% exactly)."""
    roll = ls.rollup_counts(
        {"unit_code": ["00001", "00004", "00007"], "families": [100_000, 50_000, 37_624],
         "learning_families": [70_000, 40_000, 28_068]},
        H, level="commune", rates=RATES,
    )  # fmt: skip
    province = roll.level("province").rate("learning_families")
    assert (province.numerator[0], province.denominator[0]) == (138_068, 187_624)
    value = float(province.value()[0])
    assert ls.i18n.format_percent(value, locale="vi", rounding="truncate") == "73,58%"
    assert ls.i18n.format_percent(value, locale="en") == "73.59%"
    assert roll.level("district").counts["families"].tolist() == [150_000, 37_624]
    assert roll.level("district").counts["units_reporting"].tolist() == [2, 1]
    assert roll.rejects is not None and len(roll.rejects) == 0


def test_every_bad_count_row_is_rejected_with_its_reason() -> None:
    roll = ls.rollup_counts(
        {
            "unit_code": ["00001", "00004", "00004", "nope", "001", "00007", None, "00001x"],
            "families": [10, 5, 6, 1, 1, "x", 3, -1],
            "learning_families": [11, 1, 1, 1, 1, 1, 1, 0],
        },
        H,
        level="commune",
        rates=RATES,
    )
    assert roll.rejects is not None
    got = sorted((r.row, r.column, r.reason) for r in roll.rejects.records())
    assert got == [
        (0, "learning_families", "numerator_exceeds_denominator"),
        (1, "unit_code", "duplicate_id"),
        (2, "unit_code", "duplicate_id"),
        (3, "unit_code", "unknown_unit"),
        (4, "unit_code", "wrong_level"),
        (5, "families", "not_a_number"),
        (6, "unit_code", "missing_value"),
        (7, "families", "out_of_range"),
        (7, "unit_code", "unknown_unit"),
    ]
    assert roll.rejects.counts() == {"counts": (8, 0, 8)}
    assert roll.level("total").counts["families"].tolist() == [0]
    assert roll.level("total").rate("learning_families").statuses() == [RateStatus.EMPTY]
    with pytest.raises(DataError, match="problem"):
        ls.rollup_counts({"unit_code": ["nope"], "families": [1]}, H, strict=True)


@pytest.mark.parametrize("as_text", [True, False])
def test_counts_too_large_to_sum_are_rejected_not_wrapped_around(as_text: bool) -> None:
    """Two communes of 9 x 10^18 families summed to a province of minus 4.5 x 10^17."""
    huge = 9_000_000_000_000_000_000
    given = [huge, huge, 10**12]  # the largest count read (learnsoc.limits.MAX_COUNT)
    roll = ls.rollup_counts(
        {
            "unit_code": ["00001", "00004", "00007"],
            "families": [str(v) for v in given] if as_text else np.array(given, np.int64),
        },
        H,
        level="commune",
    )
    assert roll.rejects is not None
    got = [(r.row, r.column, r.reason) for r in roll.rejects.records()]
    assert got == [(0, "families", "out_of_range"), (1, "families", "out_of_range")]
    assert roll.rejects.counts() == {"counts": (3, 1, 2)}
    # The sums are those of the accepted row, in Python's unbounded integers.
    assert roll.level("total").counts["families"].tolist() == [10**12]
    assert roll.level("district").counts["families"].tolist() == [0, 10**12]


def test_count_codes_that_lost_their_leading_zeros_name_their_unit() -> None:
    """A counts sheet storing commune codes as numbers (37 for 00007) is read as households are.

    The row was an ``unknown_unit`` reject, so the commune showed "0/1 reporting" with its
    counts left out; households, clans and organisations already had their zeros restored.
    A code that two levels' units could be (``1``: district ``001`` or commune ``00001``)
    still stays unknown.
    """
    from learnsoc.model.population import LeadingZerosWarning

    cols = {"unit_code": ["00001", "4", 7, "1"], "families": [10, 5, 6, 9]}
    with pytest.warns(LeadingZerosWarning, match=r"2 rows had lost.*'4' as '00004'"):
        roll = ls.rollup_counts(cols, H)
    assert roll.level("commune").counts["families"].tolist() == [10, 5, 6]
    assert roll.rejects is not None
    assert [(r.row, r.reason, r.value) for r in roll.rejects.records()] == [
        (3, "unknown_unit", "1")
    ]
    # At a given level, "1" is commune 00001 only: a second row for that commune.
    with pytest.warns(LeadingZerosWarning, match="3 rows"):
        fixed = ls.rollup_counts(cols, H, level="commune")
    assert fixed.rejects is not None
    assert [(r.row, r.reason) for r in fixed.rejects.records()] == [
        (0, "duplicate_id"),
        (3, "duplicate_id"),
    ]


def test_count_table_shape_errors() -> None:
    with pytest.raises(SchemaError, match="unit_code"):
        ls.rollup_counts({"code": ["00001"], "families": [1]}, H)
    with pytest.raises(SchemaError, match="no count columns"):
        ls.rollup_counts({"unit_code": ["00001"]}, H)
    with pytest.raises(SchemaError, match="must be a mapping"):
        ls.rollup_counts([1, 2], H)


@needs("pandas", "polars")
def test_count_tables_from_pandas_and_polars() -> None:
    import pandas as pd
    import polars as pl

    data = {"unit_code": ["00001", "00007"], "families": [3, 4], "learning_families": [1, 2]}
    expected = ls.rollup_counts(data, H, rates=RATES)
    for frame in (pd.DataFrame(data), pl.DataFrame(data)):
        got = ls.rollup_counts(frame, H, rates=RATES)
        assert got.counts["families"].tolist() == expected.counts["families"].tolist()
