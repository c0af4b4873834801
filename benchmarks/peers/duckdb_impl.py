"""DuckDB: SQL over registered Arrow tables, ``GROUP BY`` per level and ``GROUP BY ROLLUP``.

Written as a DuckDB expert would: the numpy columns become zero-copy Arrow tables registered
as views; the person rule is a view (so step (a) only plans it and its work happens in step
(b)); step (b) is one ``GROUP BY household`` with every counter and the family rule, and no
join (a household's village is needed only from step (c) on, where the households' table is
joined to it); households and villages are materialised as temporary tables; the four rollup
levels come from one ``GROUP BY ROLLUP (province, district, commune)`` over the unit tables
joined from the top, so empty units appear with zero counts. DuckDB's defaults are kept:
as many threads as cores (2 here) and ``preserve_insertion_order`` (turning it off, or
copying the persons into a native table first, measured no faster).
"""

from __future__ import annotations

from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

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

__all__ = ["NAME", "describe", "run"]

NAME = "duckdb"

_PERSON_RULE = """
CREATE VIEW persons_lc AS
SELECT *,
       age >= 15 AND literate = 1 AND (learning_hours >= 40 OR qualification >= 3)
       AND digital_skills = 1 AS learning_citizen
FROM persons
"""

_HOUSEHOLDS = """
CREATE TEMP TABLE hh AS
SELECT household,
       count(*) AS persons,
       count_if(age >= 15) AS adults,
       count_if(learning_citizen) AS learning_citizens,
       count_if(age BETWEEN 15 AND 60 AND literate = 1) AS literate_15_60,
       count_if(age BETWEEN 15 AND 60) AS persons_15_60,
       count_if(age BETWEEN 6 AND 17 AND in_school = 0) = 0
         AND count_if(age >= 15) >= 1
         AND 2 * count_if(learning_citizen) >= count_if(age >= 15) AS learning_family
FROM persons_lc
GROUP BY household
"""

# The households' table is the left side, so a household with no member is still counted.
_VILLAGES = """
CREATE TEMP TABLE village_counts AS
WITH per_village AS (
    SELECT h.village,
           coalesce(sum(p.persons), 0)::BIGINT AS persons,
           coalesce(sum(p.learning_citizens), 0)::BIGINT AS learning_citizens,
           count(*) AS households,
           count_if(p.learning_family) AS learning_families,
           coalesce(sum(p.literate_15_60), 0)::BIGINT AS literate_15_60,
           coalesce(sum(p.persons_15_60), 0)::BIGINT AS persons_15_60
    FROM households h LEFT JOIN hh p USING (household)
    GROUP BY h.village
)
SELECT v.village, v.commune,
       coalesce(p.persons, 0) AS persons,
       coalesce(p.learning_citizens, 0) AS learning_citizens,
       coalesce(p.households, 0) AS households,
       coalesce(p.learning_families, 0) AS learning_families,
       coalesce(p.literate_15_60, 0) AS literate_15_60,
       coalesce(p.persons_15_60, 0) AS persons_15_60,
       coalesce(p.households, 0) > 0
         AND 10 * coalesce(p.learning_families, 0) >= 7 * coalesce(p.households, 0)
         AS learning_village
FROM villages v LEFT JOIN per_village p USING (village)
"""

_SUMS = ",\n       ".join(
    f"coalesce(sum({name}), 0)::BIGINT AS {name}" for name in COUNTERS if name != "villages"
)
_RATES = ",\n       ".join(
    f"{numerator} / {denominator} AS rate_{rate}"
    for rate, (numerator, denominator) in RATES.items()
)
_ROLLUP = f"""
WITH units AS (
    SELECT p.province, d.district, c.commune, v.*, v.village IS NOT NULL AS is_village
    FROM provinces p
    LEFT JOIN districts d ON d.province = p.province
    LEFT JOIN communes c ON c.district = d.district
    LEFT JOIN (SELECT *, learning_village::INTEGER AS learning_villages FROM village_counts) v
           ON v.commune = c.commune
),
rolled AS (
    SELECT grouping(province, district, commune) AS grouping_id,
           province, district, commune,
           count_if(is_village) AS villages,
           {_SUMS}
    FROM units
    GROUP BY ROLLUP (province, district, commune)
)
SELECT *, {_RATES} FROM rolled
"""  # noqa: S608 (built from the constant names above, never from input)
# grouping() bits, most significant first: province, district, commune.
_GROUPING_IDS = {"commune": 0, "district": 1, "province": 3, "nation": 7}
_ID_COLUMNS = {"commune": "commune", "district": "district", "province": "province"}


