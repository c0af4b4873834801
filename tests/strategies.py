"""Hypothesis strategies shared by the tests (later the seed of learnsoc.testing)."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

import learnsoc as ls

FLAGS = ("literate", "in_school", "digital_skills")


@st.composite
def population_columns(draw: st.DrawFn, max_households: int = 12) -> dict[str, Any]:
    """Valid columns for a small population: hierarchy, households, persons, clans, orgs."""
    villages = draw(st.integers(1, 4))
    h = ls.synthetic_hierarchy(villages=villages, seed=draw(st.integers(0, 5)))
    leaf = h.codes_at("village")
    n_h = draw(st.integers(0, max_households))
    hh_ids = draw(st.lists(st.integers(1, 10_000), min_size=n_h, max_size=n_h, unique=True))
    sizes = draw(st.lists(st.integers(0, 5), min_size=n_h, max_size=n_h))
    n_p = sum(sizes)
    p_ids = draw(st.lists(st.integers(1, 100_000), min_size=n_p, max_size=n_p, unique=True))
    households: dict[str, Any] = {
        "household_id": np.array(hh_ids, np.int64),
        "unit_code": np.array(
            [leaf[draw(st.integers(0, villages - 1))] for _ in range(n_h)], dtype=str
        ).reshape(-1),
        "clan_id": np.array(
            [draw(st.sampled_from([None, "K1", "K2"])) for _ in range(n_h)], dtype=object
        ),
    }
    persons: dict[str, Any] = {
        "person_id": np.array(p_ids, np.int64),
        "household_id": np.repeat(np.array(hh_ids, np.int64), sizes),
        "age": np.array([draw(st.integers(0, 120)) for _ in range(n_p)], np.int64),
    }
    for flag in FLAGS:
        persons[flag] = np.array(
            [draw(st.sampled_from([0, 1, None])) for _ in range(n_p)], dtype=object
        )
    n_o = draw(st.integers(0, 3))
    organisations = {
        "organisation_id": np.array([f"O{i}" for i in range(n_o)], dtype=str).reshape(-1),
        "organisation_type": np.array(
            [draw(st.sampled_from([1, 2, 5])) for _ in range(n_o)], np.int64
        ),
        "unit_code": np.array(
            [draw(st.sampled_from(list(h.codes))) for _ in range(n_o)], dtype=str
        ).reshape(-1),
    }
    pairs = sorted(
        draw(
            st.sets(
                st.tuples(st.integers(0, max(n_o - 1, 0)), st.integers(0, max(n_p - 1, 0))),
                max_size=8 if n_o and n_p else 0,
            )
        )
    )
    memberships = {
        "organisation_id": np.array([f"O{o}" for o, _ in pairs], dtype=str).reshape(-1),
        "person_id": np.array([p_ids[p] for _, p in pairs], np.int64),
    }
    return {
        "hierarchy": h,
        "persons": persons,
        "households": households,
        "organisations": organisations,
        "memberships": memberships,
    }


def permute(table: dict[str, Any], order: list[int]) -> dict[str, Any]:
    return {k: np.asarray(v)[order] for k, v in table.items()}
