from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import learnsoc as ls
from learnsoc.errors import CrosswalkError
from tests.trees import two_level

LEVELS = ["province", "commune"]


def tree(codes: list[str]) -> ls.Hierarchy:
    return two_level({"P": codes})


OLD = tree(["A", "B", "C"])
NEW = tree(["X", "Y"])


def test_merges_move_counts_exactly() -> None:
    cw = ls.Crosswalk.from_pairs(
        OLD, NEW, {"source_code": ["A", "B", "C"], "target_code": ["X", "X", "Y"]}, level="commune"
    )
    assert cw.is_exact
    counts = np.array([[10, 3], [20, 4], [7, 1]])
    assert cw.apply(counts).tolist() == [[30, 7], [7, 1]]
    assert cw.apply(np.array([0.5, 1.5, 2.0])).tolist() == [2.0, 2.0]


def test_splits_keep_each_source_total_and_use_largest_remainder() -> None:
    cw = ls.Crosswalk.from_pairs(
        OLD,
        NEW,
        {"source_code": ["A", "B", "C", "C"], "target_code": ["X", "X", "X", "Y"],
         "weight": [1, 1, 0.25, 0.75]},
        level="commune",
    )  # fmt: skip
    # C = 7 -> quotas 1.75 and 5.25 -> floors 1 and 5, one left over goes to the larger
    # remainder (0.75, to X).
    assert cw.apply(np.array([10, 20, 7])).tolist() == [32, 5]
    assert cw.apply(np.array([10.0, 20.0, 8.0])).tolist() == [32.0, 6.0]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_apportioning_never_loses_or_invents_counts(data: Any) -> None:
    n_old = data.draw(st.integers(1, 8))
    n_new = data.draw(st.integers(1, 5))
    old = tree([f"O{i}" for i in range(n_old)])
    new = tree([f"N{i}" for i in range(n_new)])
    sources, targets, weights = [], [], []
    for i in range(n_old):
        k = data.draw(st.integers(1, n_new))
        chosen = data.draw(st.permutations(range(n_new)))[:k]
        raw = data.draw(st.lists(st.integers(1, 9), min_size=k, max_size=k))
        w = np.array(raw, float) / sum(raw)
        w[-1] = 1 - w[:-1].sum()
        sources += [f"O{i}"] * k
        targets += [f"N{j}" for j in chosen]
        weights += w.tolist()
    cw = ls.Crosswalk.from_pairs(
        old,
        new,
        {"source_code": sources, "target_code": targets, "weight": weights},
        level="commune",
    )
    values = np.array(data.draw(st.lists(st.integers(0, 10_000), min_size=n_old, max_size=n_old)))
    out = cw.apply(values)
    assert out.dtype == np.int64
    assert out.sum() == values.sum()
    assert (out >= 0).all()
    # Each target gets its share to within one unit per source it draws from.
    share = np.bincount(
        cw.target_index, weights=values[cw.source_index] * cw.weight, minlength=n_new
    )
    slack = np.bincount(cw.target_index, minlength=n_new)
    assert (np.abs(out - share) <= slack + 1e-9).all()


@pytest.mark.parametrize(
    ("pairs", "match"),
    [
        ({"source_code": ["A", "B"], "target_code": ["X", "X"]}, "maps nowhere .*'C'"),
        ({"source_code": ["A", "B", "C", "Q"], "target_code": ["X"] * 4},
         "source code 'Q' does not exist"),
        ({"source_code": ["A", "B", "C"], "target_code": ["X", "X", "P"]},
         "target code 'P' is a province"),
        ({"source_code": ["A", "B", "C"], "target_code": ["X", "X", "Y"], "weight": [1, 1, 1.5]},
         r"weights must be in \(0, 1\]"),
        ({"source_code": ["A", "B", "C", "C"], "target_code": ["X", "X", "X", "Y"],
          "weight": [1, 1, 0.5, 0.4]}, "weights of source unit 'C' add up to 0.9"),
        ({"source_code": ["A", "A", "B", "C"], "target_code": ["X", "X", "X", "Y"],
          "weight": [0.5, 0.5, 1, 1]}, "pair 'A' -> 'X' appears more than once"),
    ],
)  # fmt: skip
def test_inconsistent_crosswalks_are_rejected(pairs: dict[str, Any], match: str) -> None:
    with pytest.raises(CrosswalkError, match=match):
        ls.Crosswalk.from_pairs(OLD, NEW, pairs, level="commune")


def test_values_of_the_wrong_shape() -> None:
    cw = ls.Crosswalk.from_pairs(
        OLD, NEW, {"source_code": ["A", "B", "C"], "target_code": ["X", "X", "Y"]}, level="commune"
    )
    with pytest.raises(CrosswalkError, match="one row per commune"):
        cw.apply(np.arange(4))


def test_old_tree_to_new_tree_at_commune_level() -> None:
    """Counts of a pre-2025 tree re-expressed in a 2025 tree and rolled up there."""
    old = ls.synthetic_hierarchy(villages=200, seed=1, levels="vn-pre-2025")
    new = ls.synthetic_hierarchy(villages=200, seed=1, levels="vn-2025")
    old_c, new_c = old.codes_at("commune"), new.codes_at("commune")
    # Merge old communes two by two into new ones.
    targets = new_c[np.arange(len(old_c)) * len(new_c) // len(old_c)]
    cw = ls.Crosswalk.from_pairs(
        old, new, {"source_code": old_c, "target_code": targets}, level="commune"
    )
    counts = np.arange(len(old_c)) + 1
    out = cw.apply(counts)
    assert out.sum() == counts.sum()
    province = np.bincount(new.ancestor_index("commune", "province"), weights=out).astype(int)
    assert province.sum() == counts.sum()
