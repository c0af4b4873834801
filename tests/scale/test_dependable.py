"""What goes wrong on a real cluster run: interrupted runs, changed files, lost workers.

Each case ends in a ``learnsoc.errors`` error naming what happened, or in an exact result;
never in half-written outputs or silently skipped rows.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.io.dataset import write_dataset
from tests.io.test_dataset import tree
from tests.optional import needs

pytestmark = needs("pyarrow")

BOOK = ["--rulebook", "vn-national", "--as-of", "31/12/2025"]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[ls.Population, Path]:
    pop = ls.synthetic_population(persons=1_500, seed=11, hierarchy=tree(3))
    folder = tmp_path_factory.mktemp("dependable") / "national"
    write_dataset(pop, folder)
    return pop, folder


def quietly(run: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run()


# -- the results folder is written whole or not at all --------------------------------------


@pytest.mark.parametrize(
    "stage", ["learnsoc.scale.results.write_results", "learnsoc.cli._partitions.tell"]
)
def test_an_interrupted_evaluate_leaves_no_results_folder(
    dataset: tuple[ls.Population, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    stage: str,
) -> None:
    """Ctrl-C after the verdicts were written (or while the dataset line is printed, before
    anything else): no --out folder, no partial files beside it; the run can be redone.
    The command says it was interrupted, exit 130, without a traceback."""
    _, folder = dataset
    out = tmp_path / "results"

    def interrupt(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(stage, interrupt)
    assert main(["evaluate", str(folder), *BOOK, "--out", str(out), "--quiet"]) == 130
    assert capsys.readouterr().err.splitlines()[-1] == "learnsoc: interrupted"
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    monkeypatch.undo()
    assert main(["evaluate", str(folder), *BOOK, "--out", str(out), "--quiet"]) == 0
    assert (out / "results.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results"]


def test_rerunning_into_a_results_folder_is_refused_and_changes_nothing(
    dataset: tuple[ls.Population, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second run into the same --out is refused before anything is evaluated."""
    _, folder = dataset
    out = tmp_path / "results"
    assert main(["evaluate", str(folder), *BOOK, "--out", str(out), "--quiet"]) == 0
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    capsys.readouterr()
    assert main(["evaluate", str(folder), *BOOK, "--out", str(out), "--quiet"]) == 2
    assert "is not a new or empty folder" in capsys.readouterr().err
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before


def test_an_empty_results_folder_is_filled(
    dataset: tuple[ls.Population, Path], tmp_path: Path
) -> None:
    """An empty --out (made by a job scheduler) is taken, as the docs say."""
    _, folder = dataset
    out = tmp_path / "results"
    out.mkdir()
    assert main(["evaluate", str(folder), *BOOK, "--out", str(out), "--quiet"]) == 0
    manifest = json.loads((out / "results.json").read_text("utf-8"))
    assert manifest["persons"] == 1_500


# -- a Dask cluster that cannot be reached, or that loses a partition -------------------------


