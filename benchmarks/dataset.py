"""End to end from a partitioned Parquet dataset: learnsoc, DuckDB and polars on the same files.

Issue 13's performance goals. One synthetic dataset (``learnsoc synth``, partitioned by
province) is written, then each tool runs in its own process on the same files, so that
each peak resident memory is its own:

- ``learnsoc-dataset``: ``ls.evaluate_dataset`` with the bundled ``vn-national`` rulebook
  (every title) and its rollup, one partition in memory at a time;
- ``learnsoc-dataset-sql-titles``, ``learnsoc-dataset-polars-titles``: the same on the
  same work as DuckDB's and polars' (the rulebook reduced to the titles each computes with
  ``Rulebook.select``: those and the titles and variables they are decided from);
- ``learnsoc-dataset-workers``: the same with ``workers=`` one process per core (DuckDB
  and polars use every core by default); its peak memory is the first process's only
  (it runs partitions too): each other process holds one partition more;
- ``learnsoc-in-memory``: the same rulebook and rollup on the whole population read into
  memory from one Parquet file per table (``read_population`` with
  ``columns=book.columns_read(...)``): the "in-memory path, reading included";
- ``duckdb-sql``: DuckDB running the SQL twin of the rulebook's population-scale titles
  (``benchmarks/national_sql.py``'s query) on the dataset's files (``persons/*/*.parquet``);
- ``polars-streaming``: the person, household and village titles as one lazy polars plan,
  ``pl.scan_parquet(...).group_by(...)`` collected with ``engine="streaming"``;
- ``learnsoc-dataset-verdicts``, ``duckdb-sql-verdicts``: the job of ``learnsoc evaluate
  DIR --out``, every entity's verdicts written to Parquet (learnsoc: all fourteen titles,
  with the criteria failed and unknown, one file per partition; DuckDB: one ``COPY`` of
  its five titles' verdicts), each tool then counting the granted rows of its own files;
- ``learnsoc-startup``: what every learnsoc run pays first (its imports, loading and
  compiling the rulebook, opening the dataset), to tell fixed costs from work per person.

Every tool's counts of the titles it computes must equal learnsoc's (exit 1 otherwise).
The inputs the SQL twin reads beside the census columns (``clan_promotes_learning`` per
clan, ``village_learning_activities`` per village) are drawn once and written beside the
dataset; learnsoc gets them as ``inputs=`` (mappings from id and code). The other
recorded inputs of the rulebook are not given: their titles are unknown for every tool
that computes them, and learnsoc still evaluates all of the rulebook's titles.

Times are wall seconds inside the worker, from before the tool's imports to its answer
(the interpreter's start is left out for every tool); peak memory is the worker's VmHWM.
learnsoc's bytecode and catalogs are compiled first, as an installed learnsoc's are.

    python -m benchmarks.dataset --persons 1000000 --repeat 3 --data /tmp/ds-1m
    python -m benchmarks.dataset --persons 10000000 --repeat 3 --data /tmp/ds-10m
    python -m benchmarks.dataset --smoke          # CI: 3,000 persons, every tool once
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.national_sql import AS_OF, COUNTS_SQL, PARAMETERS, TITLES, national_ctes, sql_path

TOOLS = (
    "learnsoc-dataset",
    "learnsoc-dataset-sql-titles",
    "learnsoc-dataset-polars-titles",
    "learnsoc-dataset-workers",
    "learnsoc-dataset-verdicts",
    "learnsoc-in-memory",
    "duckdb-sql",
    "duckdb-sql-verdicts",
    "polars-streaming",
    "learnsoc-startup",
)
#: The titles each peer computes (learnsoc computes every title of the rulebook);
#: ``learnsoc-startup`` (imports, rulebook, opening the dataset) computes none.
PEER_TITLES: dict[str, tuple[str, ...]] = {
    "learnsoc-startup": (),
    "learnsoc-dataset-workers": TITLES,
    "learnsoc-in-memory": TITLES,
    "duckdb-sql": TITLES,
    "learnsoc-dataset-verdicts": TITLES,
    "duckdb-sql-verdicts": TITLES,
    "polars-streaming": (
        "learning_citizen",
        "learning_citizen_proxy",
        "learning_family",
        "learning_community",
    ),
}
#: learnsoc on the same work as a peer: the rulebook reduced to the peer's titles
#: (``Rulebook.select``: those and what they are decided from), each tool's answer checked.
SAME_TITLES = {
    "learnsoc-dataset-sql-titles": "duckdb-sql",
    "learnsoc-dataset-polars-titles": "polars-streaming",
}
#: The job of ``learnsoc evaluate DIR --out``: every entity's verdicts written to Parquet
#: (learnsoc all fourteen titles' verdicts with their criteria, DuckDB its five titles'),
#: each tool then counting the granted rows of its own files, which must agree.
VERDICTS = {"learnsoc-dataset-verdicts": "duckdb-sql-verdicts"}
PEER_TITLES.update({mine: PEER_TITLES[peer] for mine, peer in SAME_TITLES.items()})
#: Above this many persons the in-memory path is not run (it is what the dataset avoids).
IN_MEMORY_MAX = 30_000_000
_TABLES = {
    "persons": "person",
    "households": "household",
    "clans": "clan",
    "organisations": "organisation",
    "memberships": "membership",
}
_ROOT = Path(__file__).resolve().parents[1]


# ----------------------------------------------------------------------------- the files


def prepare(data: Path, persons: int, seed: int, *, whole: bool) -> dict[str, Any]:
    """Write the dataset (in a worker, measured), the inputs and, if asked, whole files."""
    marker = data / "prepared.json"
    key = {"persons": persons, "seed": seed}
    if marker.exists():
        done = json.loads(marker.read_text())
        if done["key"] == key and (done["whole"] or not whole):
            return dict(done["synth"])
        shutil.rmtree(data / "dataset", ignore_errors=True)
    shutil.rmtree(data / "whole", ignore_errors=True)
    shutil.rmtree(data / "inputs", ignore_errors=True)
    data.mkdir(parents=True, exist_ok=True)
    if not (data / "dataset" / "manifest.json").exists():
        shutil.rmtree(data / "dataset", ignore_errors=True)
        synth = _worker(
            "synth", data, "--persons", str(persons), "--seed", str(seed)
        )  # learnsoc synth, in its own process: its peak is the writer's
    else:
        synth = {"seconds": float("nan"), "peak_bytes": 0}
    write_inputs(data, seed)
    if whole:
        write_whole(data)
    marker.write_text(json.dumps({"key": key, "whole": whole, "synth": synth}))
    return synth


def write_inputs(data: Path, seed: int) -> None:
    """Draw ``clan_promotes_learning`` per clan and ``village_learning_activities`` per village."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    import learnsoc as ls

    ds = ls.read_dataset(data / "dataset")
    rng = np.random.default_rng([seed, 13])
    clans = pa.concat_arrays(
        [
            pq.ParquetFile(ds.files(key)["clans"])
            .read(columns=["clan_id"])
            .column(0)
            .combine_chunks()
            for key in ds.partitions
        ]
    )
    folder = data / "inputs"
    folder.mkdir(exist_ok=True)
    promotes = pa.array(rng.random(len(clans)) < 0.9)
    pq.write_table(
        pa.table({"clan_id": clans, "clan_promotes_learning": promotes}),
        folder / "clan_inputs.parquet",
    )
    villages = ds.hierarchy.codes_at("village")
    values = (rng.random(len(villages)) < 0.9).astype(np.float64)
    pq.write_table(
        pa.table(
            {
                "level": pa.array(["village"] * len(villages), pa.string()),
                "code": pa.array(villages.tolist(), pa.string()),
                "name": pa.array(["village_learning_activities"] * len(villages), pa.string()),
                "value": pa.array(values, pa.float64()),
            }
        ),
        folder / "unit_inputs.parquet",
    )


