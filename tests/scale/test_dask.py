"""evaluate_dataset on a Dask LocalCluster equals the whole population in memory, exactly."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import learnsoc as ls
from learnsoc.errors import note_text
from learnsoc.io.dataset import DatasetError, partition_file, write_dataset
from learnsoc.scale import evaluate_dataset
from learnsoc.scale.dask import TASK_PREFIX, dask_runner
from learnsoc.scale.local import Job, Portable, merge_outcomes, partition_task, unwrap
from tests.io.test_dataset import tree
from tests.optional import needs, require
from tests.scale.test_evaluate_dataset import CASES, assert_same, by_id

pytestmark = needs("distributed", "pyarrow")
distributed = require("distributed")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """Two worker processes of one thread each, as a small real cluster.

    Its dashboard on any free port: ``None`` means Dask's 8787, and a cluster already
    there (another run on the machine) made the start warn, an error under pytest. The
    environment is put back after: the nanny leaves its ``pre-spawn-environ`` variables
    (``MALLOC_TRIM_THRESHOLD_``...) in this process, where every process a later test
    starts would inherit them."""
    before = dict(os.environ)
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c
    os.environ.clear()
    os.environ.update(before)


def quietly(run: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run()


@pytest.mark.parametrize(("book", "levels", "provinces", "as_of"), CASES)
def test_cluster_equals_in_memory(
    book: str, levels: str, provinces: int, as_of: str, client: Any, tmp_path: Path
) -> None:
    """Every bundled rulebook, with inputs: the same counts as evaluate() on the whole."""
    pop = ls.synthetic_population(persons=2_000, seed=provinces, hierarchy=tree(provinces, levels))
    rulebook = ls.load_rulebook(book)
    inputs = ls.synthetic_inputs(pop, rulebook, seed=2)
    ds = write_dataset(pop, tmp_path / "d")
    whole = quietly(lambda: ls.evaluate(pop, rulebook, as_of, inputs=inputs))
    parts = quietly(
        lambda: evaluate_dataset(ds, rulebook, as_of, inputs=by_id(pop, inputs), client=client)
    )
    assert_same(whole, parts)
    assert parts.skipped == dict(whole.skipped)
    assert parts.missing_inputs == whole.missing_inputs
    assert parts.result.partitions == ds.partitions


def test_warnings_once_verdicts_and_an_address(client: Any, tmp_path: Path) -> None:
    """By address: the warnings of a local run, once and in order; every verdict file."""
    pop = ls.synthetic_population(persons=2_000, seed=4, hierarchy=tree(3))
    ds = write_dataset(pop, tmp_path / "d")
    with warnings.catch_warnings(record=True) as here:
        warnings.simplefilter("always")
        local = evaluate_dataset(ds, "vn-national", "2025-12-31")
    with warnings.catch_warnings(record=True) as there:
        warnings.simplefilter("always")
        remote = evaluate_dataset(
            ds,
            "vn-national",
            "2025-12-31",
            client=client.scheduler.address,
            verdicts_out=tmp_path / "v",
        )
    assert [str(w.message) for w in there] == [str(w.message) for w in here]
    assert [w.category for w in there] == [w.category for w in here]
    assert remote.summary() == local.summary()
    for key in ds.partitions:
        assert partition_file(tmp_path / "v", "verdicts", "province", key).is_file()


def test_a_bar_step_per_partition(client: Any, tmp_path: Path) -> None:
    """The runner reports each partition once when its counts are in."""
    pop = ls.synthetic_population(persons=1_000, seed=2, hierarchy=tree(3))
    ds = write_dataset(pop, tmp_path / "d")
    job = Job(ds, ls.load_rulebook("example"), "2025-06-30", None, None, False)
    ticks: list[str] = []
    runner = dask_runner(
        client, task=partition_task, merge=merge_outcomes, wrap=Portable, unwrap=unwrap
    )
    quietly(lambda: runner(job, ticks.append))
    assert sorted(ticks) == sorted(ds.partitions)


def test_an_error_in_a_task_is_raised_as_itself(client: Any, tmp_path: Path) -> None:
    """A damaged file read by a worker: the DatasetError naming it, not a pickling error."""
    pop = ls.synthetic_population(persons=1_000, seed=1, hierarchy=tree(2))
    ds = write_dataset(pop, tmp_path / "d")
    partition_file(ds.path, "households", "province", "02").write_bytes(b"PAR1 damaged")
    with pytest.raises(DatasetError, match=r"province=02.*not a readable Parquet file") as caught:
        quietly(lambda: evaluate_dataset(ds, "example", "2025-06-30", client=client))
    assert caught.value.partition == "02"


def test_a_worker_killed_mid_run_changes_nothing(client: Any, tmp_path: Path) -> None:
    """The worker running the first partition task dies; the cluster reruns it: same counts."""
    pop = ls.synthetic_population(persons=3_000, seed=6, hierarchy=tree(4))
    ds = write_dataset(pop, tmp_path / "d")
    marker = tmp_path / "killed"

    class KillOnce(distributed.WorkerPlugin):  # type: ignore[misc,name-defined]
        """Make the worker exit when it starts a partition task, once (the marker)."""

        name = "learnsoc-test-kill-once"

        def __init__(self, marker: str) -> None:
            self.marker = marker

        def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
            import os

            if finish != "executing" or TASK_PREFIX not in str(key):
                return
            try:  # created by one worker only: two starting at once must not both exit
                fd = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                return
            os.write(fd, str(key).encode())
            os.close(fd)
            os._exit(1)

    whole = quietly(lambda: ls.evaluate(pop, ls.load_rulebook("vn-national"), "2025-12-31"))
    client.register_plugin(KillOnce(str(marker)))
    try:
        parts = quietly(lambda: evaluate_dataset(ds, "vn-national", "2025-12-31", client=client))
    finally:
        client.unregister_worker_plugin(KillOnce.name)
        client.wait_for_workers(2, timeout=60)
    assert marker.is_file(), "no worker was killed"
    assert_same(whole, parts)


def test_cluster_decides_the_titles_above_the_partitions(client: Any, tmp_path: Path) -> None:
    """Partitioned by commune on a cluster: the province titles come from the merged counts."""
    pop = ls.synthetic_population(persons=2_000, seed=3, hierarchy=tree(2, "vn-pre-2025"))
    try:
        ds = write_dataset(pop, tmp_path / "d", partition_by="commune")
    except DatasetError:
        pytest.skip("this seed puts a clan across two communes")
    rulebook = ls.load_rulebook("vn-national")
    inputs = ls.synthetic_inputs(pop, rulebook, seed=2)
    whole = quietly(lambda: ls.evaluate(pop, rulebook, "2024-12-31", inputs=inputs))
    parts = quietly(
        lambda: evaluate_dataset(
            ds, rulebook, "2024-12-31", inputs=by_id(pop, inputs), client=client
        )
    )
    assert {"learning_district", "learning_province"} <= set(parts.title_counts())
    assert_same(whole, parts)


def test_relative_folders_are_read_and_written_by_workers_elsewhere(
    client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`learnsoc evaluate national/ --dask ...` with workers started in another folder.

    A worker runs from its own directory: the relative folders the client was given
    named no file there ("partition file missing" for a file the client sees).
    """
    pop = ls.synthetic_population(persons=2_000, seed=4, hierarchy=tree(3))
    write_dataset(pop, tmp_path / "d")
    local = quietly(lambda: evaluate_dataset(tmp_path / "d", "vn-national", "2025-12-31"))
    monkeypatch.chdir(tmp_path)
    where = client.run(os.getcwd)
    client.run(os.chdir, "/")
    try:
        there = quietly(
            lambda: evaluate_dataset(
                "d", "vn-national", "2025-12-31", client=client, verdicts_out=Path("out")
            )
        )
    finally:
        for address, folder in where.items():
            client.run(os.chdir, folder, workers=[address])
    assert there.summary().to_text("en") == local.summary().to_text("en")
    written = sorted(p.relative_to(tmp_path / "out") for p in (tmp_path / "out").rglob("*.parquet"))
    keys = sorted(pop_keys(tmp_path))
    assert written == [Path(f"verdicts/province={k}/part-0.parquet") for k in keys]


