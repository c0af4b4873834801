"""A deterministic synthetic population for the benchmark, cached as ``.npz`` per size.

Realistic enough to make the rules bite: households of about 3.5 persons (the first one
usually an adult), about 1,000 persons per village, 30 villages per commune, 15 communes per
district and 10 districts per province; an age pyramid; about 95% literacy among adults; and a
"development" score per village that moves every probability, so some villages pass the 70%
learning-family bar and most do not. A few villages have no households, and the last village,
commune and district are always empty, so every tool must keep empty units (the classic
``bincount`` without ``minlength`` bug).

Shuffled and sorted populations of the same size and seed hold the same persons in a different
row order, so their results are identical.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from benchmarks.peers.workload import validate_population

__all__ = [
    "GENERATOR_VERSION",
    "load_or_make",
    "load_population",
    "make_population",
    "population_path",
    "save_arrays",
]

_HOUSEHOLD_MEAN_EXTRA = 2.5  # household size = 1 + Poisson(2.5): mean 3.5
_PERSONS_PER_VILLAGE = 1000
_VILLAGES_PER_COMMUNE = 30
_COMMUNES_PER_DISTRICT = 15
_DISTRICTS_PER_PROVINCE = 10
_EMPTY_VILLAGE_SHARE = 0.002

GENERATOR_VERSION = "v1"
"""Part of the cache file name: change it whenever the generator's output changes."""

_Ids = npt.NDArray[np.int64]
_Floats = npt.NDArray[np.float64]


def _split(total: int, mean: float, rng: np.random.Generator, trailing_empty: bool) -> _Ids:
    """Return unit sizes (children per unit) summing to `total`, each about `mean`."""
    low = max(1, round(mean / 2))
    high = max(low + 1, round(mean * 3 / 2))
    sizes = rng.integers(low, high, size=total // low + 1)
    ends = np.cumsum(sizes)
    n_units = int(np.searchsorted(ends, total)) + 1
    sizes = sizes[:n_units]
    sizes[-1] -= int(ends[n_units - 1]) - total
    if trailing_empty:
        sizes = np.append(sizes, 0)
    return sizes.astype(np.int64)


def _parents(sizes: _Ids) -> _Ids:
    return np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)


def _pyramid() -> _Floats:
    # More children, flat to 40, then thinning out to 100: a young, ageing population.
    ages = np.arange(100, dtype=np.float64)
    thinning: _Floats = np.clip((100.0 - ages) / 60.0, 0.0, 1.0) ** 1.3
    weights = np.where(ages < 40, 1.0, thinning)
    weights[:15] = 1.4
    normalised: _Floats = weights / weights.sum()
    return normalised


def _household_sizes(n_persons: int, rng: np.random.Generator) -> _Ids:
    sizes = 1 + rng.poisson(_HOUSEHOLD_MEAN_EXTRA, size=int(n_persons / 3.5 * 1.1) + 16)
    sizes = np.minimum(sizes, 12).astype(np.int64)
    ends = np.cumsum(sizes)
    n_households = int(np.searchsorted(ends, n_persons)) + 1
    sizes = sizes[:n_households]
    sizes[-1] -= int(ends[n_households - 1]) - n_persons
    return sizes


def _village_sizes(n_households: int, rng: np.random.Generator) -> _Ids:
    sizes = _split(n_households, _PERSONS_PER_VILLAGE / 3.5, rng, trailing_empty=False)
    # Rare empty villages in the middle (new or merged villages with no register yet).
    empty_at = rng.random(len(sizes)) < _EMPTY_VILLAGE_SHARE
    empty_at[-1] = False
    moved = int(sizes[empty_at].sum())
    sizes[empty_at] = 0
    sizes[-1] += moved
    sizes = np.append(sizes, 0)
    return sizes


def make_population(
    n_persons: int, seed: int = 0, shuffled: bool = False
) -> dict[str, npt.NDArray[Any]]:
    """Return a synthetic population of `n_persons` as a struct of numpy arrays.

    Parameters
    ----------
    n_persons : int
        Number of persons (at least 1).
    seed : int
        Seed of the random generator; the same seed gives the same population.
    shuffled : bool
        When False, persons are sorted by household; when True the same persons come in a
        random row order.

    Returns
    -------
    dict of str to ndarray
        The columns of :data:`benchmarks.peers.workload.PERSON_COLUMNS` plus the parent index
        arrays of :data:`benchmarks.peers.workload.UNIT_PARENTS`.

    Examples
    --------
    >>> pop = make_population(5_000, seed=1)
    >>> len(pop["age"]), pop["age"].dtype.name, bool(np.all(np.diff(pop["household"]) >= 0))
    (5000, 'uint8', True)
    >>> mixed = make_population(5_000, seed=1, shuffled=True)
    >>> bool(np.all(np.sort(mixed["household"]) == pop["household"]))
    True
    """
    if n_persons < 1:
        msg = f"n_persons must be at least 1, got {n_persons}"
        raise ValueError(msg)
    rng = np.random.default_rng(seed)
    household_sizes = _household_sizes(n_persons, rng)
    village_sizes = _village_sizes(len(household_sizes), rng)
    commune_sizes = _split(len(village_sizes), _VILLAGES_PER_COMMUNE, rng, trailing_empty=True)
    district_sizes = _split(len(commune_sizes), _COMMUNES_PER_DISTRICT, rng, trailing_empty=True)
    province_sizes = _split(len(district_sizes), _DISTRICTS_PER_PROVINCE, rng, False)

    household = _parents(household_sizes)
    village = _parents(village_sizes)
    data: dict[str, npt.NDArray[Any]] = {
        "household": household,
        "village": village,
        "commune": _parents(commune_sizes),
        "district": _parents(district_sizes),
        "province": _parents(province_sizes),
        "nation": np.zeros(len(province_sizes), dtype=np.int64),
    }
    development = rng.beta(3.0, 2.0, size=len(village_sizes))
    data.update(_persons(household, household_sizes, development[village[household]], rng))
    if shuffled:
        order = rng.permutation(n_persons)
        for name in ("household", *_PERSON_ATTRIBUTES):
            data[name] = data[name][order]
    validate_population(data)
    return data


