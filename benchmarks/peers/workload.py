"""The reference workload: its input columns, its result type and the equality check.

Every tool module reads a :data:`Population` (a struct of numpy arrays, see
:data:`PERSON_COLUMNS` and :data:`UNIT_PARENTS`) and returns a :class:`Result`. The runner
checks each tool's result against the plain-numpy reference with :func:`compare_results`:
counts must be exactly equal, and rates must equal ``numerator / denominator`` bit for bit
wherever the denominator is positive (float64 division is correctly rounded, so every tool
that divides the same two integers gets the same double).

Steps of the workload
---------------------
(a) person rule ``learning_citizen = age >= 15 & literate & (learning_hours >= 40 |
    qualification >= 3) & digital_skills``;
(b) household rule ``learning_family = no school-age (6-17) member out of school & at least
    one member aged >= 15 & 2 * learning_citizens >= adults``, plus the counts in
    :data:`HOUSEHOLD_COUNTERS`;
(c) village rule ``learning_village = households > 0 & 10 * learning_families >= 7 *
    households`` (integer arithmetic: exactly 7 of 10 passes);
(d) the rollup of :data:`COUNTERS` for every unit of every level in :data:`LEVELS`, with the
    rates in :data:`RATES` computed from the summed counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

__all__ = [
    "COUNTERS",
    "HOUSEHOLD_COUNTERS",
    "LEVELS",
    "PERSON_COLUMNS",
    "RATES",
    "STEPS",
    "UNIT_PARENTS",
    "Population",
    "Result",
    "as_counts",
    "compare_results",
    "full_by_index",
    "input_nbytes",
    "rates_from_counts",
    "unit_counts",
    "validate_population",
]

Population = Mapping[str, npt.NDArray[Any]]
"""Struct of arrays: the person columns plus one parent-index array per unit level."""

PERSON_COLUMNS: Final[Mapping[str, type[np.generic]]] = {
    "household": np.int64,
    "age": np.uint8,
    "literate": np.uint8,
    "learning_hours": np.uint16,
    "qualification": np.uint8,
    "digital_skills": np.uint8,
    "in_school": np.uint8,
}
"""Person columns and their dtypes. ``household`` indexes the households (intp on 64-bit)."""

UNIT_PARENTS: Final[Mapping[str, str]] = {
    "village": "household",
    "commune": "village",
    "district": "commune",
    "province": "district",
    "nation": "province",
}
"""Key ``k`` holds, for each unit of level ``UNIT_PARENTS[k]``, the index of its parent ``k``.