def pop_keys(root: Path) -> list[str]:
    return [p.name.split("=", 1)[1] for p in (root / "d" / "persons").iterdir()]


def test_a_worker_with_another_learnsoc_is_named(client: Any, tmp_path: Path) -> None:
    """Its address and both versions, in a typed error: not an unpickling error."""
    from learnsoc.scale.dask import WorkerVersionError

    ds = write_dataset(
        ls.synthetic_population(persons=600, seed=2, hierarchy=tree(2)), tmp_path / "d"
    )

    def set_version(version: str) -> None:
        import learnsoc

        learnsoc.__version__ = version

    workers = set(client.scheduler_info()["workers"])
    client.run(set_version, "0.0.1-old")
    try:
        with pytest.raises(WorkerVersionError) as caught:
            quietly(lambda: evaluate_dataset(ds, "example", "2025-06-30", client=client))
    finally:
        client.run(set_version, ls.__version__)
    err = caught.value
    assert err.worker in workers
    assert (err.there["learnsoc"], err.here["learnsoc"]) == ("0.0.1-old", ls.__version__)
    assert f"learnsoc 0.0.1-old on the worker, {ls.__version__} on the client" in str(err)
    assert err.worker in err.localized("vi") and "0.0.1-old" in err.localized("vi")
    # Put back, the workers run the job again.
    assert quietly(lambda: evaluate_dataset(ds, "example", "2025-06-30", client=client)).result


