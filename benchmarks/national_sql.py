"""A DuckDB SQL twin of the national rulebook's population-scale titles, checked against learnsoc.

The titles of ``vn-national`` whose work grows with the population (``learning_citizen``,
``learning_citizen_proxy``, ``learning_family``, ``learning_clan``, ``learning_community``),
decided as of 2025-12-31, twice over the same Parquet files: by learnsoc (read a checked
population, evaluate the whole rulebook) and by one DuckDB query. The check prepares the
files, runs both and exits 1 unless they grant the same number of each title::

    python -m benchmarks.national_sql --persons 300000 --seed 2
    python -m benchmarks.national_sql --persons 20000 --entities    # also the granted ids
    python -m benchmarks.national_sql --persons 20000 --entities --holes 0.05 --shares 0.3
    python -m benchmarks.national_sql --smoke       # CI: 2,000 persons, both rulebooks, ids

``--holes`` blanks a share of the optional values (three-valued logic at work) and
``--shares`` lowers the family, clan and village thresholds in a variant rulebook, so that
clans and villages are granted too (at the national 70% hardly any is).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

AS_OF = "2025-12-31"
TITLES = (
    "learning_citizen",
    "learning_citizen_proxy",
    "learning_family",
    "learning_clan",
    "learning_community",
)

#: The versions in force on AS_OF that the SQL encodes (their effective_from).
VERSIONS = {
    "learning_citizen": "2022-06-03",
    "learning_citizen_proxy": "2016-01-01",
    "learning_family": "2021-01-01",
    "learning_clan": "2021-01-01",
    "learning_community": "2021-01-01",
}

#: The parameters of those versions and their values on AS_OF (vn-national.toml). The SQL's
#: shape assumes the three switches; the numbers are put into it.
PARAMETERS: dict[str, bool | int | float] = {
    "citizen_from_points": False,  # learning_citizen is the recorded recognition
    "use_citizen_proxy": False,  # families count recognised citizens only
    "count_registered_only": True,  # shares count registered families
    "citizen_min_age": 15,
    "school_age_min": 6,
    "school_age_max": 17,
    "adult_min_age": 19,
    "adult_max_age": 60,
    "proxy_learning_hours": 40,
    "family_citizen_share": 0.4,
    "clan_family_share": 0.7,
    "village_family_share": 0.7,
}
_SWITCHES = ("citizen_from_points", "use_citizen_proxy", "count_registered_only")

# One query. Missing values are NULL and learnsoc's three-valued logic is SQL's: a title is
# granted only where its condition is known true, hence coalesce(..., false). Aggregates
# skip members whose value is missing, as SQL's count(column) does; a group whose eligible
# members are all missing is unknown, and an empty one follows the criterion's on_empty.
_CTES = """
WITH
person AS (
    SELECT
        person_id,
        household_id,
        age BETWEEN {school_age_min} AND {school_age_max} AS school_age,
        age BETWEEN {adult_min_age} AND {adult_max_age} AS adult,
        in_school,
        -- NULL where the recognition is not recorded: unknown, as the engine says
        age >= {citizen_min_age} AND recognised_learning_citizen = 1 AS learning_citizen,
        -- The proxy's 100 points: literate (20) and learning regularly (30) are required,
        -- then 15, 20, 5 and 10 for each other criterion known to pass; 80 are needed.
        coalesce(
            age >= {citizen_min_age} AND literate = 1
            AND (learning_hours >= {proxy_learning_hours} OR self_study = 1
                 OR community_learning = 1),
            false)
        AND 20 + 30
            + 15 * coalesce(education >= 2 OR qualification >= 1, false)::INT
            + 20 * coalesce(digital_skills = 1, false)::INT
            + 5 * coalesce(information_literacy = 1, false)::INT
            + 10 * coalesce(life_skills = 1, false)::INT
            >= 80 AS learning_citizen_proxy
    FROM {person_table}
),
household_members AS MATERIALIZED (
    SELECT
        household_id,
        count(*) FILTER (school_age) AS children,
        count(in_school) FILTER (school_age) AS children_known,
        count(*) FILTER (school_age AND in_school = 0) AS children_out,
        count(*) FILTER (adult) AS adults,
        count(*) FILTER (adult AND learning_citizen) AS adult_citizens,
        count(learning_citizen) FILTER (adult) AS adults_known,
        -- the person titles, counted on the same pass over the persons
        count(*) FILTER (learning_citizen) AS learning_citizens,
        count(*) FILTER (learning_citizen_proxy) AS proxy_citizens
    FROM person
    GROUP BY household_id
),
family_verdicts AS MATERIALIZED (
    SELECT
        h.household_id,
        h.unit_code,
        h.clan_id,
        h.registered,
        -- Kleene logic (SQL's AND): NULL is an unknown verdict
        h.registered = 1
        -- every school-age child attends school; none: pass (on_empty = "pass"),
        -- every one's in_school missing: unknown
        AND CASE WHEN coalesce(m.children, 0) = 0 THEN TRUE
                 WHEN m.children_known = 0 THEN NULL ELSE m.children_out = 0 END
        -- enough adults of known citizenship are learning citizens; no adult: fail;
        -- every adult's citizenship unknown: unknown
        AND CASE WHEN coalesce(m.adults, 0) = 0 THEN FALSE
                 WHEN m.adults_known = 0 THEN NULL
                 ELSE m.adult_citizens >= {family_citizen_share} * m.adults_known END
            AS family_verdict
    FROM {household_table} AS h
    LEFT JOIN household_members AS m USING (household_id)
),
family AS MATERIALIZED (
    SELECT *, coalesce(family_verdict, false) AS learning_family,
           family_verdict IS NOT NULL AS family_known
    FROM family_verdicts
),
-- Shares of learning families among registered ones. A household whose registered is
-- missing, or whose verdict is unknown, is skipped; none left is a fail (or unknown): not
-- granted.
clan_families AS (
    SELECT
        clan_id,
        count(*) FILTER (registered = 1 AND family_known) AS registered,
        count(*) FILTER (learning_family) AS learning_families
    FROM family
    WHERE clan_id IS NOT NULL
    GROUP BY clan_id
),
clan AS (
    SELECT
        c.clan_id,
        coalesce(
            c.registered = 1
            AND f.registered > 0 AND f.learning_families >= {clan_family_share} * f.registered
            AND c.clan_promotes_learning = 1,
            false) AS learning_clan
    FROM {clan_table} AS c
    LEFT JOIN clan_families AS f USING (clan_id)
),
village_families AS (
    SELECT
        unit_code,
        count(*) FILTER (registered = 1 AND family_known) AS registered,
        count(*) FILTER (learning_family) AS learning_families
    FROM family
    GROUP BY unit_code
),
village AS (
    SELECT
        i.code AS unit_code,
        coalesce(
            f.registered > 0
            AND f.learning_families >= {village_family_share} * f.registered
            AND i.value = 1,
            false) AS learning_community
    FROM {inputs_table} AS i
    LEFT JOIN village_families AS f ON f.unit_code = i.code
    WHERE i.level = 'village' AND i.name = 'village_learning_activities'
)
"""

COUNTS_SQL = """
SELECT 'learning_citizen' AS title, sum(learning_citizens) AS granted FROM household_members
UNION ALL
SELECT 'learning_citizen_proxy', sum(proxy_citizens) FROM household_members
UNION ALL
SELECT 'learning_family', count(*) FILTER (learning_family) FROM family
UNION ALL
SELECT 'learning_clan', count(*) FILTER (learning_clan) FROM clan
UNION ALL
SELECT 'learning_community', count(*) FILTER (learning_community) FROM village
"""

_GRANTED = """
SELECT 'learning_citizen' AS title, person_id::VARCHAR AS id FROM person WHERE learning_citizen
UNION ALL
SELECT 'learning_citizen_proxy', person_id::VARCHAR FROM person WHERE learning_citizen_proxy
UNION ALL
SELECT 'learning_family', household_id::VARCHAR FROM family WHERE learning_family
UNION ALL
SELECT 'learning_clan', clan_id::VARCHAR FROM clan WHERE learning_clan
UNION ALL
SELECT 'learning_community', unit_code FROM village WHERE learning_community
"""

_T = TypeVar("_T")


# ----------------------------------------------------------------------------- the files


def _arrow_columns(cols: Mapping[str, NDArray[Any]]) -> Any:
    """Return a table's columns as an Arrow table, as ``benchmarks.io_read._prepare`` does.

    Flags and codes keep their storage type with the 255 / 65535 sentinels as nulls; float
    columns holding whole numbers (a household's ``clan_id``) become nullable int64; the
    rulebook's yes/no inputs (numpy booleans) become uint8 like the other flags.
    """
    import pyarrow as pa

    arrow: dict[str, Any] = {}
    for name, v in cols.items():
        if v.dtype == np.bool_:
            v = v.astype(np.uint8)
        if v.dtype in (np.uint8, np.uint16):
            sentinel = 255 if v.dtype == np.uint8 else 65535
            arrow[name] = pa.array(v, mask=v == sentinel)
        elif v.dtype.kind == "f":
            arrow[name] = pa.array(v, from_pandas=True).cast(pa.int64())
        else:
            arrow[name] = pa.array(v)
    return pa.table(arrow)


def _punch(cols: dict[str, NDArray[Any]], rng: np.random.Generator, rate: float) -> None:
    """Blank a share of every optional flag, code and count (not ``age``, which is required)."""
    for name, v in cols.items():
        if name == "age" or v.dtype not in (np.bool_, np.uint8, np.uint16):
            continue
        out = v.astype(np.uint8) if v.dtype == np.bool_ else v.copy()
        out[rng.random(len(out)) < rate] = 255 if out.dtype == np.uint8 else 65535
        cols[name] = out


def prepare_national(folder: Path, persons: int, seed: int = 1, *, holes: float = 0.0) -> None:
    """Write the input files of the national rulebook for a synthetic population.

    Writes ``person.parquet``, ``household.parquet`` (with the rulebook's household inputs
    as columns), ``clan.parquet`` (with ``clan_promotes_learning``), ``organisation.parquet``,
    ``membership.parquet``, ``units.csv`` and ``unit_inputs.parquet`` (the inputs of the
    administrative levels and of organisations, one row per unit or organisation and input:
    ``level``, ``code``, ``name``, ``value``, null where not recorded).

    Parameters
    ----------
    folder : Path
        Where to write (created if needed).
    persons : int
        Persons of ``ls.synthetic_population``.
    seed : int
        Its seed; the inputs are ``ls.synthetic_inputs(pop, book, seed=0)``.
    holes : float
        Share of optional values to blank (0: the data as generated). For checking the
        three-valued semantics, not for timing.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    import learnsoc as ls
    from learnsoc.io.writers import write_csv

    folder.mkdir(parents=True, exist_ok=True)
    pop = ls.synthetic_population(persons=persons, seed=seed)
    book = ls.load_rulebook("vn-national")
    inputs = ls.synthetic_inputs(pop, book, seed=0)
    rng = np.random.default_rng([seed, 7])
    tables: dict[str, dict[str, NDArray[Any]]] = {
        "person": pop.columns("person"),
        # synthetic_inputs gives each level's values in the population's order, as columns().
        "household": {**pop.columns("household"), **inputs.pop("household")},
        "clan": {**pop.columns("clan"), **inputs.pop("clan")},
        "organisation": pop.columns("organisation"),
        "membership": pop.columns("membership"),
    }
    for name, cols in tables.items():
        if holes and name in ("person", "household", "clan"):
            _punch(cols, rng, holes)
        # Row groups of 2**20 rows, as io_read writes them (learnsoc reads one at a time).
        pq.write_table(_arrow_columns(cols), folder / f"{name}.parquet", row_group_size=1 << 20)
    write_csv(pop.hierarchy.to_columns(), folder / "units.csv")

    rows: dict[str, list[Any]] = {"level": [], "code": [], "name": [], "value": []}
    for level, by_name in inputs.items():
        if level == "organisation":
            codes = pop.organisation_ids.astype(str)
        else:
            codes = np.asarray(pop.hierarchy.codes_at(level)).astype(str)
        for name, values in by_name.items():
            numbers = np.asarray(values, dtype=np.float64)
            if holes:
                numbers[rng.random(len(numbers)) < holes] = np.nan
            rows["level"].extend([level] * len(codes))
            rows["code"].extend(codes.tolist())
            rows["name"].extend([name] * len(codes))
            rows["value"].extend([None if x != x else x for x in numbers.tolist()])
    table = pa.table(
        {
            "level": pa.array(rows["level"], pa.string()),
            "code": pa.array(rows["code"], pa.string()),
            "name": pa.array(rows["name"], pa.string()),
            "value": pa.array(rows["value"], pa.float64()),
        }
    )
    pq.write_table(table, folder / "unit_inputs.parquet")


def read_unit_inputs(folder: Path) -> dict[str, dict[str, dict[str, float | None]]]:
    """Return ``unit_inputs.parquet`` as learnsoc's ``inputs=``: ``{level: {name: {code: v}}}``."""
    import pyarrow.parquet as pq

    # ParquetFile, not read_table: that one imports pyarrow.dataset and pandas (0.2 s).
    table = pq.ParquetFile(folder / "unit_inputs.parquet").read().to_pydict()
    out: dict[str, dict[str, dict[str, float | None]]] = {}
    for level, code, name, value in zip(
        table["level"], table["code"], table["name"], table["value"], strict=True
    ):
        out.setdefault(level, {}).setdefault(name, {})[code] = value
    return out


# ------------------------------------------------------------------------------ learnsoc


def _national_book() -> Any:
    import learnsoc as ls

    return ls.load_rulebook("vn-national")


def _learnsoc_evaluate(folder: Path, book: Any) -> Any:
    from learnsoc.io import read_population
    from learnsoc.rules.engine import evaluate

    pop = read_population(
        folder / "person.parquet",
        households=folder / "household.parquet",
        units=folder / "units.csv",
        clans=folder / "clan.parquet",
        organisations=folder / "organisation.parquet",
        memberships=folder / "membership.parquet",
        schema=book.schema(),  # the household and clan inputs are columns of their files
        columns=book.columns_read(as_of=AS_OF),
        bars=False,
    )
    if pop.rejects:
        msg = f"learnsoc rejected records: {pop.rejects.describe('en')}"
        raise RuntimeError(msg)
    return evaluate(pop, book, AS_OF, inputs=read_unit_inputs(folder), trace=False)


def learnsoc_answer(folder: Path, book: Any = None) -> dict[str, int]:
    """Read the files with learnsoc, evaluate the whole rulebook and count the five titles.

    Parameters
    ----------
    folder : Path
        Written by :func:`prepare_national`.
    book : Rulebook, optional
        The rulebook (default: the bundled ``vn-national``).

    Returns
    -------
    dict of str to int
        Entities granted each title of :data:`TITLES`.
    """
    ev = _learnsoc_evaluate(folder, _national_book() if book is None else book)
    return {title: int(ev.titles(title).sum()) for title in TITLES}


def learnsoc_titles(folder: Path, book: Any = None) -> dict[str, set[str]]:
    """Return the ids of the entities learnsoc grants each title (unit codes for villages)."""
    from learnsoc.rules.context import entity_ids

    ev = _learnsoc_evaluate(folder, _national_book() if book is None else book)
    out: dict[str, set[str]] = {}
    for title in TITLES:
        ids = entity_ids(ev.population, ev.verdicts(title).level)
        out[title] = set(np.asarray(ids)[ev.titles(title)].astype(str).tolist())
    return out


# -------------------------------------------------------------------------------- DuckDB


def sql_path(path: Path | str) -> str:
    """Return a path (or glob) as an SQL string literal."""
    text = path.as_posix() if isinstance(path, Path) else path
    return "'" + text.replace("'", "''") + "'"


def national_ctes(
    tables: Mapping[str, str], parameters: Mapping[str, bool | int | float] | None = None
) -> str:
    """Return the query's CTEs over the given tables.

    ``tables`` maps ``person``, ``household``, ``clan`` and ``inputs`` to SQL table
    expressions (``read_parquet('...')`` or a subquery): the persons, the households with
    ``registered``, the clans with ``registered`` and ``clan_promotes_learning``, and the
    unit inputs (``level``, ``code``, ``name``, ``value``).
    """
    values = dict(PARAMETERS if parameters is None else parameters)
    for name in _SWITCHES:
        if values[name] != PARAMETERS[name]:
            msg = f"the SQL assumes {name} = {PARAMETERS[name]}, not {values[name]}"
            raise ValueError(msg)
    # repr() writes a float as the shortest decimal that reads back (0.7, not
    # 0.69999...): DuckDB reads it as an exact DECIMAL, so `families >= 0.7 * registered`
    # is decided exactly, like learnsoc's shares (7 of 10 passes).
    numbers = {k: repr(v) for k, v in values.items() if k not in _SWITCHES}
    return _CTES.format(**numbers, **{f"{k}_table": v for k, v in tables.items()})


def _ctes(folder: Path, parameters: Mapping[str, bool | int | float] | None) -> str:
    tables = {
        table: f"read_parquet({sql_path(folder / f'{table}.parquet')})"
        for table in ("person", "household", "clan")
    }
    tables["inputs"] = f"read_parquet({sql_path(folder / 'unit_inputs.parquet')})"
    return national_ctes(tables, parameters)


def national_query(folder: Path, parameters: Mapping[str, bool | int | float] | None = None) -> str:
    """Return the DuckDB query: one row ``(title, granted)`` per title of :data:`TITLES`.

    Parameters
    ----------
    folder : Path
        Written by :func:`prepare_national`.
    parameters : mapping, optional
        The rulebook's values (default :data:`PARAMETERS`, those of 2025-12-31).
    """
    return _ctes(folder, parameters) + COUNTS_SQL


def duckdb_answer(
    folder: Path, parameters: Mapping[str, bool | int | float] | None = None
) -> dict[str, int]:
    """Run :func:`national_query` and return ``{title: granted}``."""
    import duckdb

    con: Any = duckdb.connect()
    try:
        rows = con.sql(national_query(folder, parameters)).fetchall()
    finally:
        con.close()
    return {str(title): int(granted or 0) for title, granted in rows}


def duckdb_titles(
    folder: Path, parameters: Mapping[str, bool | int | float] | None = None
) -> dict[str, set[str]]:
    """Return the ids of the entities the SQL grants each title (unit codes for villages)."""
    import duckdb

    con: Any = duckdb.connect()
    try:
        rows = con.sql(_ctes(folder, parameters) + _GRANTED).fetchall()
    finally:
        con.close()
    out: dict[str, set[str]] = {title: set() for title in TITLES}
    for title, entity in rows:
        out[str(title)].add(str(entity))
    return out


# ----------------------------------------------------------------------------- the check


def rulebook_parameters(book: Any, as_of: str = AS_OF) -> dict[str, bool | int | float]:
    """Return the values of :data:`PARAMETERS`'s names in a rulebook on a date.

    Raises
    ------
    ValueError
        If a title's version in force is not the one the SQL encodes.
    """
    date = dt.date.fromisoformat(as_of)
    for title, start in VERSIONS.items():
        version, _ = book.title(title).version_at(date)
        if version.start.isoformat() != start:
            msg = f"{title}: the SQL encodes the version from {start}, not {version.start}"
            raise ValueError(msg)
    out: dict[str, bool | int | float] = {}
    for name in PARAMETERS:
        dated, _ = book.parameters[name].value_at(date)
        out[name] = dated.value
    return out


def _variant(share: float) -> Any:
    """Return ``vn-national`` with the family, clan and village shares set to ``share``."""
    from learnsoc.rules.rulebook import parse_rulebook

    text = f"""
[rulebook]
format = 1
id = "national-sql-check"
name = {{ vi = "kiểm tra", en = "check" }}
issuer = "learnsoc benchmarks"
version = "1"
extends = "vn-national"

[parameters.family_citizen_share]
values = [{{ from = 2021-01-01, value = {share!r} }}]

[parameters.clan_family_share]
value = {share!r}

[parameters.village_family_share]
value = {share!r}
"""
    return parse_rulebook(text)


def _timed(fn: Callable[[], _T], repeat: int) -> tuple[_T, float, float]:
    """Run ``fn`` ``repeat`` times; return its result, the first run's and the best time."""
    result: _T | None = None
    times: list[float] = []
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    assert result is not None
    return result, times[0], min(times)


def main(argv: list[str] | None = None) -> int:
    """Prepare the files, compute both answers, exit 1 if they differ."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--holes", type=float, default=0.0, help="share of values blanked")
    parser.add_argument("--shares", type=float, help="family/clan/village shares (a variant)")
    parser.add_argument("--entities", action="store_true", help="compare the granted ids too")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs; the best is kept")
    parser.add_argument("--data", type=Path, help="keep the files in this folder and reuse them")
    parser.add_argument(
        "--smoke", action="store_true", help="CI: 2,000 persons, national and variant, ids too"
    )
    args = parser.parse_args(argv)
    if args.smoke:
        # Both query shapes: the national rulebook as is, then the variant whose lower shares
        # grant clans and villages, with blanks (three-valued logic) and the ids compared.
        status = main(["--persons", "2000", "--entities"])
        variant = ["--persons", "2000", "--entities", "--holes", "0.05", "--shares", "0.3"]
        return status | main(variant)

    import duckdb

    import learnsoc as ls

    book = ls.load_rulebook("vn-national") if args.shares is None else _variant(args.shares)
    parameters = rulebook_parameters(book)
    if args.shares is None and parameters != PARAMETERS:
        print(f"the rulebook's values {parameters} differ from the SQL's {PARAMETERS}")
        return 1

    tmp = tempfile.mkdtemp(prefix="national_sql_")
    try:
        folder = args.data if args.data is not None else Path(tmp)
        marker = folder / "prepared.txt"
        key = f"{args.persons} {args.seed} {args.holes}"
        if not (marker.exists() and marker.read_text() == key):
            start = time.perf_counter()
            prepare_national(folder, args.persons, args.seed, holes=args.holes)
            marker.write_text(key)
            print(f"prepared {args.persons:,} persons in {time.perf_counter() - start:.1f} s")
        print(f"learnsoc {ls.__version__}, DuckDB {duckdb.__version__}; as of {AS_OF}")
        # The first run of each pays its lazy imports and cold caches; the best does not.
        ours, ours_first, ours_s = _timed(lambda: learnsoc_answer(folder, book), args.repeat)
        theirs, theirs_first, theirs_s = _timed(
            lambda: duckdb_answer(folder, parameters), args.repeat
        )
        print(f"{'title':24s} {'learnsoc':>10s} {'duckdb':>10s}")
        for title in TITLES:
            flag = "" if ours[title] == theirs[title] else "  DIFFERENT"
            print(f"{title:24s} {ours[title]:10,d} {theirs[title]:10,d}{flag}")
        print(
            f"time (first / best of {max(1, args.repeat)}): learnsoc {ours_first:.2f} / "
            f"{ours_s:.2f} s, DuckDB {theirs_first:.2f} / {theirs_s:.2f} s; "
            f"learnsoc / DuckDB = {ours_s / theirs_s:.2f}x"
        )
        failed = ours != theirs
        if args.entities:
            mine, sql = learnsoc_titles(folder, book), duckdb_titles(folder, parameters)
            for title in TITLES:
                only_ls, only_sql = mine[title] - sql[title], sql[title] - mine[title]
                if only_ls or only_sql:
                    failed = True
                    print(
                        f"{title}: {len(only_ls)} granted by learnsoc only "
                        f"(e.g. {sorted(only_ls)[:5]}), {len(only_sql)} by DuckDB only "
                        f"(e.g. {sorted(only_sql)[:5]})"
                    )
            if not failed:
                print("the granted ids are the same for every title")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failed:
        print("the answers differ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