So ``data["village"]`` is one int64 per household, ``data["commune"]`` one per village, and
``data["nation"]`` one (zero) per province: its length is the number of provinces.
"""

LEVELS: Final = ("commune", "district", "province", "nation")
"""Levels of the rollup table (step d)."""

HOUSEHOLD_COUNTERS: Final = (
    "persons",
    "adults",
    "learning_citizens",
    "literate_15_60",
    "persons_15_60",
)
"""Per-household counts of step (b)."""

COUNTERS: Final = (
    "persons",
    "learning_citizens",
    "households",
    "learning_families",
    "villages",
    "learning_villages",
    "literate_15_60",
    "persons_15_60",
)
"""Counts of the rollup table, for every unit of every level."""

RATES: Final[Mapping[str, tuple[str, str]]] = {
    "learning_citizens": ("learning_citizens", "persons"),
    "learning_families": ("learning_families", "households"),
    "learning_villages": ("learning_villages", "villages"),
    "literacy_15_60": ("literate_15_60", "persons_15_60"),
}
"""Rate name -> (numerator, denominator). ``learning_villages`` is the commune score."""

STEPS: Final = ("a", "b", "c", "d")
"""The timed steps; ``load`` (or ``build``) is timed too but not part of the total."""

_Counts = npt.NDArray[np.int64]
_Rates = npt.NDArray[np.float64]
_Bools = npt.NDArray[np.bool_]


def unit_counts(data: Population) -> dict[str, int]:
    """Return the number of units of every level, from the parent-index arrays.

    Examples
    --------
    >>> import numpy as np
    >>> data = {"household": np.array([0, 0, 1]), "village": np.array([0, 0]),
    ...         "commune": np.array([0]), "district": np.array([0]),
    ...         "province": np.array([0]), "nation": np.array([0])}
    >>> unit_counts(data)
    {'person': 3, 'household': 2, 'village': 1, 'commune': 1, 'district': 1, 'province': 1}
    """
    sizes = {"person": len(data["household"])}
    for parent, child in UNIT_PARENTS.items():
        sizes[child] = len(data[parent])
    return sizes


def input_nbytes(data: Population) -> int:
    """Return the bytes held by the input columns (what peak extra memory is compared with).

    Examples
    --------
    >>> import numpy as np
    >>> input_nbytes({"age": np.zeros(10, np.uint8), "household": np.zeros(10, np.int64)})
    90
    """
    return sum(int(np.asarray(column).nbytes) for column in data.values())


def validate_population(data: Population) -> None:
    """Raise ``ValueError`` unless `data` has every column, the declared dtypes and valid ids.

    Examples
    --------
    >>> import numpy as np
    >>> data = {"household": np.array([0, 2]), "village": np.array([0, 0]),
    ...         "commune": np.array([0]), "district": np.array([0]),
    ...         "province": np.array([0]), "nation": np.array([0])}
    >>> for name in ("age", "literate", "qualification", "digital_skills", "in_school"):
    ...     data[name] = np.zeros(2, np.uint8)
    >>> data["learning_hours"] = np.zeros(2, np.uint16)
    >>> validate_population(data)
    Traceback (most recent call last):
    ...
    ValueError: person column 'household' holds ids outside 0..1
    """
    expected: dict[str, type[np.generic]] = dict(PERSON_COLUMNS)
    expected.update(dict.fromkeys(UNIT_PARENTS, np.int64))
    missing = sorted(set(expected) - set(data))
    if missing:
        msg = f"population lacks columns {missing}; it needs {sorted(expected)}"
        raise ValueError(msg)
    for name, dtype in expected.items():
        if data[name].dtype != np.dtype(dtype) or data[name].ndim != 1:
            msg = f"column {name!r} must be 1-d {np.dtype(dtype)}, got {data[name].dtype}"
            raise ValueError(msg)
    n_persons = len(data["household"])
    for name in PERSON_COLUMNS:
        if len(data[name]) != n_persons:
            msg = f"person column {name!r} has {len(data[name])} rows, expected {n_persons}"
            raise ValueError(msg)
    # Each id column points into the units counted by the length of the next key.
    keys = ["household", *UNIT_PARENTS]
    for key, next_key in zip(keys, [*keys[1:], None], strict=True):
        n_units = 1 if next_key is None else len(data[next_key])
        ids = data[key]
        if len(ids) and (int(ids.min()) < 0 or int(ids.max()) >= n_units):
            owner = "person" if key == "household" else UNIT_PARENTS[key]
            msg = f"{owner} column {key!r} holds ids outside 0..{n_units - 1}"
            raise ValueError(msg)


def as_counts(values: npt.ArrayLike) -> _Counts:
    """Return `values` as int64 counts, refusing any value that would change.

    Tools produce counts as float64 (``bincount`` with weights), uint32 (polars) or
    int64; this converts exactly or raises ``ValueError``.

    Examples
    --------
    >>> import numpy as np
    >>> print(as_counts(np.array([3.0, 0.0])))
    [3 0]
    >>> as_counts(np.array([0.5]))
    Traceback (most recent call last):
    ...
    ValueError: counts must be whole non-negative numbers, got [0.5]
    """
    array = np.asarray(values)
    counts = array.astype(np.int64)
    if not np.array_equal(counts, array) or (counts.size and int(counts.min()) < 0):
        msg = f"counts must be whole non-negative numbers, got {array[:5]}"
        raise ValueError(msg)
    return counts


def full_by_index(
    index: npt.ArrayLike, values: npt.ArrayLike, n: int, fill: float = 0
) -> npt.NDArray[Any]:
    """Scatter keyed rows into an array of `n` units, `fill` where no row names a unit.

    The dataframe and SQL tools return one row per non-empty group; this puts them back in
    unit order so empty units are present.

    Examples
    --------
    >>> print(full_by_index([2, 0], [5, 7], 4))
    [7 0 5 0]
    """
    values_array = np.asarray(values)
    out = np.full(n, fill, dtype=values_array.dtype)
    out[np.asarray(index, dtype=np.intp)] = values_array
    return out


def rates_from_counts(counts: Mapping[str, _Counts]) -> dict[str, _Rates]:
    """Return every rate of :data:`RATES` as float64 numerator / denominator, NaN when 0/0.

    Examples
    --------
    >>> import numpy as np
    >>> counts = {name: np.array([2, 0]) for name in COUNTERS}
    >>> counts["persons"] = np.array([4, 0])
    >>> print(rates_from_counts(counts)["learning_citizens"])
    [0.5 nan]
    """
    rates = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        for name, (numerator, denominator) in RATES.items():
            rates[name] = counts[numerator].astype(np.float64) / counts[denominator]
    return rates


def _check_array(name: str, array: npt.NDArray[Any], dtype: type[np.generic], n: int) -> None:
    if array.dtype != np.dtype(dtype) or array.shape != (n,):
        msg = (
            f"result {name} must be {np.dtype(dtype)} of shape ({n},), "
            f"got {array.dtype} of shape {array.shape}"
        )
        raise TypeError(msg)


@attrs.frozen(eq=False)
class Result:
    """What one run of one tool produced, with its step timings.

    Parameters
    ----------
    learning_family : ndarray of bool
        Step (b), one per household in household index order.
    household_counts : mapping of str to ndarray of int64
        Step (b), the :data:`HOUSEHOLD_COUNTERS`, one per household.
    learning_village : ndarray of bool or None
        Step (c), one per village; None for a tool that stops after step (b).
    levels : mapping of str to mapping of str to ndarray of int64
        Step (d): for every level of :data:`LEVELS`, the :data:`COUNTERS` per unit (in unit
        index order, empty units included). Empty for a tool that stops after step (b).
    rates : mapping of str to mapping of str to ndarray of float64
        Step (d): for every level, the :data:`RATES`.
    timings : mapping of str to float
        Seconds per step (``load`` or ``build``, then ``a`` to ``d``).
    peak_rss : int
        Peak resident set size in bytes at the end of the last timed step.
    notes : tuple of str
        What a reader of the table must know (threads, fused steps, missing steps).

    Examples
    --------
    >>> import numpy as np
    >>> r = Result(learning_family=np.array([True]),
    ...            household_counts={k: np.array([1]) for k in HOUSEHOLD_COUNTERS},
    ...            learning_village=None, levels={}, rates={}, timings={"a": 0.1, "b": 0.2})
    >>> r.steps
    ('a', 'b')
    >>> Result(learning_family=np.array([1]), household_counts={}, learning_village=None,
    ...        levels={}, rates={}, timings={})
    Traceback (most recent call last):
    ...
    TypeError: result learning_family must be bool of shape (1,), got int64 of shape (1,)
    """

    learning_family: _Bools
    household_counts: Mapping[str, _Counts]
    learning_village: _Bools | None
    levels: Mapping[str, Mapping[str, _Counts]]
    rates: Mapping[str, Mapping[str, _Rates]]
    timings: Mapping[str, float]
    peak_rss: int = 0
    notes: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        n_households = len(self.learning_family)
        _check_array("learning_family", self.learning_family, np.bool_, n_households)
        for name, counts in self.household_counts.items():
            _check_array(f"household {name}", counts, np.int64, n_households)
        if self.learning_village is not None:
            n = len(self.learning_village)
            _check_array("learning_village", self.learning_village, np.bool_, n)
        for level, counters in self.levels.items():
            n = len(counters["persons"])
            for name, counts in counters.items():
                _check_array(f"{level} {name}", counts, np.int64, n)
            for name, rate in self.rates.get(level, {}).items():
                _check_array(f"{level} rate {name}", rate, np.float64, n)

    @property
    def steps(self) -> tuple[str, ...]:
        """The workload steps this run timed, in order."""
        return tuple(step for step in STEPS if step in self.timings)

    @property
    def total(self) -> float:
        """Seconds for the timed workload steps, ``load`` and ``build`` excluded."""
        return sum(self.timings[step] for step in self.steps)

    def to_arrays(self) -> dict[str, npt.NDArray[Any]]:
        """Flatten the arrays into one dict (for ``np.savez``); see :meth:`from_arrays`."""
        arrays: dict[str, npt.NDArray[Any]] = {"learning_family": self.learning_family}
        for name, counts in self.household_counts.items():
            arrays[f"household__{name}"] = counts
        if self.learning_village is not None:
            arrays["learning_village"] = self.learning_village
        for level, counters in self.levels.items():
            for name, counts in counters.items():
                arrays[f"count__{level}__{name}"] = counts
        for level, rates in self.rates.items():
            for name, rate in rates.items():
                arrays[f"rate__{level}__{name}"] = rate
        return arrays

    @classmethod
    def from_arrays(
        cls,
        arrays: Mapping[str, npt.NDArray[Any]],
        timings: Mapping[str, float],
        peak_rss: int = 0,
        notes: tuple[str, ...] = (),
    ) -> Result:
        """Rebuild a result from :meth:`to_arrays` output.

        Examples
        --------
        >>> import numpy as np
        >>> r = Result(learning_family=np.array([True]), household_counts={},
        ...            learning_village=np.array([False]),
        ...            levels={"nation": {"persons": np.array([3])}}, rates={}, timings={})
        >>> back = Result.from_arrays(r.to_arrays(), timings={})
        >>> compare_results(r, back)
        []
        """
        household: dict[str, _Counts] = {}
        levels: dict[str, dict[str, _Counts]] = {}
        rates: dict[str, dict[str, _Rates]] = {}
        for key, array in arrays.items():
            parts = key.split("__")
            if parts[0] == "household":
                household[parts[1]] = array
            elif parts[0] == "count":
                levels.setdefault(parts[1], {})[parts[2]] = array
            elif parts[0] == "rate":
                rates.setdefault(parts[1], {})[parts[2]] = array
        return cls(
            learning_family=arrays["learning_family"],
            household_counts=household,
            learning_village=arrays.get("learning_village"),
            levels=levels,
            rates=rates,
            timings=timings,
            peak_rss=peak_rss,
            notes=notes,
        )


def _diff(name: str, expected: npt.NDArray[Any], got: npt.NDArray[Any]) -> list[str]:
    if expected.shape != got.shape:
        return [f"{name}: shape {got.shape}, expected {expected.shape}"]
    if np.array_equal(expected, got):
        return []
    where = np.flatnonzero(expected != got)
    first = where[:3].tolist()
    return [
        f"{name}: {where.size} of {expected.size} differ, e.g. at {first}: "
        f"got {got[first].tolist()}, expected {expected[first].tolist()}"
    ]


def compare_results(reference: Result, other: Result) -> list[str]:
    """Return the differences between `other` and `reference`; empty when equal.

    Counts and booleans must be exactly equal. A rate is compared wherever the reference
    denominator is positive (the value over an empty unit is tool-specific: NaN, NULL or
    inf). Steps (c) and (d) are compared only when `other` ran them.

    Examples
    --------
    >>> import numpy as np
    >>> ref = Result(learning_family=np.array([True, False]),
    ...              household_counts={"persons": np.array([2, 1])},
    ...              learning_village=None, levels={}, rates={}, timings={})
    >>> bad = Result(learning_family=np.array([True, True]),
    ...              household_counts={"persons": np.array([2, 1])},
    ...              learning_village=None, levels={}, rates={}, timings={})
    >>> compare_results(ref, bad)
    ['learning_family: 1 of 2 differ, e.g. at [1]: got [True], expected [False]']
    """
    problems = _diff("learning_family", reference.learning_family, other.learning_family)
    for name, counts in reference.household_counts.items():
        if name not in other.household_counts:
            problems.append(f"household {name}: missing")
            continue
        problems += _diff(f"household {name}", counts, other.household_counts[name])
    if other.learning_village is None and not other.levels:
        return problems
    if reference.learning_village is not None:
        if other.learning_village is None:
            problems.append("learning_village: missing")
        else:
            problems += _diff(
                "learning_village", reference.learning_village, other.learning_village
            )
    for level, counters in reference.levels.items():
        for name, counts in counters.items():
            got = other.levels.get(level, {}).get(name)
            if got is None:
                problems.append(f"{level} {name}: missing")
                continue
            problems += _diff(f"{level} {name}", counts, got)
        for name, rate in reference.rates.get(level, {}).items():
            got_rate = other.rates.get(level, {}).get(name)
            if got_rate is None:
                problems.append(f"{level} rate {name}: missing")
                continue
            if got_rate.shape != rate.shape:
                problems += _diff(f"{level} rate {name}", rate, got_rate)
                continue
            defined = counters[RATES[name][1]] > 0
            problems += _diff(f"{level} rate {name}", rate[defined], got_rate[defined])
    return problems
