"""polars: one lazy ``group_by().agg()`` per level, every counter at once, no join on persons.

Written as a polars expert would (issue 13, "peer fairness"): the lazy API, the person rule
inlined into the household aggregation (no person-level column is materialised: step (a)
only builds the expression, its work happens in step (b), as DuckDB's view does), one
``group_by`` per level that computes every counter in one pass, and the parent of each group
taken with ``gather`` from the parent-index column of the level (unit ids are row numbers, so
a lookup is a gather, not a join). The only joins are on the villages' table (one row per
1,000 persons), so that a village with no household, and a household with no member, are
still counted. ``group_by`` returns only groups that have rows and in no particular order;
putting them in unit order and filling empty units with zeros happens at extraction, untimed,
as every tool's extraction is.

:func:`run_with` takes the engine: ``"in-memory"`` (this module, tool ``polars``) or
``"streaming"`` (tool ``polars_streaming``); ``polars_eager`` runs the same plan with the
eager API. Measured at 10M persons in polars 2.1, the lazy plan was 2-3x faster than the
same calls on eager frames, and flagging a sorted ``household`` column (``set_sorted``)
made the aggregation slower, so neither is used here. The thread pool is set by
``POLARS_MAX_THREADS`` (2 unless already set) before polars is imported.
"""

from __future__ import annotations

import os

os.environ.setdefault("POLARS_MAX_THREADS", "2")

from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import polars as pl

from benchmarks.peers.measure import Timer
from benchmarks.peers.workload import (
    COUNTERS,
    HOUSEHOLD_COUNTERS,
    LEVELS,
    PERSON_COLUMNS,
    RATES,
    Population,
    Result,
    as_counts,
    full_by_index,
)

__all__ = ["NAME", "describe", "run", "run_with"]

NAME = "polars"

Engine = Literal["in-memory", "streaming", "eager"]

_UP = {"commune": "district", "district": "province", "province": "nation"}


def describe() -> str:
    """Return the version line shown in the table."""
    return f"polars {pl.__version__}, {pl.thread_pool_size()} threads"


def _collect(frame: pl.LazyFrame, engine: Engine) -> pl.DataFrame:
    if engine == "streaming":
        return frame.collect(engine="streaming")
    return frame.collect()


def _person_flags() -> dict[str, pl.Expr]:
    # The person rule and the masks counted per household, as expressions.
    age, literate = pl.col("age"), pl.col("literate") == 1
    adult = age >= 15
    aged_15_60 = age.is_between(15, 60)
    return {
        "adults": adult,
        "learning_citizens": adult
        & literate
        & ((pl.col("learning_hours") >= 40) | (pl.col("qualification") >= 3))
        & (pl.col("digital_skills") == 1),
        "literate_15_60": aged_15_60 & literate,
        "persons_15_60": aged_15_60,
        "out_of_school": age.is_between(6, 17) & (pl.col("in_school") == 0),
    }


def _rates() -> list[pl.Expr]:
    return [
        (pl.col(numerator) / pl.col(denominator)).alias(f"rate_{rate}")
        for rate, (numerator, denominator) in RATES.items()
    ]