def write_whole(data: Path) -> None:
    """Write each table of the dataset as one Parquet file (for the in-memory path)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    import learnsoc as ls

    ds = ls.read_dataset(data / "dataset")
    folder = data / "whole"
    folder.mkdir(exist_ok=True)
    for table, name in _TABLES.items():
        parts = [pq.ParquetFile(ds.files(key)[table]).read() for key in ds.partitions]
        pq.write_table(pa.concat_tables(parts), folder / f"{name}.parquet", row_group_size=1 << 20)


def read_inputs(data: Path) -> dict[str, dict[str, dict[Any, Any]]]:
    """Return the drawn inputs as learnsoc's ``inputs=`` (mappings from id and code)."""
    import pyarrow.parquet as pq

    clans = pq.ParquetFile(data / "inputs" / "clan_inputs.parquet").read().to_pydict()
    units = pq.ParquetFile(data / "inputs" / "unit_inputs.parquet").read().to_pydict()
    return {
        "clan": {
            "clan_promotes_learning": dict(
                zip(clans["clan_id"], clans["clan_promotes_learning"], strict=True)
            )
        },
        "village": {
            "village_learning_activities": {
                code: bool(v) for code, v in zip(units["code"], units["value"], strict=True)
            }
        },
    }


# ----------------------------------------------------------------------------- the tools


