"""Reading persons from CSV and Parquet: learnsoc against pyarrow, polars and DuckDB.

Writes a synthetic population as an agency would (CSV with empty cells for missing
values; Parquet with typed, nullable columns), then times each reader in a fresh
process and records its peak memory (max RSS)::

    python -m benchmarks.io_read --persons 1000000
    python -m benchmarks.io_read --persons 10000000 --skip python --repeat 3

``learnsoc-*`` rows build a validated :class:`~learnsoc.Population` (every cell checked,
rejects located); the others only parse into their own tables (no checks), so they are
the floor to compare with. ``learnsoc.read_csv`` is learnsoc's CSV reader alone (the
file's cells into columns), the measurement to set beside the other parsers.

The end-to-end goal (issue 6) is checked by the run: time within 1.5x DuckDB's, and peak
memory above the interpreter (``baseline``: the same imports, nothing read) below 2x the
needed columns as Arrow arrays (the columns the rules and the population's ids read).
``--data FOLDER`` keeps the files between runs (written once if the folder is empty).
"""

from __future__ import annotations

import argparse
import importlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def _prepare(folder: Path, persons: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    import learnsoc as ls
    from learnsoc.io.writers import write_csv

    pop = ls.synthetic_population(persons=persons, seed=1)
    for table in ("person", "household"):
        cols = pop.columns(table)
        text: dict[str, Any] = {}
        arrow: dict[str, Any] = {}
        for k, v in cols.items():
            if v.dtype in (np.uint8, np.uint16):
                sentinel = 255 if v.dtype == np.uint8 else 65535
                missing = v == sentinel
                text[k] = np.where(missing, "", v.astype(str))
                arrow[k] = pa.array(v, mask=missing)
            elif v.dtype.kind == "f":
                text[k] = np.where(np.isnan(v), "", np.char.mod("%d", np.nan_to_num(v)))
                arrow[k] = pa.array(v, from_pandas=True).cast(pa.int64())
            else:
                text[k] = v
                arrow[k] = pa.array(v)
        write_csv(text, folder / f"{table}.csv")
        pq.write_table(pa.table(arrow), folder / f"{table}.parquet", row_group_size=1 << 20)
    write_csv(pop.hierarchy.to_columns(), folder / "units.csv")


def _peak_bytes() -> int:
    """Peak resident memory of this process (VmHWM: unlike ru_maxrss, not inherited on exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


_IMPORTS = {
    "baseline-learnsoc": (
        "pyarrow.parquet",
        "benchmarks.engine",
        "benchmarks.national_sql",
        "learnsoc.io",
        "learnsoc.rules.engine",
        "learnsoc.rules.rulebook",
    ),
    "baseline-duckdb": ("duckdb",),
}


def _one(name: str, folder: Path) -> dict[str, Any]:
    start = time.perf_counter()
    rows = 0
    answer: list[int] | None = None  # titles granted, for the end-to-end rows
    if name in ("learnsoc-csv", "learnsoc-python", "learnsoc-parquet"):
        from learnsoc.io import read_population

        kind = name.split("-", 1)[1]
        ext = "parquet" if kind == "parquet" else "csv"
        engine = "python" if kind == "python" else "auto"
        pop = read_population(
            folder / f"person.{ext}",
            households=folder / f"household.{ext}",
            units=folder / "units.csv",
            engine=engine,  # type: ignore[arg-type]
            bars=False,
        )
        rows = pop.n_persons
        assert not pop.rejects, pop.rejects
    elif name.startswith("baseline-"):
        # A row's imports, nothing read: what its interpreter and libraries take.
        for module in _IMPORTS[name]:
            importlib.import_module(module)
    elif name == "learnsoc.read_csv":
        from learnsoc.io.csv import read_csv

        rows = read_csv(folder / "person.csv").layout.n_records
    elif name == "learnsoc-parquet+evaluate":
        # End to end: read the Parquet files into a checked population, then evaluate the
        # workload's rulebook (learning citizen, family, village: benchmarks/engine.py).
        import warnings

        from benchmarks.engine import WORKLOAD
        from learnsoc.io import read_population
        from learnsoc.rules.engine import evaluate
        from learnsoc.rules.rulebook import parse_rulebook

        book = parse_rulebook(WORKLOAD)
        pop = read_population(
            folder / "person.parquet",
            households=folder / "household.parquet",
            units=folder / "units.csv",
            bars=False,
            columns=book.columns_read(),  # as DuckDB reads only the columns the SQL names
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ev = evaluate(pop, book, "2025-01-01", trace=False)
        rows = pop.n_persons
        answer = [int(ev.titles("learning_family").sum()), int(ev.titles("learning_village").sum())]
    elif name == "learnsoc-parquet+national":
        # The national rulebook, every title, from the Parquet files of prepare_national.
        from benchmarks.national_sql import TITLES, learnsoc_answer

        granted = learnsoc_answer(folder / "national")
        answer = [granted[t] for t in TITLES]
        rows = -1
    elif name == "duckdb.parquet+national-sql":
        from benchmarks.national_sql import TITLES, duckdb_answer

        granted = duckdb_answer(folder / "national")
        answer = [granted[t] for t in TITLES]
        rows = -1
    elif name == "duckdb.parquet+sql":
        # The same three rules as SQL over the same files, as a DuckDB user would write them.
        import duckdb

        sql_con: Any = duckdb.connect()
        persons, households = str(folder / "person.parquet"), str(folder / "household.parquet")
        # learnsoc's semantics, in SQL (Kleene logic, as SQL's AND/OR): a missing value is
        # skipped by all(...) and share(...) (as SQL aggregates skip NULL), and a group whose
        # eligible members are all missing is undecided (NULL); an undecided citizen is left
        # out of its family's share, an undecided family out of its village's; a title is
        # counted where it IS TRUE.
        query = f"""
            WITH p AS (
                SELECT household_id, age,
                       age >= 15 AND literate = 1 AND (learning_hours >= 40 OR qualification >= 3)
                           AND digital_skills = 1 AS citizen,
                       in_school = 1 AS in_school
                FROM read_parquet('{persons}')),
            h AS (
                SELECT household_id,
                       count(*) FILTER (age >= 15) AS adults,
                       count(citizen) FILTER (age >= 15) AS adults_known,
                       count(*) FILTER (age >= 15 AND citizen) AS citizens,
                       count(*) FILTER (age BETWEEN 6 AND 17) AS kids,
                       count(in_school) FILTER (age BETWEEN 6 AND 17) AS kids_known,
                       count(*) FILTER (age BETWEEN 6 AND 17 AND NOT in_school) AS kids_out
                FROM p GROUP BY household_id),
            f AS (
                SELECT hh.unit_code,
                       CASE WHEN coalesce(kids, 0) = 0 THEN TRUE WHEN kids_known = 0 THEN NULL
                            ELSE kids_out = 0 END
                       AND coalesce(adults, 0) >= 1
                       AND CASE WHEN coalesce(adults, 0) = 0 THEN FALSE
                                WHEN adults_known = 0 THEN NULL
                                ELSE 2 * citizens >= adults_known END AS family
                FROM read_parquet('{households}') hh LEFT JOIN h USING (household_id))
            SELECT unit_code, count(*) FILTER (family) AS families,
                   CASE WHEN count(family) = 0 THEN NULL
                        ELSE 10 * count(*) FILTER (family) >= 7 * count(family) END IS TRUE
                       AS village
            FROM f GROUP BY unit_code
        """  # noqa: S608 - paths made by this script
        found = sql_con.sql(query).fetchall()
        count = f"SELECT count(*) FROM read_parquet('{persons}')"  # noqa: S608
        rows = int(sql_con.sql(count).fetchall()[0][0])
        answer = [sum(int(r[1]) for r in found), sum(int(r[2]) for r in found)]
    elif name == "polars.parquet+streaming":
        # The same three rules as a polars expert writes them: one lazy query from
        # scan_parquet, run by the streaming engine. Same NULL semantics as the SQL above
        # (Kleene logic; sum() skips nulls as count(*) FILTER does).
        import polars as pl

        age, kid = pl.col("age"), pl.col("age").is_between(6, 17)
        adult = age >= 15
        citizen = (
            adult
            & (pl.col("literate") == 1)
            & ((pl.col("learning_hours") >= 40) | (pl.col("qualification") >= 3))
            & (pl.col("digital_skills") == 1)
        )
        per_household = (
            pl.scan_parquet(folder / "person.parquet")
            .group_by("household_id")
            .agg(
                adults=adult.sum(),
                adults_known=(adult & citizen.is_not_null()).sum(),
                citizens=citizen.sum(),
                kids=kid.sum(),
                kids_known=(kid & pl.col("in_school").is_not_null()).sum(),
                kids_out=(kid & (pl.col("in_school") != 1)).sum(),
            )
        )
        counts = pl.col("adults", "adults_known", "citizens", "kids", "kids_known", "kids_out")
        at_school = (
            pl.when(pl.col("kids") == 0)
            .then(True)
            .when(pl.col("kids_known") == 0)
            .then(None)
            .otherwise(pl.col("kids_out") == 0)
        )
        shares = (
            pl.when(pl.col("adults") == 0)
            .then(False)
            .when(pl.col("adults_known") == 0)
            .then(None)
            .otherwise(2 * pl.col("citizens") >= pl.col("adults_known"))
        )
        # Kleene logic (polars' & is Kleene on nulls, as SQL's AND); undecided stays null.
        family = at_school & (pl.col("adults") >= 1) & shares
        villages = (
            pl.scan_parquet(folder / "household.parquet")
            .select("household_id", "unit_code")
            .join(per_household, on="household_id", how="left")
            .with_columns(counts.fill_null(0))
            .with_columns(family=family)
            .group_by("unit_code")
            .agg(families=pl.col("family").sum(), known=pl.col("family").count())
            .select(
                "families",
                village=(
                    (pl.col("known") > 0) & (10 * pl.col("families") >= 7 * pl.col("known"))
                ).fill_null(False),
            )
            .sum()
            .collect(engine="streaming")
        )
        rows = int(pl.scan_parquet(folder / "person.parquet").select(pl.len()).collect().item())
        answer = [int(villages["families"][0]), int(villages["village"][0])]
    elif name == "pyarrow.csv":
        import pyarrow.csv as pacsv

        rows = pacsv.read_csv(folder / "person.csv").num_rows
    elif name == "polars.read_csv":
        import polars as pl

        rows = pl.read_csv(folder / "person.csv").height
    elif name == "polars.read_csv(text)":
        import polars as pl

        rows = pl.read_csv(folder / "person.csv", infer_schema=False).height
    elif name == "pyarrow.parquet":
        import pyarrow.parquet as pq

        rows = pq.read_table(folder / "person.parquet").num_rows
    elif name == "duckdb.parquet":
        import duckdb

        con: Any = duckdb.connect()
        path = str(folder / "person.parquet")
        query = f"SELECT * FROM read_parquet('{path}')"  # noqa: S608
        rows = con.execute(query).to_arrow_table().num_rows
    else:
        msg = f"unknown measurement {name!r}"
        raise ValueError(msg)
    seconds = time.perf_counter() - start
    peak = _peak_bytes()
    out = {"name": name, "seconds": round(seconds, 3), "rows": rows, "peak_bytes": peak}
    if answer is not None:
        out["answer"] = answer
    return out


NAMES = (
    "baseline-learnsoc",
    "baseline-duckdb",
    "learnsoc-csv",
    "learnsoc-python",
    "learnsoc.read_csv",
    "pyarrow.csv",
    "polars.read_csv",
    "polars.read_csv(text)",
    "learnsoc-parquet",
    "pyarrow.parquet",
    "duckdb.parquet",
    "learnsoc-parquet+evaluate",
    "duckdb.parquet+sql",
    "polars.parquet+streaming",
    "learnsoc-parquet+national",
    "duckdb.parquet+national-sql",
)

#: End-to-end rows: (learnsoc's, DuckDB's, the rulebook whose columns they need, its date).
PAIRS = (
    ("learnsoc-parquet+evaluate", "duckdb.parquet+sql", "benchmark", None),
    ("learnsoc-parquet+national", "duckdb.parquet+national-sql", "vn-national", "2025-12-31"),
)


#: End-to-end rows of other tools checked against learnsoc's: (learnsoc's, theirs).
OTHER_PEERS = (("learnsoc-parquet+evaluate", "polars.parquet+streaming"),)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--skip", nargs="*", default=[], help="measurements to leave out")
    parser.add_argument("--out", type=Path, help="write the results as JSON")
    parser.add_argument("--smoke", action="store_true", help="CI: 20,000 persons, checks only")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; best kept")
    parser.add_argument("--only", nargs="*", default=[], help="measurements to run (all)")
    parser.add_argument("--data", type=Path, help="keep the files in this folder and reuse them")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(_one(args.one, args.folder)))
        return 0
    persons = 20_000 if args.smoke else args.persons
    unknown = sorted(set(args.only) - set(NAMES))
    if unknown:
        parser.error(f"unknown measurement(s) {unknown}; choose from {list(NAMES)}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.data if args.data is not None and not args.smoke else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        marker = folder / "persons.txt"
        if not (marker.exists() and marker.read_text() == str(persons)):
            _prepare(folder, persons)
            marker.write_text(str(persons))
        sizes = {
            p.name: p.stat().st_size
            for p in folder.iterdir()
            if p.is_file() and p.name != marker.name
        }
        print(
            f"{persons:,} persons; files: "
            + ", ".join(f"{k} {v / 1e6:.0f} MB" for k, v in sizes.items())
        )
        national = folder / "national"
        wanted = [n for n in NAMES if n not in args.skip and (not args.only or n in args.only)]
        if any(n.endswith("national") or n.endswith("national-sql") for n in wanted):
            from benchmarks.national_sql import prepare_national

            marker = national / "persons.txt"
            if not (marker.exists() and marker.read_text() == str(persons)):
                prepare_national(national, persons, seed=1)
                marker.write_text(str(persons))
        # The needed columns' size, measured while the files exist.
        needed_bytes = {
            ours: _needed_bytes(folder if rulebook == "benchmark" else national, rulebook, as_of)
            for ours, _, rulebook, as_of in PAIRS
            if ours in wanted
        }
        results = []
        for name in NAMES:
            if name in args.skip or any(s in name for s in args.skip):
                continue
            if args.only and name not in args.only:
                continue
            runs = []
            for _ in range(1 if args.smoke else args.repeat):
                command = [sys.executable, "-m", "benchmarks.io_read", "--one", name]
                done = subprocess.run(
                    [*command, "--folder", str(folder)],
                    capture_output=True,
                    text=True,
                    check=True,
                    cwd=ROOT,
                )
                runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
            # Each run is a fresh process (cold imports and allocations, as in an ETL job);
            # the machine's noise only ever adds time, so the fastest run is kept.
            result = min(runs, key=lambda r: r["seconds"])
            result["all_seconds"] = [r["seconds"] for r in runs]
            results.append(result)
            print(
                f"{name:24s} {result['seconds']:8.2f} s  peak {result['peak_bytes'] / 1e6:8.0f} MB"
            )
    by_name = {r["name"]: r for r in results}
    summary: dict[str, Any] = {}
    for ours, theirs, _, _ in PAIRS:
        if ours not in by_name or theirs not in by_name:
            continue
        mine, sql = by_name[ours]["answer"], by_name[theirs]["answer"]
        if mine != sql:
            msg = f"{ours} and {theirs} disagree on the titles granted: {mine} and {sql}"
            raise SystemExit(msg)
        ratio = by_name[ours]["seconds"] / by_name[theirs]["seconds"]
        needed = needed_bytes[ours]
        summary[ours] = {"time_vs_duckdb": round(ratio, 3), "needed_columns_bytes": needed}
        print(f"{ours}: same titles granted as DuckDB {mine}; {ratio:.2f}x DuckDB's time")
        for row, baseline in ((ours, "baseline-learnsoc"), (theirs, "baseline-duckdb")):
            if baseline not in by_name:
                continue
            base = by_name[baseline]["peak_bytes"]
            extra = by_name[row]["peak_bytes"] - base
            summary[ours][f"{row} memory_vs_needed"] = round(extra / needed, 3)
            print(
                f"  {row}: peak {extra / 1e6:.0f} MB above its interpreter "
                f"({base / 1e6:.0f} MB) = {extra / needed:.2f}x the needed columns "
                f"({needed / 1e6:.0f} MB as Arrow)"
            )
    for ours, theirs in OTHER_PEERS:
        if ours not in by_name or theirs not in by_name:
            continue
        mine, other = by_name[ours]["answer"], by_name[theirs]["answer"]
        if mine != other:
            msg = f"{ours} and {theirs} disagree on the titles granted: {mine} and {other}"
            raise SystemExit(msg)
        ratio = by_name[ours]["seconds"] / by_name[theirs]["seconds"]
        summary.setdefault(ours, {})[f"time_vs_{theirs}"] = round(ratio, 3)
        print(f"{ours}: same titles granted as {theirs} {mine}; {ratio:.2f}x its time")
    if args.out:
        record = {"persons": persons, "summary": summary, "results": results}
        args.out.write_text(json.dumps(record, indent=1))
    return 0


def _needed_bytes(folder: Path, rulebook: str, as_of: str | None) -> int:
    """Return the Arrow size of the columns an end-to-end row needs: rules' inputs and ids."""
    import pyarrow.parquet as pq

    import learnsoc as ls
    from benchmarks.engine import WORKLOAD
    from learnsoc.rules.rulebook import parse_rulebook

    book = parse_rulebook(WORKLOAD) if rulebook == "benchmark" else ls.load_rulebook(rulebook)
    total = 0
    for source in sorted(folder.glob("*.parquet")):
        if source.name == "unit_inputs.parquet":
            continue  # a few thousand units' inputs, read into Python by both tools
        # What learnsoc reads of a table: ids and required columns, and what the rules read.
        specs = book.schema().table(source.stem).columns
        wanted = set(book.columns_read(as_of=as_of))
        wanted |= {c.name for c in specs if c.kind == "id" or c.required}
        table = pq.ParquetFile(source)
        columns = [c for c in table.schema_arrow.names if c in wanted]
        total += table.read(columns=columns).nbytes
    return int(total)


if __name__ == "__main__":
    raise SystemExit(main())