def _steps(
    data: Population, engine: Engine, timer: Timer
) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, pl.DataFrame]]:
    with timer.step("load"):
        persons = pl.DataFrame({name: data[name] for name in PERSON_COLUMNS})
        parents = {key: pl.Series(key, data[key]) for key in ("village", "commune", "district")}
        parents["province"] = pl.Series("province", data["province"])
        household_units = pl.DataFrame({"village": data["village"]})
        village_units = pl.DataFrame(
            {"village": np.arange(len(data["commune"]), dtype=np.int64), "commune": data["commune"]}
        )

    def frame(df: pl.DataFrame) -> Any:
        # The eager variant calls the same methods on a DataFrame; lazy ones plan, then collect.
        return df if engine == "eager" else df.lazy()

    def done(result: Any) -> pl.DataFrame:
        return result if isinstance(result, pl.DataFrame) else _collect(result, engine)

    persons_in: pl.DataFrame | pl.LazyFrame
    with timer.step("a"):
        if engine == "eager":
            # Eager aggregations run unoptimised: 2x slower here than summing flag columns.
            persons_in = persons.select("household", **_person_flags())
            per_household = [pl.len().alias("persons"), pl.all().sum()]
        else:
            # Lazy: the rule is inlined into (b)'s aggregation, evaluated there.
            persons_in = persons.lazy()
            flags = _person_flags()
            per_household = [
                pl.len().alias("persons"),
                *(e.sum().alias(k) for k, e in flags.items()),
            ]

    with timer.step("b"):
        households = done(
            persons_in.group_by("household")
            .agg(*per_household)
            .with_columns(
                village=pl.lit(parents["village"]).gather(pl.col("household")),
                learning_family=(pl.col("out_of_school") == 0)
                & (pl.col("adults") >= 1)
                & (2 * pl.col("learning_citizens") >= pl.col("adults")),
            )
        )

    with timer.step("c"):
        # Households per village come from the households' own table, so a household with no
        # member still counts; every village, even one with no household, is a village of
        # its commune. Both joins are on the villages' table (1 row per 1,000 persons).
        summed = (
            frame(households)
            .group_by("village")
            .agg(
                pl.col("persons", "learning_citizens", "literate_15_60", "persons_15_60").sum(),
                learning_families=pl.col("learning_family").sum(),
            )
        )
        sizes = frame(household_units).group_by("village").agg(households=pl.len())
        villages = done(
            frame(village_units)
            .join(sizes, on="village", how="left")
            .join(summed, on="village", how="left")
            .with_columns(pl.exclude("village", "commune").fill_null(0))
            .with_columns(
                learning_village=(pl.col("households") > 0)
                & (10 * pl.col("learning_families") >= 7 * pl.col("households"))
            )
        )

    with timer.step("d"):
        below = frame(villages).with_columns(
            villages=pl.lit(1, pl.Int64), learning_villages=pl.col("learning_village")
        )
        plans: dict[str, Any] = {}
        for level in ("commune", "district", "province"):
            rolled = below.group_by(level).agg(pl.col(COUNTERS).sum())
            if level != "province":
                up = _UP[level]
                rolled = rolled.with_columns(**{up: pl.lit(parents[up]).gather(pl.col(level))})
            plans[level] = rolled
            below = rolled
        plans["nation"] = below.select(pl.col(COUNTERS).sum())
        plans = {level: plan.with_columns(_rates()) for level, plan in plans.items()}
        if engine == "eager":
            tables = plans
        else:
            # One collect for the four levels, so the shared sub-plans run once.
            collected = pl.collect_all(
                list(plans.values()), engine="streaming" if engine == "streaming" else "auto"
            )
            tables = dict(zip(plans, collected, strict=True))
    return households, villages, tables


def _by_unit(
    table: pl.DataFrame, key: str | None, names: tuple[str, ...], n: int, fill: float = 0
) -> dict[str, npt.NDArray[Any]]:
    # Rows in unit order, empty units filled: what every tool returns.
    index = np.zeros(table.height, np.intp) if key is None else table[key].to_numpy()
    return {name: full_by_index(index, table[name].to_numpy(), n, fill) for name in names}


def run_with(data: Population, engine: Engine) -> Result:
    """Run steps (a) to (d) with polars' `engine` and return the timed result."""
    timer = Timer()
    households, villages, tables = _steps(data, engine, timer)

    n_households, n_villages = len(data["village"]), len(data["commune"])
    hh = _by_unit(households, "household", (*HOUSEHOLD_COUNTERS, "learning_family"), n_households)
    village = _by_unit(villages, "village", ("learning_village",), n_villages)
    sizes = {
        "commune": len(data["district"]),
        "district": len(data["province"]),
        "province": len(data["nation"]),
        "nation": 1,
    }
    levels, rates = {}, {}
    for level in LEVELS:
        key = None if level == "nation" else level
        counts = _by_unit(tables[level], key, COUNTERS, sizes[level])
        levels[level] = {name: as_counts(values) for name, values in counts.items()}
        names = tuple(f"rate_{rate}" for rate in RATES)
        floats = {name: tables[level][name].cast(pl.Float64) for name in names}
        rate_values = _by_unit(
            tables[level].with_columns(**floats), key, names, sizes[level], np.nan
        )
        rates[level] = {rate: rate_values[f"rate_{rate}"] for rate in RATES}
    return Result(
        learning_family=hh["learning_family"].astype(np.bool_),
        household_counts={name: as_counts(hh[name]) for name in HOUSEHOLD_COUNTERS},
        learning_village=village["learning_village"].astype(np.bool_),
        levels=levels,
        rates=rates,
        timings=timer.seconds,
        peak_rss=timer.peak_rss,
        notes=(
            f"{engine}, {pl.thread_pool_size()} threads; one group_by per level, parents by "
            + (
                "gather; (a) materialises flag columns"
                if engine == "eager"
                else "gather; (a) inlined into (b)"
            ),
        ),
    )


def run(data: Population) -> Result:
    """Run steps (a) to (d) with polars' lazy API and default engine."""
    return run_with(data, "in-memory")