def _granted(summary: Any) -> dict[str, int]:
    return {row.title: int(row.passed) for row in summary.rows if row.title in TITLES}


def run_learnsoc_dataset(
    data: Path, workers: int | None = None, titles: tuple[str, ...] = (), verdicts: bool = False
) -> dict[str, int]:
    import learnsoc as ls

    out = None
    if verdicts:
        out = data / "out-learnsoc"
        shutil.rmtree(out, ignore_errors=True)

    book = ls.load_rulebook("vn-national")
    if titles:
        book = book.select(titles)
    # Only the columns the rulebook reads, as the in-memory path and DuckDB read them.
    ds = ls.read_dataset(data / "dataset", columns=book.columns_read(as_of=AS_OF))
    inputs = read_inputs(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # inputs not given, an abolished procedure
        ev = ls.evaluate_dataset(ds, book, AS_OF, inputs=inputs, workers=workers, verdicts_out=out)
        ev.rollup()
    if out is not None:
        return _granted_in_files(out / "verdicts")
    return _granted(ev.summary())


def _granted_in_files(folder: Path) -> dict[str, int]:
    """Count the granted rows per title of verdict files (a tool checking its own output).

    Batch by batch, as DuckDB's ``count(*)`` over its file streams: the check must not
    hold the files' 230M rows at 100M (it took the worker's peak to 8.8 GiB).
    """
    import pyarrow.compute as pc
    import pyarrow.dataset as pads

    found = dict.fromkeys(TITLES, 0)
    for batch in pads.dataset(folder, format="parquet").to_batches(columns=["title", "passed"]):
        granted = batch.filter(batch.column("passed"))
        for entry in pc.value_counts(granted.column("title")).to_pylist():
            if entry["values"] in found:
                found[entry["values"]] += int(entry["counts"])
    return found


def run_learnsoc_startup(data: Path) -> dict[str, int]:
    """What every learnsoc run pays first: its imports and the rulebook's loading."""
    import learnsoc as ls
    import learnsoc.scale

    ls.load_rulebook("vn-national")
    ls.read_dataset(data / "dataset")
    return {}


def run_learnsoc_in_memory(data: Path) -> dict[str, int]:
    import learnsoc as ls
    from learnsoc.io import read_population

    book = ls.load_rulebook("vn-national")
    folder = data / "whole"
    pop = read_population(
        folder / "person.parquet",
        households=folder / "household.parquet",
        hierarchy=ls.read_dataset(data / "dataset").hierarchy,
        clans=folder / "clan.parquet",
        organisations=folder / "organisation.parquet",
        memberships=folder / "membership.parquet",
        columns=book.columns_read(as_of=AS_OF),
        bars=False,
    )
    if pop.rejects:
        msg = f"learnsoc rejected records: {pop.rejects.describe('en')}"
        raise RuntimeError(msg)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ls.evaluate(pop, book, AS_OF, inputs=read_inputs(data), trace=False)
        ev.rollup()
    return _granted(ev.summary())


def dataset_query(data: Path) -> str:
    """Return the SQL twin over the dataset's files (one row per title: title, granted)."""
    ds, inputs = data / "dataset", data / "inputs"

    def scan(table: str) -> str:
        return f"read_parquet({sql_path(ds.as_posix() + f'/{table}/*/*.parquet')})"

    tables = {
        "person": scan("persons"),
        "household": scan("households"),
        # The clans with their recorded input, joined from the file beside the dataset.
        "clan": "(SELECT c.*, i.clan_promotes_learning FROM {clans} AS c LEFT JOIN "  # noqa: S608
        "read_parquet({inputs}) AS i USING (clan_id))".format(
            clans=scan("clans"), inputs=sql_path(inputs / "clan_inputs.parquet")
        ),
        "inputs": f"read_parquet({sql_path(inputs / 'unit_inputs.parquet')})",
    }
    return national_ctes(tables) + COUNTS_SQL


def run_duckdb(data: Path) -> dict[str, int]:
    import duckdb

    con: Any = duckdb.connect()
    try:
        rows = con.sql(dataset_query(data)).fetchall()
    finally:
        con.close()
    return {str(title): int(granted or 0) for title, granted in rows}


#: Every entity's verdict of the five titles, one row each, as learnsoc's verdict files
#: have them (level, id as text, title, granted, known).
_VERDICT_ROWS = """
SELECT 'person' AS level, CAST(person_id AS VARCHAR) AS id, 'learning_citizen' AS title,
       coalesce(learning_citizen, false) AS passed, learning_citizen IS NOT NULL AS known
FROM person
UNION ALL
SELECT 'person', CAST(person_id AS VARCHAR), 'learning_citizen_proxy',
       learning_citizen_proxy, true
FROM person
UNION ALL
SELECT 'household', CAST(household_id AS VARCHAR), 'learning_family', learning_family,
       family_known
FROM family
UNION ALL
SELECT 'clan', CAST(clan_id AS VARCHAR), 'learning_clan', learning_clan, true FROM clan
UNION ALL
SELECT 'village', unit_code, 'learning_community', learning_community, true FROM village
"""


def run_duckdb_verdicts(data: Path) -> dict[str, int]:
    """The SQL twin's verdicts of every entity written to one Parquet file, then counted.

    As an expert writes it: one ``COPY`` of the query, the persons' CTE materialized once
    for its two titles and the households' counts.
    """
    import duckdb

    out = data / "out-duckdb.parquet"
    out.unlink(missing_ok=True)
    ctes = dataset_query(data).removesuffix(COUNTS_SQL)
    ctes = ctes.replace("person AS (", "person AS MATERIALIZED (", 1)
    con: Any = duckdb.connect()
    try:
        con.execute(
            f"COPY ({ctes} {_VERDICT_ROWS}) TO {sql_path(out)} (FORMAT parquet, COMPRESSION zstd)"
        )
        rows = con.sql(
            f"SELECT title, count(*) FILTER (passed) FROM read_parquet({sql_path(out)}) "  # noqa: S608
            "GROUP BY title"
        ).fetchall()
    finally:
        con.close()
    found = {str(title): int(n) for title, n in rows}
    return {t: found.get(t, 0) for t in TITLES}


def _share(name: str) -> tuple[int, int]:
    """Return a share parameter as (numerator, denominator): compared exactly, as DuckDB does."""
    share = Fraction(repr(PARAMETERS[name]))
    return share.numerator, share.denominator


def run_polars(data: Path) -> dict[str, int]:
    """The person, household and village titles as one lazy plan, run by the streaming engine.

    As a polars expert writes it: one ``group_by`` per level with every counter at once,
    Kleene logic on nulls (polars' ``&`` is SQL's AND; ``sum()`` skips nulls as
    ``count(*) FILTER`` does), shares compared in integers.
    """
    import polars as pl

    p = PARAMETERS
    ds = data / "dataset"
    age = pl.col("age")
    school_age = age.is_between(p["school_age_min"], p["school_age_max"])
    adult = age.is_between(p["adult_min_age"], p["adult_max_age"])
    grown = age >= p["citizen_min_age"]
    citizen = grown & pl.col("recognised_learning_citizen")
    learning = (
        (pl.col("learning_hours") >= p["proxy_learning_hours"])
        | pl.col("self_study")
        | pl.col("community_learning")
    )
    points = (
        50
        + 15 * ((pl.col("education") >= 2) | (pl.col("qualification") >= 1)).fill_null(False)
        + 20 * pl.col("digital_skills").fill_null(False)
        + 5 * pl.col("information_literacy").fill_null(False)
        + 10 * pl.col("life_skills").fill_null(False)
    )
    proxy = (grown & pl.col("literate") & learning).fill_null(False) & (points >= 80)
    members = (
        pl.scan_parquet(ds / "persons" / "*" / "*.parquet", hive_partitioning=False)
        .group_by("household_id")
        .agg(
            children=school_age.sum(),
            children_known=(school_age & pl.col("in_school").is_not_null()).sum(),
            children_out=(school_age & ~pl.col("in_school")).sum(),
            adults=adult.sum(),
            adult_citizens=(adult & citizen).sum(),
            adults_known=(adult & citizen.is_not_null()).sum(),
            citizens=citizen.sum(),
            proxies=proxy.sum(),
        )
    )
    num, den = _share("family_citizen_share")
    at_school = (
        pl.when(pl.col("children") == 0)
        .then(True)
        .when(pl.col("children_known") == 0)
        .then(None)
        .otherwise(pl.col("children_out") == 0)
    )
    enough = (
        pl.when(pl.col("adults") == 0)
        .then(False)
        .when(pl.col("adults_known") == 0)
        .then(None)
        .otherwise(den * pl.col("adult_citizens") >= num * pl.col("adults_known"))
    )
    counts = pl.col("children", "children_known", "children_out", "adults", "adults_known")
    family = (
        pl.scan_parquet(ds / "households" / "*" / "*.parquet", hive_partitioning=False)
        .select("household_id", "unit_code", "registered")
        .join(members.drop("citizens", "proxies"), on="household_id", how="left")
        .with_columns(counts.fill_null(0), pl.col("adult_citizens").fill_null(0))
        .with_columns(verdict=pl.col("registered") & at_school & enough)
        .select(
            "unit_code",
            "registered",
            learning_family=pl.col("verdict").fill_null(False),
            known=pl.col("verdict").is_not_null(),
        )
    )
    vnum, vden = _share("village_family_share")
    villages = (
        pl.scan_parquet(data / "inputs" / "unit_inputs.parquet")
        .filter((pl.col("level") == "village") & (pl.col("name") == "village_learning_activities"))
        .select(unit_code="code", value="value")
        .join(
            family.group_by("unit_code").agg(
                registered=(pl.col("registered") & pl.col("known")).sum(),
                learning_families=pl.col("learning_family").sum(),
            ),
            on="unit_code",
            how="left",
        )
        .select(
            learning_community=(
                (pl.col("registered") > 0)
                & (vden * pl.col("learning_families") >= vnum * pl.col("registered"))
                & (pl.col("value") == 1)
            )
            .fill_null(False)
            .sum()
        )
    )
    people = members.select(pl.col("citizens").sum(), pl.col("proxies").sum())
    families = family.select(pl.col("learning_family").sum())
    a, b, c = pl.collect_all([people, families, villages], engine="streaming")
    return {
        "learning_citizen": int(a["citizens"][0]),
        "learning_citizen_proxy": int(a["proxies"][0]),
        "learning_family": int(b["learning_family"][0]),
        "learning_community": int(c["learning_community"][0]),
    }


def run_synth(data: Path, persons: int, seed: int) -> dict[str, int]:
    from learnsoc.synth import write_synthetic_dataset

    ds = write_synthetic_dataset(data / "dataset", persons=persons, seed=seed)
    return {"partitions": len(ds.partitions), "persons": ds.n_persons}


# --------------------------------------------------------------------------- the workers


def _worker(name: str, data: Path, *extra: str) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; return its JSON line."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_ROOT), env.get("PYTHONPATH", "")]))
    command = [sys.executable, "-m", "benchmarks.dataset", "--worker", name, "--data", str(data)]
    done = subprocess.run(
        [*command, *extra], capture_output=True, text=True, env=env, cwd=_ROOT, check=False
    )
    if done.returncode != 0:
        msg = f"{name} failed:\n{done.stderr[-3000:]}"
        raise RuntimeError(msg)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _work(name: str, data: Path, persons: int, seed: int) -> None:
    from benchmarks.memory import peak_bytes

    start = time.perf_counter()
    answer: Mapping[str, int]
    if name == "synth":
        answer = run_synth(data, persons, seed)
    elif name == "learnsoc-dataset":
        answer = run_learnsoc_dataset(data)
    elif name in SAME_TITLES:
        answer = run_learnsoc_dataset(data, titles=PEER_TITLES[name])
    elif name == "learnsoc-dataset-workers":
        # One process per core, as DuckDB and polars use every core by default.
        answer = run_learnsoc_dataset(data, workers=os.cpu_count() or 1)
    elif name == "learnsoc-dataset-verdicts":
        answer = run_learnsoc_dataset(data, verdicts=True)
    elif name == "learnsoc-in-memory":
        answer = run_learnsoc_in_memory(data)
    elif name == "duckdb-sql":
        answer = run_duckdb(data)
    elif name == "duckdb-sql-verdicts":
        answer = run_duckdb_verdicts(data)
    elif name == "polars-streaming":
        answer = run_polars(data)
    elif name == "learnsoc-startup":
        answer = run_learnsoc_startup(data)
    else:
        msg = f"unknown worker {name!r}"
        raise ValueError(msg)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "peak_bytes": peak_bytes(), "answer": dict(answer)}))