_PERSON_ATTRIBUTES = (
    "age",
    "literate",
    "learning_hours",
    "qualification",
    "digital_skills",
    "in_school",
)


def _persons(
    household: _Ids, household_sizes: _Ids, development: _Floats, rng: np.random.Generator
) -> dict[str, npt.NDArray[Any]]:
    n = len(household)
    age = rng.choice(100, size=n, p=_pyramid()).astype(np.uint8)
    heads = np.cumsum(household_sizes) - household_sizes
    heads = heads[household_sizes > 0]
    adult_head = rng.random(len(heads)) < 0.98
    age[heads[adult_head]] = rng.integers(20, 81, size=int(adult_head.sum()), dtype=np.uint8)

    adult = age >= 15
    old = age > 60
    p_literate = np.where(age >= 8, 0.92 + 0.075 * development, np.where(age >= 6, 0.5, 0.0))
    p_literate -= np.where(old, 0.08, 0.0)
    literate = rng.random(n) < p_literate

    hours = rng.gamma(2.0, (5.0 + 80.0 * development**2) / 2.0)
    learning_hours = np.minimum(hours, 2000.0).astype(np.uint16)

    college = (age >= 22) & (rng.random(n) < 0.03 + 0.5 * development**2)
    qualification = np.where(
        college, 3 + rng.integers(0, 3, size=n), np.where(adult, rng.integers(0, 3, size=n), 0)
    ).astype(np.uint8)

    p_digital = np.where(adult, 0.2 + 0.78 * development, np.where(age >= 10, 0.2, 0.0))
    p_digital *= np.where(old, 0.5, 1.0)
    digital = rng.random(n) < p_digital

    school_age = (age >= 6) & (age <= 17)
    p_school = np.where(school_age, 0.9 + 0.099 * development, 0.0)
    p_school += np.where((age >= 18) & (age <= 24), 0.3 * development, 0.0)
    in_school = rng.random(n) < p_school

    return {
        "age": age,
        "literate": literate.astype(np.uint8),
        "learning_hours": learning_hours,
        "qualification": qualification,
        "digital_skills": digital.astype(np.uint8),
        "in_school": in_school.astype(np.uint8),
    }


def population_path(directory: Path, n_persons: int, seed: int, shuffled: bool) -> Path:
    """Return the cache file name of one population.

    Examples
    --------
    >>> population_path(Path("results"), 1_000_000, 0, True).name
    'population_1000000_seed0_shuffled_v1.npz'
    """
    order = "shuffled" if shuffled else "sorted"
    return directory / f"population_{n_persons}_seed{seed}_{order}_{GENERATOR_VERSION}.npz"


def load_or_make(directory: Path, n_persons: int, seed: int, shuffled: bool) -> Path:
    """Write the population to its cache file unless it is there; return the path."""
    path = population_path(directory, n_persons, seed, shuffled)
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        data = make_population(n_persons, seed, shuffled)
        # Write then rename, so an interrupted run never leaves a truncated cache file.
        partial = path.with_name(path.name + f".{os.getpid()}.tmp.npz")
        save_arrays(partial, data)
        partial.replace(path)
    return path


def save_arrays(path: Path, arrays: Mapping[str, npt.NDArray[Any]]) -> None:
    """Write named arrays to an uncompressed ``.npz`` (fast to load, no pickle)."""
    # numpy's stubs type **kwds as clashing with allow_pickle; the names here never do.
    np.savez(path, **dict(arrays))  # type: ignore[arg-type]


def load_population(path: Path) -> dict[str, npt.NDArray[Any]]:
    """Read a population written by :func:`load_or_make` fully into memory, and check it."""
    with np.load(path, allow_pickle=False) as archive:
        data = {name: archive[name] for name in archive.files}
    validate_population(data)
    return data