def test_a_worker_with_other_code_under_the_same_version_is_named(
    client: Any, tmp_path: Path
) -> None:
    """Two checkouts both say 0.1.0.dev0: their source digests tell them apart."""
    from learnsoc._build import source_digest
    from learnsoc.scale.dask import SOURCE, WorkerVersionError

    ds = write_dataset(
        ls.synthetic_population(persons=600, seed=2, hierarchy=tree(2)), tmp_path / "d"
    )

    def set_digest(digest: str | None) -> None:
        """Give the worker's package another digest (None: its own again)."""
        import importlib

        import learnsoc._build

        if digest is None:
            importlib.reload(learnsoc._build)
            return

        def other_code(root: Path | None = None) -> str:
            return digest

        learnsoc._build.source_digest = other_code

    workers = set(client.scheduler_info()["workers"])
    client.run(set_digest, "0123456789ab")
    try:
        with pytest.raises(WorkerVersionError) as caught:
            quietly(lambda: evaluate_dataset(ds, "example", "2025-06-30", client=client))
    finally:
        client.run(set_digest, None)
    err = caught.value
    here = source_digest(Path(ls.__file__).parent)
    assert err.worker in workers
    assert (err.there[SOURCE], err.here[SOURCE]) == ("0123456789ab", here)
    assert err.there["learnsoc"] == err.here["learnsoc"] == ls.__version__
    assert f"source 0123456789ab on the worker, {here} on the client" in str(err)
    assert "0123456789ab" in err.localized("vi") and here in err.localized("vi")
    # Put back, the workers run the job again.
    assert quietly(lambda: evaluate_dataset(ds, "example", "2025-06-30", client=client)).result


def test_an_error_on_a_worker_names_the_worker(client: Any, tmp_path: Path) -> None:
    """A partition file the client saw when it opened the dataset, missing on the worker."""
    ds = write_dataset(
        ls.synthetic_population(persons=600, seed=3, hierarchy=tree(2)), tmp_path / "d"
    )
    partition_file(ds.path, "persons", "province", "02").unlink()
    with pytest.raises(DatasetError, match="partition file missing") as caught:
        quietly(lambda: evaluate_dataset(ds, "example", "2025-06-30", client=client))
    notes = "".join(caught.value.__notes__)
    workers = client.scheduler_info()["workers"]
    assert any(f"(on the Dask worker {address})" in notes for address in workers), notes
    # The note came back from the worker as it was made: the command line translates it.
    said = [note_text(note, "vi") for note in caught.value.__notes__]
    assert any(f"(trên máy thực thi Dask {address})" in said for address in workers), said


def test_the_job_task_says_no_large_graph_warning(client: Any, tmp_path: Path) -> None:
    """The job is one task sent once (not data repeated in the graph, which Dask's
    warning is about): no "Sending large graph" however small the threshold."""
    dask = require("dask")
    pop = ls.synthetic_population(persons=1_000, seed=2, hierarchy=tree(2))
    ds = write_dataset(pop, tmp_path / "d")
    with (
        dask.config.set({"distributed.admin.large-graph-warning-threshold": "1kB"}),
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        got = evaluate_dataset(ds, "example", "2025-06-30", client=client)
        local = evaluate_dataset(ds, "example", "2025-06-30")
    assert not [w for w in caught if "large graph" in str(w.message)]
    assert got.summary() == local.summary()
