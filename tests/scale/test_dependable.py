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


@pytest.mark.parametrize("stage", ["learnsoc.scale.results.write_results", "learnsoc.cli._say"])
def test_an_interrupted_evaluate_leaves_no_results_folder(
    dataset: tuple[ls.Population, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    stage: str,
) -> None:
    """Ctrl-C after the verdicts were written (or while the dataset line is printed, before
    anything else): no --out folder, no partial files beside it; the run can be redone."""
    _, folder = dataset
    out = tmp_path / "results"

    def interrupt(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(stage, interrupt)
    with pytest.raises(KeyboardInterrupt):
        main(["evaluate", str(folder), *BOOK, "--out", str(out), "--quiet"])
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
