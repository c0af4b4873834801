"""polars: lazy queries, ``group_by().agg()`` per level, left joins from unit tables.

Written as a polars user would: the lazy API (its default engine streams and is 2-4x faster
here than the eager methods), ``with_columns`` for the person rule, one ``group_by`` per level
aggregating every counter in one pass, and a left join from the table of units of the level so
empty units are kept (``group_by`` only returns groups that have rows). Each step ends with one
``collect()`` so it can be timed. Joins do not ask to keep the row order (that costs 2x at 10M
rows); the result is sorted by unit id when it is extracted, after timing. The thread pool is
set by ``POLARS_MAX_THREADS`` (2 unless already set) before polars is imported.
"""

from __future__ import annotations

import os

os.environ.setdefault("POLARS_MAX_THREADS", "2")

import numpy as np
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
)

__all__ = ["NAME", "describe", "run"]

NAME = "polars"


def describe() -> str:
    """Return the version line shown in the table."""
    return f"polars {pl.__version__}, {pl.thread_pool_size()} threads"


def _units(data: Population, parent: str) -> pl.LazyFrame:
    # A table of the units of one level: their id (row number) and their parent's id, both
    # int64 so joins need no cast.
    ids = np.arange(len(data[parent]), dtype=np.int64)
    return pl.DataFrame({"unit": ids, parent: data[parent]}).lazy()


def _roll(below: pl.LazyFrame, units: pl.LazyFrame, level: str) -> pl.LazyFrame:
    # Sum every counter of `below` by its `level` column, keeping the units with no child;
    # the result keeps the units' own parent column for the next level up.
    summed = below.group_by(level).agg(pl.col(COUNTERS).sum())
    return (
        units.rename({"unit": level})
        .join(summed, on=level, how="left")
        .with_columns(pl.col(COUNTERS).fill_null(0))
    )


def _rates(frame: pl.LazyFrame) -> pl.LazyFrame:
    return frame.with_columns(
        (pl.col(numerator) / pl.col(denominator)).alias(f"rate_{rate}")
        for rate, (numerator, denominator) in RATES.items()
    )


def run(data: Population) -> Result:
    """Run steps (a) to (d) with polars and return the timed result."""
    timer = Timer()
    with timer.step("load"):
        persons = pl.DataFrame({name: data[name] for name in PERSON_COLUMNS})
        households = _units(data, "village")
        villages = _units(data, "commune")
        communes = _units(data, "district")
        districts = _units(data, "province")
        provinces = _units(data, "nation")

    with timer.step("a"):
        persons = (
            persons.lazy()
            .with_columns(
                learning_citizen=(pl.col("age") >= 15)
                & (pl.col("literate") == 1)
                & ((pl.col("learning_hours") >= 40) | (pl.col("qualification") >= 3))
                & (pl.col("digital_skills") == 1)
            )
            .collect()
        )

    with timer.step("b"):
        age = pl.col("age")
        aged_15_60 = age.is_between(15, 60)
        summed = (
            persons.lazy()
            .group_by("household")
            .agg(
                persons=pl.len(),
                adults=(age >= 15).sum(),
                learning_citizens=pl.col("learning_citizen").sum(),
                literate_15_60=(aged_15_60 & (pl.col("literate") == 1)).sum(),
                persons_15_60=aged_15_60.sum(),
                out_of_school=(age.is_between(6, 17) & (pl.col("in_school") == 0)).sum(),
            )
        )
        hh = (
            households.rename({"unit": "household"})
            .join(summed, on="household", how="left")
            .with_columns(pl.exclude("household", "village").fill_null(0))
            .with_columns(
                learning_family=(pl.col("out_of_school") == 0)
                & (pl.col("adults") >= 1)
                & (2 * pl.col("learning_citizens") >= pl.col("adults"))
            )
            .collect()
        )

    with timer.step("c"):
        village = (
            hh.lazy()
            .group_by("village")
            .agg(
                pl.col("persons", "learning_citizens", "literate_15_60", "persons_15_60").sum(),
                households=pl.len(),
                learning_families=pl.col("learning_family").sum(),
            )
            .pipe(
                lambda summed: villages.rename({"unit": "village"}).join(
                    summed, on="village", how="left"
                )
            )
            .with_columns(pl.exclude("village", "commune").fill_null(0))
            .with_columns(
                learning_village=(pl.col("households") > 0)
                & (10 * pl.col("learning_families") >= 7 * pl.col("households"))
            )
            .collect()
        )

    with timer.step("d"):
        below = village.lazy().with_columns(
            villages=pl.lit(1), learning_villages=pl.col("learning_village")
        )
        plans: dict[str, pl.LazyFrame] = {}
        for level, units in (
            ("commune", communes),
            ("district", districts),
            ("province", provinces),
        ):
            below = plans[level] = _roll(below, units, level)
        plans["nation"] = below.select(pl.col(COUNTERS).sum())
        # One collect for the four levels, so the shared sub-plans run once.
        tables = dict(
            zip(plans, pl.collect_all([_rates(plan) for plan in plans.values()]), strict=True)
        )

    # Untimed extraction: rows in unit order, as every tool returns them.
    hh = hh.sort("household")
    village = village.sort("village")
    tables = {
        level: table.sort(level) if level != "nation" else table for level, table in tables.items()
    }
    return Result(
        learning_family=hh["learning_family"].to_numpy().astype(np.bool_),
        household_counts={name: as_counts(hh[name].to_numpy()) for name in HOUSEHOLD_COUNTERS},
        learning_village=village["learning_village"].to_numpy().astype(np.bool_),
        levels={
            level: {name: as_counts(tables[level][name].to_numpy()) for name in COUNTERS}
            for level in LEVELS
        },
        rates={
            level: {
                rate: tables[level][f"rate_{rate}"].to_numpy().astype(np.float64) for rate in RATES
            }
            for level in LEVELS
        },
        timings=timer.seconds,
        peak_rss=timer.peak_rss,
        notes=(f"{pl.thread_pool_size()} threads; left join from unit tables keeps empty units",),
    )