# ------------------------------------------------------------------------------ the run


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def _versions() -> str:
    import duckdb
    import polars as pl

    import learnsoc as ls

    return f"learnsoc {ls.__version__}, DuckDB {duckdb.__version__}, polars {pl.__version__}"


def compile_learnsoc() -> None:
    """Compile learnsoc's bytecode and catalogs, as an installed learnsoc has them.

    A checkout run with ``PYTHONDONTWRITEBYTECODE`` (as on CI machines) would otherwise
    compile every module from source in every worker: 0.3 s that no installed learnsoc
    pays, while DuckDB and polars are compiled code. A checkout also has only the
    ``.po`` catalogs, compiled in memory at each start (0.08 s) where a wheel ships the
    ``.mo`` files its build hook (hatch_build.py) writes; they are written here the same
    way (git-ignored, and ignored by learnsoc once older than their ``.po``).
    """
    import compileall

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    compileall.compile_dir(_ROOT / "learnsoc", quiet=1)
    for po in sorted((_ROOT / "learnsoc" / "locale").glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as f:
            catalog = read_po(f)
        with po.with_suffix(".mo").open("wb") as f:
            write_mo(f, catalog, use_fuzzy=False)


def measure(
    data: Path, persons: int, tools: list[str], repeat: int
) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """Run each tool ``repeat`` times, interleaved; return the runs and the load averages."""
    runs: dict[str, list[dict[str, Any]]] = {t: [] for t in tools}
    compile_learnsoc()
    loads = [_load()]
    for _ in range(repeat):
        for tool in tools:
            runs[tool].append(_worker(tool, data))
        loads.append(_load())
    return runs, loads


def check(runs: Mapping[str, list[dict[str, Any]]]) -> list[str]:
    """Return the differences between each tool's counts and learnsoc-dataset's."""
    ours = runs["learnsoc-dataset"][0]["answer"] if "learnsoc-dataset" in runs else None
    problems = []
    for tool, results in runs.items():
        for result in results:
            if ours is None or tool in ("learnsoc-dataset", "learnsoc-startup"):
                if result["answer"] != results[0]["answer"]:
                    problems.append(f"{tool}: runs differ")
                continue
            problems.extend(
                f"{tool}: {title} {result['answer'][title]:,} (learnsoc-dataset {ours[title]:,})"
                for title in PEER_TITLES[tool]
                if result["answer"][title] != ours[title]
            )
    return sorted(set(problems))


def report(
    persons: int,
    synth: Mapping[str, Any],
    runs: Mapping[str, list[dict[str, Any]]],
    loads: list[str],
) -> str:
    lines = [
        f"{persons:,} persons; {_versions()}; load average (1, 5, 15 min) before and after "
        f"each round: {' -> '.join(loads)}",
        "",
        f"learnsoc synth: {synth['seconds']:.1f} s, peak {synth['peak_bytes'] / 2**20:,.0f} MiB"
        f" ({synth.get('answer', {}).get('partitions', '?')} partitions)",
        "",
        "| tool | best (s) | median (s) | ns per person (best) | peak memory (MiB) "
        "| best / learnsoc-dataset's |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    best = {t: min(r["seconds"] for r in rs) for t, rs in runs.items()}
    ref = best.get("learnsoc-dataset")
    for tool, rs in runs.items():
        median = statistics.median(r["seconds"] for r in rs)
        peak = max(r["peak_bytes"] for r in rs) / 2**20
        ratio = f"{best[tool] / ref:.2f}x" if ref else ""
        lines.append(
            f"| {tool} | {best[tool]:.2f} | {median:.2f} | {best[tool] / persons * 1e9:.0f} "
            f"| {peak:,.0f} | {ratio} |"
        )
    if ref:
        lines.append("")
        lines.extend(
            f"learnsoc-dataset / {tool}: {ref / best[tool]:.2f}x"
            for tool in ("duckdb-sql", "polars-streaming", "learnsoc-in-memory")
            if tool in best
        )
        if "learnsoc-dataset-workers" in best:
            mine = best["learnsoc-dataset-workers"]
            lines.extend(
                f"learnsoc-dataset-workers ({os.cpu_count()} processes) / {tool}: "
                f"{mine / best[tool]:.2f}x"
                for tool in ("duckdb-sql", "polars-streaming")
                if tool in best
            )
        lines.extend(
            f"{mine} / {peer} (the same titles): {best[mine] / best[peer]:.2f}x"
            for mine, peer in SAME_TITLES.items()
            if mine in best and peer in best
        )
        lines.extend(
            f"{mine} / {peer} (every entity's verdicts written): {best[mine] / best[peer]:.2f}x"
            for mine, peer in VERDICTS.items()
            if mine in best and peer in best
        )
        if "learnsoc-startup" in best:
            work = ref - best["learnsoc-startup"]
            lines.append(
                f"learnsoc-dataset without its start-up: {work:.2f} s "
                f"({work / persons * 1e9:.0f} ns per person)"
            )
    if runs:
        first = runs.get("learnsoc-dataset") or next(iter(runs.values()))
        lines.append("answers: " + json.dumps(first[0]["answer"]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; best and median kept")
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated")
    parser.add_argument("--data", type=Path, help="keep the files in this folder and reuse them")
    parser.add_argument("--json", type=Path, help="write every run here")
    parser.add_argument("--smoke", action="store_true", help="CI: 3,000 persons, one round")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _work(args.worker, args.data, args.persons, args.seed)
        return 0
    if args.smoke:
        args.persons, args.repeat = 3_000, 1
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = sorted(set(tools) - set(TOOLS))
    if unknown:
        print(f"unknown tools {unknown}; expected some of {TOOLS}")
        return 2
    if args.persons > IN_MEMORY_MAX and "learnsoc-in-memory" in tools:
        tools.remove("learnsoc-in-memory")
        print(f"learnsoc-in-memory is left out above {IN_MEMORY_MAX:,} persons")
    tmp = tempfile.mkdtemp(prefix="dataset_bench_")
    try:
        data = args.data if args.data is not None else Path(tmp)
        synth = prepare(data, args.persons, args.seed, whole="learnsoc-in-memory" in tools)
        runs, loads = measure(data, args.persons, tools, args.repeat)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(report(args.persons, synth, runs, loads))
    if args.json is not None:
        args.json.write_text(json.dumps({"persons": args.persons, "synth": synth, "runs": runs}))
    problems = check(runs)
    for problem in problems:
        print("DIFFERENT:", problem)
    if problems:
        return 1
    print("every tool's counts equal learnsoc's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