def test_a_bad_scheduler_address_is_named_at_once(
    dataset: tuple[ls.Population, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """No port, a web address: a ClusterError naming it, not a ValueError from Dask."""
    pytest.importorskip("distributed")
    from learnsoc.scale.dask import ClusterError

    _, folder = dataset
    for address in ("scheduler-without-port", "http://127.0.0.1:8787"):
        with pytest.raises(ClusterError, match="is not the address of a Dask scheduler") as err:
            quietly(
                lambda a=address: ls.evaluate_dataset(folder, "example", "2025-12-31", client=a)
            )
        assert err.value.address == address
    code = main(["evaluate", str(folder), *BOOK, "--dask", "http://127.0.0.1:8787", "--quiet"])
    assert code == 1
    shown = capsys.readouterr().err
    assert "'http://127.0.0.1:8787' is not the address of a Dask scheduler" in shown
    assert "Traceback" not in shown


def test_a_bad_scheduler_address_is_named_before_dask_starts_its_loop(
    dataset: tuple[ls.Population, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An address that cannot be one is said without starting a client.

    CI, on a loaded machine, failed with an AssertionError from deep in Dask: the client's
    event loop did not start within Dask's 10 s before the address was even parsed.
    """
    distributed = pytest.importorskip("distributed")
    from learnsoc.scale.dask import ClusterError

    def no_client(*args: object, **kwargs: object) -> None:
        raise AssertionError("a client was started")

    monkeypatch.setattr(distributed, "Client", no_client)
    _, folder = dataset
    for address in ("scheduler-without-port", "http://127.0.0.1:8787", "tcp://host-only"):
        with pytest.raises(ClusterError, match="is not the address of a Dask scheduler"):
            quietly(
                lambda a=address: ls.evaluate_dataset(folder, "example", "2025-12-31", client=a)
            )


def test_a_scheduler_that_does_not_answer_is_a_clear_error_after_the_timeout(
    dataset: tuple[ls.Population, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Nothing listens there: Dask's connect timeout (here 1 s), then the address and the
    wait named, on the command line too (exit 1, no traceback)."""
    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    from learnsoc.scale.dask import ClusterError

    _, folder = dataset
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        with pytest.raises(
            ClusterError,
            match=r"cannot reach the Dask scheduler at "
            r"tcp://127\.0\.0\.1:1 within 1 s",
        ) as err:
            quietly(
                lambda: ls.evaluate_dataset(
                    folder, "example", "2025-12-31", client="tcp://127.0.0.1:1"
                )
            )
        assert err.value.address == "tcp://127.0.0.1:1"
        code = main(["evaluate", str(folder), *BOOK, "--dask", "tcp://127.0.0.1:1", "--quiet"])
    assert code == 1
    shown = capsys.readouterr().err
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:1 within 1 s" in shown
    assert "Traceback" not in shown


def test_a_partition_that_kills_its_workers_is_named(tmp_path: Path) -> None:
    """Every worker that starts partition '02' dies (as out of memory): after Dask's
    allowed failures (here none), a ClusterError naming the partition, not KilledWorker.

    A partition that waited on the dying worker is lost with it (Dask counts the death
    against every task the worker held), so the one named may be another."""
    dask = pytest.importorskip("dask")
    distributed = pytest.importorskip("distributed")
    from learnsoc.scale.dask import TASK_PREFIX, ClusterError

    pop = ls.synthetic_population(persons=1_000, seed=3, hierarchy=tree(3))
    ds = write_dataset(pop, tmp_path / "d")

    class DieOn02(distributed.WorkerPlugin):  # type: ignore[misc,name-defined]
        """Make a worker exit when it starts partition 02's task, as the kernel's OOM does."""

        name = "learnsoc-test-die-on-02"

        def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
            import os

            if finish == "executing" and f"{TASK_PREFIX}-02-" in str(key):
                os._exit(137)

    import os

    before = dict(os.environ)
    try:
        with (
            dask.config.set({"distributed.scheduler.allowed-failures": 0}),
            distributed.LocalCluster(
                n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0"
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            client.register_plugin(DieOn02())
            with pytest.raises(ClusterError, match=r"partition '0[123]': the Dask workers") as err:
                quietly(lambda: ls.evaluate_dataset(ds, "example", "2025-12-31", client=client))
    finally:
        os.environ.clear()
        os.environ.update(before)
    assert err.value.partition in ds.partitions
    assert f"partition {err.value.partition!r}" in str(err.value)
    assert type(err.value.__cause__).__name__ == "KilledWorker"


# -- files changed after the manifest was written; manifests of other versions ---------------


def copy_of(folder: Path, tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(folder, tmp_path / "copy"))


def test_a_file_replaced_with_the_same_rows_is_refused(
    dataset: tuple[ls.Population, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One age changed and the file written again (same rows, a valid file): the old read
    counted the new ages as the dataset's; now the file and the partition are named, in
    Python, on workers and on the command line."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from learnsoc.io.dataset import DatasetError, partition_file, read_dataset

    folder = copy_of(dataset[1], tmp_path)
    path = partition_file(folder, "persons", "province", "02")
    table = pq.read_table(path)
    ages = table.column("age").to_pylist()
    ages[0] = 99 if ages[0] != 99 else 98
    pq.write_table(table.set_column(table.column_names.index("age"), "age", pa.array(ages)), path)
    ds = read_dataset(folder)  # the rows are those the manifest records
    ds.partition("01")
    with pytest.raises(
        DatasetError,
        match=r"the file was changed after the dataset was written: it has the 5\d\d rows",
    ) as err:
        ds.partition("02")
    assert err.value.partition == "02"
    assert err.value.file is not None and err.value.file.endswith("part-0.parquet")
    for runner in ({"workers": 2}, {"threads": 1}):
        with pytest.raises(DatasetError, match="changed after the dataset was written"):
            quietly(lambda r=runner: ls.evaluate_dataset(folder, "example", "2025-12-31", **r))
    assert main(["evaluate", str(folder), *BOOK, "--quiet", "--locale", "vi"]) == 1
    assert "province=02" in capsys.readouterr().err


def test_a_copied_dataset_reads_the_same(
    dataset: tuple[ls.Population, Path], tmp_path: Path
) -> None:
    """Copied to other storage (new times on every file), and with a manifest from before
    the fingerprints (an older learnsoc of the same layout): read, with the same counts."""
    import os

    pop, folder = dataset
    copy = copy_of(folder, tmp_path)
    for path in copy.rglob("*.parquet"):
        os.utime(path, (1, 1))
    whole = quietly(lambda: ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31"))
    assert quietly(lambda: ls.evaluate_dataset(copy, "example", "2025-12-31")).summary() == (
        whole.summary()
    )
    path = copy / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    from learnsoc._build import build_name

    assert manifest["written_by"] == build_name()
    for part in manifest["partitions"]:
        del part["files"]
    del manifest["written_by"]
    path.write_text(json.dumps(manifest), "utf-8")
    assert quietly(lambda: ls.evaluate_dataset(copy, "example", "2025-12-31")).summary() == (
        whole.summary()
    )


@pytest.mark.parametrize(
    ("version", "written_by", "expected"),
    [
        (
            2,
            "learnsoc 9.1.0",
            "dataset layout version 2, written by learnsoc 9.1.0; this "
            "learnsoc ({mine}) reads version 1: a newer learnsoc wrote it, so install that one",
        ),
        (
            0,
            None,
            "dataset layout version 0, written by an unknown learnsoc; this learnsoc "
            "({mine}) reads version 1: write the dataset again with this learnsoc",
        ),
    ],
)
def test_a_manifest_of_another_version_names_both(
    dataset: tuple[ls.Population, Path],
    tmp_path: Path,
    version: int,
    written_by: str | None,
    expected: str,
) -> None:
    """From the future or the past: the versions, what wrote it and what to do, in vi too."""
    from learnsoc.io.dataset import DatasetError, read_dataset

    copy = copy_of(dataset[1], tmp_path)
    path = copy / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    manifest["version"] = version
    if written_by is None:
        del manifest["written_by"]
    else:
        manifest["written_by"] = written_by
    path.write_text(json.dumps(manifest), "utf-8")
    with pytest.raises(DatasetError) as err:
        read_dataset(copy)
    assert expected.format(mine=ls.__version__) in str(err.value)
    assert err.value.file is not None and err.value.file.endswith("manifest.json")
    assert "learnsoc" in err.value.localized("vi")


# -- progress a log can read -------------------------------------------------------------------


def test_evaluate_says_each_partition_on_a_line_when_stderr_is_a_log(
    dataset: tuple[ls.Population, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Not a terminal (captured, as an ETL log): one whole line per partition with the
    partitions and persons done; no carriage returns. The persons add up to the dataset's."""
    from learnsoc.io.dataset import read_dataset

    _, folder = dataset
    ds = read_dataset(folder)
    assert main(["evaluate", str(folder), *BOOK, "--workers", "2", "--locale", "en"]) == 0
    err = capsys.readouterr().err
    assert "\r" not in err
    lines = [line for line in err.splitlines() if " done: " in line]
    assert len(lines) == 3
    so_far = 0
    for n, line in enumerate(lines, 1):
        key = line.split()[1]
        so_far += ds.rows[key]["persons"]
        assert line == (f"province {key} done: {n} of 3 partitions, {so_far:,} of 1,500 persons")
    assert sorted(line.split()[1] for line in lines) == list(ds.partitions)
    assert main(["evaluate", str(folder), *BOOK, "--quiet"]) == 0
    assert " done: " not in capsys.readouterr().err
    assert main(["--locale", "vi", "evaluate", str(folder), *BOOK]) == 0
    vi = [line for line in capsys.readouterr().err.splitlines() if " xong: " in line]
    assert len(vi) == 3 and vi[-1].endswith(" xong: 3/3 phân vùng, 1.500/1.500 người")


def test_each_partition_is_reported_once_wherever_it_ran(
    dataset: tuple[ls.Population, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """on_partition: each key once, here and in worker processes; the bar counts persons."""
    _, folder = dataset
    for runner in ({"threads": 1}, {"workers": 2}):
        seen: list[str] = []
        quietly(
            lambda r=runner, out=seen: ls.evaluate_dataset(
                folder, "example", "2025-12-31", on_partition=out.append, **r
            )
        )
        assert sorted(seen) == ["01", "02", "03"]
    pytest.importorskip("tqdm")
    quietly(lambda: ls.evaluate_dataset(folder, "example", "2025-12-31", bars=True))
    assert "1,500 persons" in capsys.readouterr().err


# -- the verdicts folder, read by other tools ---------------------------------------------------


def test_the_verdicts_folder_reads_back_in_pandas_polars_and_duckdb(
    dataset: tuple[ls.Population, Path], tmp_path: Path
) -> None:
    """As the Scaling out page reads it: the partition column as text, the documented
    columns and types, and every entity's verdicts of the whole population in memory."""
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    duckdb = pytest.importorskip("duckdb")
    import pyarrow as pa
    import pyarrow.dataset as pads

    pop, folder = dataset
    out = tmp_path / "results"
    assert main(["evaluate", str(folder), *BOOK, "--out", str(out), "--quiet"]) == 0
    whole = quietly(lambda: ls.evaluate(pop, ls.load_rulebook("vn-national"), "2025-12-31"))
    expected = pd.DataFrame(whole.to_columns())
    documented = ["level", "id", "title", "assessed", "passed", "known", "grade", "points"]
    documented += ["failed", "unknown"]
    assert list(expected.columns) == documented

    hive = pads.partitioning(pa.schema([("province", pa.string())]), flavor="hive")
    frames = {
        "pandas": pd.read_parquet(out / "verdicts", partitioning=hive),
        "polars": pl.scan_parquet(
            f"{out}/verdicts/**/*.parquet", hive_schema={"province": pl.String}
        )
        .collect()
        .to_pandas(),
        "duckdb": duckdb.connect()
        .execute(
            "SELECT * FROM read_parquet(?, hive_partitioning = true, "
            "hive_types = {'province': VARCHAR})",
            [f"{out}/verdicts/*/*.parquet"],
        )
        .df(),
    }
    keys = ["title", "level", "id"]
    want = expected.sort_values(keys, ignore_index=True)
    for tool, frame in frames.items():
        assert list(frame.columns) == [*documented, "province"], tool
        assert sorted(set(frame["province"])) == ["01", "02", "03"], tool
        got = frame.drop(columns="province").sort_values(keys, ignore_index=True)
        assert len(got) == len(want), tool
        for column in documented:
            a, b = got[column].to_numpy(), want[column].to_numpy()
            if column == "points":
                assert ((a == b) | (pd.isna(a) & pd.isna(b))).all(), tool
            else:
                assert (a.astype(str) == b.astype(str)).all(), (tool, column)
        assert str(got["grade"].dtype) == "int8", tool
        assert got["passed"].dtype == bool, tool


def test_points_without_a_value_are_nulls_for_every_reader(
    dataset: tuple[ls.Population, Path], tmp_path: Path
) -> None:
    """``points`` of a title without points is a null (Arrow validity), not a NaN:
    ``IS NULL`` in DuckDB and ``is_null()`` in polars find exactly the rows whose points
    are NaN in memory, and none is NaN; read back with pyarrow, the column is the one in
    memory, NaN for NaN. ``write_verdicts`` of the whole population writes it so too."""
    import numpy as np
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    pop, folder = dataset
    book = ls.load_rulebook("vn-national")
    quietly(lambda: ls.evaluate_dataset(folder, book, "2025-12-31", verdicts_out=tmp_path / "v"))
    whole = quietly(lambda: ls.evaluate(pop, book, "2025-12-31"))
    ls.io.write_verdicts(whole, tmp_path / "whole.parquet")
    columns = whole.to_columns()
    empty = int(np.isnan(columns["points"]).sum())
    assert 0 < empty < len(columns["points"])  # titles with points and without
    keys = [("title", "ascending"), ("level", "ascending"), ("id", "ascending")]
    for path in (tmp_path / "v" / "verdicts", tmp_path / "whole.parquet"):
        table = pq.read_table(path).select(["title", "level", "id", "points"]).sort_by(keys)
        points = table["points"]
        assert points.null_count == empty, path
        assert pc.sum(pc.is_nan(points)).as_py() == 0, path
        # Back as numpy, nulls are NaN: the points in memory, bit for bit.
        order = np.lexsort((columns["id"].astype(str), columns["level"], columns["title"]))
        want = columns["points"][order]
        got = points.to_numpy(zero_copy_only=False)
        assert np.array_equal(got, want, equal_nan=True), path
    files = f"{tmp_path}/v/verdicts/*/*.parquet"
    duckdb = pytest.importorskip("duckdb")
    found = duckdb.connect().execute(
        "SELECT count(*) FILTER (WHERE points IS NULL), count(*) FILTER (WHERE isnan(points)) "
        "FROM read_parquet(?)",
        [files],
    )
    assert found.fetchone() == (empty, 0)
    pl = pytest.importorskip("polars")
    frame = pl.scan_parquet(files).select(pl.col("points").is_null().sum()).collect()
    assert frame.item() == empty


def test_more_workers_than_cores_give_the_same_counts(
    dataset: tuple[ls.Population, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """--workers above the machine's cores (and the partitions): the figures of the whole
    population in memory, exactly; --workers 0 is a usage error."""
    import os

    pop, folder = dataset
    many = str((os.cpu_count() or 1) + 3)
    assert main(["evaluate", str(folder), *BOOK, "--workers", many]) == 0
    whole = quietly(lambda: ls.evaluate(pop, ls.load_rulebook("vn-national"), "2025-12-31"))
    assert capsys.readouterr().out.strip() == whole.summary().to_text("en").strip()
    assert main(["evaluate", str(folder), *BOOK, "--workers", "0"]) == 2
    assert "'0' is not a whole number of 1 or more" in capsys.readouterr().err


def test_a_worker_that_does_not_see_the_folder_is_named_on_the_command_line(
    dataset: tuple[ls.Population, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The client reads a partition file the worker misses (as on another mount): the
    command names the file, the worker and the cause, in English and Vietnamese, exit 1.

    The file is moved away while the cluster runs and put back before the error is shown,
    as a worker whose mount lacks it sees the folder."""
    distributed = pytest.importorskip("distributed")
    import os

    import learnsoc.scale
    from learnsoc.io.dataset import partition_file

    folder = copy_of(dataset[1], tmp_path)
    hidden = partition_file(folder, "persons", "province", "02")
    aside = tmp_path / "aside.parquet"
    real = learnsoc.scale.evaluate_dataset

    def elsewhere(*args: Any, **kwargs: Any) -> Any:
        hidden.rename(aside)
        try:
            return real(*args, **kwargs)
        finally:
            aside.rename(hidden)

    monkeypatch.setattr(learnsoc.scale, "evaluate_dataset", elsewhere)
    before = dict(os.environ)
    try:
        with distributed.LocalCluster(
            n_workers=1, processes=True, threads_per_worker=1, dashboard_address=":0"
        ) as cluster:
            address = cluster.scheduler_address
            for locale, words in (
                ("en", "does not see the dataset folder under the same path"),
                ("vi", "không thấy thư mục bộ dữ liệu"),
            ):
                argv = ["--locale", locale, "evaluate", str(folder), *BOOK, "--quiet"]
                assert main([*argv, "--dask", address]) == 1
                err = capsys.readouterr().err
                assert "province=02" in err
                worker = [line for line in err.splitlines() if words in line]
                assert len(worker) == 1 and "tcp://127.0.0.1:" in worker[0]
    finally:
        os.environ.clear()
        os.environ.update(before)


def test_a_run_survives_its_only_worker_dying_after_a_partition(tmp_path: Path) -> None:
    """The one worker dies once a partition's counts are in its memory (as a worker over
    its memory limit is restarted by its nanny): the job the partitions need (rulebook,
    units), the counts and the partial verdict files were all on it. The scheduler gives
    the job again to the worker that replaces it, and the run ends with the counts and the
    verdict files of the whole population in memory. (The job was scattered to the
    workers: it was gone with them, and the run stopped with a ClusterError.)"""
    distributed = pytest.importorskip("distributed")
    import os

    import pyarrow.parquet as pq

    from learnsoc.scale.dask import TASK_PREFIX
    from tests.scale.test_evaluate_dataset import assert_same

    pop = ls.synthetic_population(persons=1_000, seed=3, hierarchy=tree(3))
    ds = write_dataset(pop, tmp_path / "d")
    marker = tmp_path / "died"

    class DieAfter(distributed.WorkerPlugin):  # type: ignore[misc,name-defined]
        """Exit when a partition's result is in memory, once (the marker)."""

        name = "learnsoc-test-die-after"

        def __init__(self, marker: str) -> None:
            self.marker = marker

        def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
            import os

            if finish != "memory" or TASK_PREFIX not in str(key):
                return
            try:
                fd = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                return
            os.close(fd)
            os._exit(1)

    book = ls.load_rulebook("vn-national")
    whole = quietly(lambda: ls.evaluate(pop, book, "2025-12-31"))
    before = dict(os.environ)
    try:
        with (
            distributed.LocalCluster(
                n_workers=1, processes=True, threads_per_worker=1, dashboard_address=":0"
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            client.register_plugin(DieAfter(str(marker)))
            out = tmp_path / "v"
            parts = quietly(
                lambda: ls.evaluate_dataset(ds, book, "2025-12-31", client=client, verdicts_out=out)
            )
    finally:
        os.environ.clear()
        os.environ.update(before)
    assert marker.is_file(), "the worker did not die"
    assert_same(whole, parts)
    rows = pq.read_table(out / "verdicts").num_rows
    if (out / "verdicts_above.parquet").exists():
        rows += pq.read_table(out / "verdicts_above.parquet").num_rows
    assert rows == len(whole.to_columns()["id"])


def test_a_cluster_restarted_mid_run_is_a_clear_error(tmp_path: Path) -> None:
    """``client.restart()`` forgets every task, the job's too: a ClusterError saying so,
    not Dask's FutureCancelledError, and no verdicts folder."""
    distributed = pytest.importorskip("distributed")
    import os

    from learnsoc.scale.dask import ClusterError

    pop = ls.synthetic_population(persons=1_000, seed=3, hierarchy=tree(3))
    ds = write_dataset(pop, tmp_path / "d")
    before = dict(os.environ)
    try:
        with (
            distributed.LocalCluster(
                n_workers=1, processes=True, threads_per_worker=1, dashboard_address=":0"
            ) as cluster,
            distributed.Client(cluster) as client,
        ):

            def restart(key: str) -> None:
                client.restart()

            with pytest.raises(ClusterError, match="the Dask cluster dropped this run's tasks"):
                quietly(
                    lambda: ls.evaluate_dataset(
                        ds,
                        "example",
                        "2025-12-31",
                        client=client,
                        on_partition=restart,
                        verdicts_out=tmp_path / "v",
                    )
                )
    finally:
        os.environ.clear()
        os.environ.update(before)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d"]


def test_a_results_folder_that_is_a_link_to_an_empty_folder_is_filled(
    dataset: tuple[ls.Population, Path], tmp_path: Path
) -> None:
    """--out a link to an empty folder on other storage: the results are written there
    (a folder renamed onto the link failed, after the whole run)."""
    _, folder = dataset
    storage = tmp_path / "storage" / "results"
    storage.mkdir(parents=True)
    link = tmp_path / "results"
    link.symlink_to(storage, target_is_directory=True)
    assert main(["evaluate", str(folder), *BOOK, "--out", str(link), "--quiet"]) == 0
    assert link.is_symlink()
    assert (storage / "results.json").is_file()
    assert sorted(p.name for p in storage.parent.iterdir()) == ["results"]


def test_a_missing_partition_file_is_its_own_error_wherever_it_is_read(
    dataset: tuple[ls.Population, Path], tmp_path: Path
) -> None:
    """A partition file gone is a ``PartitionFileMissingError`` (a ``DatasetError``) with
    its file and partition, whether the folder is opened here or the partition is read
    by a worker process after it was opened; it pickles as itself. The command line
    tells a worker that does not see the folder by this class, not by the message's
    first words."""
    import pickle
    import shutil

    from learnsoc.io.dataset import PartitionFileMissingError, partition_file, read_dataset

    folder = tmp_path / "national"
    shutil.copytree(dataset[1], folder)
    opened = read_dataset(folder)
    gone = partition_file(folder, "persons", "province", "02")
    gone.unlink()
    with pytest.raises(PartitionFileMissingError) as here:
        read_dataset(folder)
    assert isinstance(here.value, ls.io.DatasetError)
    assert (here.value.partition, Path(str(here.value.file)).name) == ("02", gone.name)
    again = pickle.loads(pickle.dumps(here.value))  # noqa: S301 - pickled just above
    assert type(again) is PartitionFileMissingError and again.partition == "02"
    with pytest.raises(PartitionFileMissingError) as there:
        quietly(lambda: ls.evaluate_dataset(opened, "example", "2025-12-31", workers=2))
    assert there.value.partition == "02"
    (folder / "units.parquet").unlink()
    with pytest.raises(ls.io.DatasetError) as units:  # the units table: not a partition's
        read_dataset(folder)
    assert not isinstance(units.value, PartitionFileMissingError)