def describe() -> str:
    """Return the version line shown in the table."""
    with duckdb.connect() as con:
        threads = con.sql("SELECT current_setting('threads')").fetchall()[0][0]
    return f"duckdb {duckdb.__version__}, {threads} threads"


def _table(**columns: npt.NDArray[Any]) -> pa.Table:
    return pa.table(dict(columns))


def _level_arrays(
    rows: dict[str, npt.NDArray[Any]], level: str, size: int
) -> tuple[dict[str, npt.NDArray[np.int64]], dict[str, npt.NDArray[np.float64]]]:
    # Pick the rows of one rollup level and put them in unit order.
    keep = rows["grouping_id"] == _GROUPING_IDS[level]
    if level == "nation":
        index = np.zeros(int(keep.sum()), dtype=np.intp)
    else:
        ids = rows[_ID_COLUMNS[level]]
        # A district with no commune also yields a (province, district, NULL) detail row.
        keep &= ~np.ma.getmaskarray(ids)
        index = np.ma.getdata(ids)[keep]
    counts = {name: as_counts(full_by_index(index, rows[name][keep], size)) for name in COUNTERS}
    rates = {
        rate: full_by_index(
            index, np.ma.filled(rows[f"rate_{rate}"][keep].astype(np.float64), np.nan), size, np.nan
        )
        for rate in RATES
    }
    return counts, rates


def run(data: Population) -> Result:
    """Run steps (a) to (d) with DuckDB and return the timed result."""
    timer = Timer()
    con = duckdb.connect()
    try:
        with timer.step("load"):
            n_households, n_villages = len(data["village"]), len(data["commune"])
            sizes = {
                "commune": len(data["district"]),
                "district": len(data["province"]),
                "province": len(data["nation"]),
                "nation": 1,
            }
            con.register("persons", _table(**{name: data[name] for name in PERSON_COLUMNS}))
            tables = {
                "households": ("household", "village"),
                "villages": ("village", "commune"),
                "communes": ("commune", "district"),
                "districts": ("district", "province"),
                "provinces": ("province", "nation"),
            }
            for table, (key, parent) in tables.items():
                parents = data[parent]
                keys = np.arange(len(parents), dtype=np.int64)
                con.register(table, _table(**{key: keys, parent: parents}))

        with timer.step("a"):
            con.execute(_PERSON_RULE)

        with timer.step("b"):
            con.execute(_HOUSEHOLDS)

        with timer.step("c"):
            con.execute(_VILLAGES)

        with timer.step("d"):
            rows = con.sql(_ROLLUP).fetchnumpy()

        household = con.sql("SELECT * FROM hh ORDER BY household").fetchnumpy()
        village = con.sql(
            "SELECT learning_village FROM village_counts ORDER BY village"
        ).fetchnumpy()
    finally:
        con.close()

    levels: dict[str, dict[str, npt.NDArray[np.int64]]] = {}
    rates: dict[str, dict[str, npt.NDArray[np.float64]]] = {}
    for level in LEVELS:
        levels[level], rates[level] = _level_arrays(rows, level, sizes[level])
    # Households with no member have no row in hh: put the rows in household order.
    ids = household["household"]
    learning_family = full_by_index(
        ids, np.asarray(household["learning_family"], np.bool_), n_households
    )
    if len(village["learning_village"]) != n_villages:
        msg = "DuckDB lost villages"
        raise AssertionError(msg)
    return Result(
        learning_family=learning_family,
        household_counts={
            name: as_counts(full_by_index(ids, household[name], n_households))
            for name in HOUSEHOLD_COUNTERS
        },
        learning_village=np.asarray(village["learning_village"], dtype=np.bool_),
        levels=levels,
        rates=rates,
        timings=timer.seconds,
        peak_rss=timer.peak_rss,
        notes=("(a) is a view evaluated inside (b); (d) is one GROUP BY ROLLUP",),
    )
