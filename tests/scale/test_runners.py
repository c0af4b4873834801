"""The runners of evaluate_dataset: here, in worker processes; merges in any order."""

from __future__ import annotations

import datetime as dt
import itertools
import multiprocessing
import os
import pickle
import re
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.errors import OptionalDependencyError
from learnsoc.io.dataset import DatasetError, partition_file, write_dataset
from learnsoc.io.writers import OutputPathError
from learnsoc.scale import WorkerError, evaluate_dataset, local
from learnsoc.scale.local import Job, Outcome, Portable, run_here, run_partition
from tests.io.test_dataset import tree
from tests.scale.test_evaluate_dataset import assert_same, by_id, verdicts_out_and_whole

pytest.importorskip("pyarrow")


def evaluated(pop: ls.Population, book: str, as_of: str, **kw: Any) -> ls.Evaluation:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ls.evaluate(pop, ls.load_rulebook(book), as_of, **kw)


def given_warnings(run: Any) -> tuple[Any, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run()
    return result, [f"{w.category.__name__}: {w.message}" for w in caught]


@pytest.mark.parametrize("threads", [2, 3, 8])
def test_threads_equal_one_at_a_time_and_in_memory(tmp_path: Path, threads: int) -> None:
    """Partitions evaluated in threads give the same counts as one at a time and as in
    memory, and the same warnings in the same order, each once: the warnings of one
    thread's evaluation are never recorded by another's (``catch_warnings`` is not
    thread-safe: the reading of a partition recorded the other thread's warnings and
    gave them again as its own)."""
    pop = ls.synthetic_population(persons=3_000, seed=5, hierarchy=tree(4, "vn-pre-2025"))
    book = ls.load_rulebook("vn-national")
    inputs = ls.synthetic_inputs(pop, book, seed=3)
    ds = write_dataset(pop, tmp_path / "d", partition_by="commune")
    whole = evaluated(pop, "vn-national", "2025-12-31", inputs=inputs)
    ids = by_id(pop, inputs)
    one, mine = given_warnings(
        lambda: evaluate_dataset(ds, book, "2025-12-31", inputs=ids, threads=1)
    )
    many, theirs = given_warnings(
        lambda: evaluate_dataset(ds, book, "2025-12-31", inputs=ids, threads=threads)
    )
    assert_same(whole, many)
    assert_same(whole, one)
    assert theirs == mine
    assert len(set(theirs)) == len(theirs) > 0
    assert many.warnings == one.warnings
    assert many.result.partitions == ds.partitions


def test_an_error_in_a_thread_stops_the_run_naming_its_partition(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The error of one partition is raised as itself with its partition named; the
    partitions not started are not run, and no thread is left running."""
    import threading

    import learnsoc.scale.local as local

    pop = ls.synthetic_population(persons=6_000, seed=4, hierarchy=tree(6))
    ds = write_dataset(pop, tmp_path / "d")
    biggest = max(ds.partitions, key=lambda k: ds.rows[k]["persons"])
    started: list[str] = []
    failed = threading.Event()
    original = local.evaluate_partition

    def failing(pop: ls.Population, *args: Any, key: str, **kw: Any) -> Any:
        started.append(key)
        if key == biggest:
            failed.set()
            raise ZeroDivisionError("boom")
        # The others wait for the failure: without it, on a busy machine, the second
        # thread could run every other partition before the biggest is even read.
        failed.wait(10)
        return original(pop, *args, key=key, **kw)

    monkeypatch.setattr(local, "evaluate_partition", failing)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ZeroDivisionError, match="boom") as info:
            evaluate_dataset(ds, "example", "2025-12-31", threads=2)
    assert f"(partition province={biggest} of the dataset" in "".join(info.value.__notes__)
    assert len(started) < len(ds.partitions)
    assert not [t for t in threading.enumerate() if t.name.startswith("learnsoc-partition")]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"threads": 0}, "threads= must be a whole number, 1 or more; got 0"),
        ({"threads": True}, "threads= must be a whole number, 1 or more; got True"),
        ({"threads": 1.5}, "threads= must be a whole number, 1 or more; got 1.5"),
        ({"threads": 2, "workers": 2}, "give it without workers= or client="),
        ({"threads": 2, "client": "tcp://nowhere:1"}, "give it without workers= or client="),
    ],
)
def test_bad_threads_are_refused(tmp_path: Path, options: dict[str, Any], message: str) -> None:
    pop = ls.synthetic_population(persons=300, seed=4, hierarchy=tree(2))
    ds = write_dataset(pop, tmp_path / "d")
    with pytest.raises(DatasetError, match=re.escape(message)):
        evaluate_dataset(ds, "example", "2025-12-31", **options)


def test_threads_with_one_worker_or_one_thread_are_accepted(tmp_path: Path) -> None:
    pop = ls.synthetic_population(persons=300, seed=4, hierarchy=tree(2))
    ds = write_dataset(pop, tmp_path / "d")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = evaluate_dataset(ds, "example", "2025-12-31", threads=2, workers=1)
        b = evaluate_dataset(ds, "example", "2025-12-31", threads=1, workers=2)
    assert a.summary() == b.summary()


def test_workers_equal_local_and_in_memory(tmp_path: Path) -> None:
    """Two worker processes give the same counts and the same warnings, in the same order."""
    pop = ls.synthetic_population(persons=2_000, seed=5, hierarchy=tree(3))
    book = ls.load_rulebook("vn-national")
    inputs = ls.synthetic_inputs(pop, book, seed=3)
    ds = write_dataset(pop, tmp_path / "d")
    whole = evaluated(pop, "vn-national", "2025-12-31", inputs=inputs)
    ids = by_id(pop, inputs)
    here, mine = given_warnings(lambda: evaluate_dataset(ds, book, "2025-12-31", inputs=ids))
    there, theirs = given_warnings(
        lambda: evaluate_dataset(ds, book, "2025-12-31", inputs=ids, workers=2)
    )
    assert_same(whole, there)
    assert_same(whole, here)
    assert theirs == mine
    assert there.warnings == here.warnings
    assert there.result.partitions == ds.partitions


def test_merges_in_any_order_give_the_same_result(tmp_path: Path) -> None:
    """Every order and tree of merges gives the same counts, labels and missing inputs."""
    pop = ls.synthetic_population(persons=3_000, seed=8, hierarchy=tree(3))
    ds = write_dataset(pop, tmp_path / "d")
    job = Job(ds, ls.load_rulebook("hanoi"), "2025-12-31", None, None, True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parts = [run_partition(job, key) for key in ds.partitions]
    reference = run_here(job, lambda key: None)
    assert reference is not None
    orders: list[Outcome] = []
    for a, b, c in itertools.permutations(parts):
        orders.append(a.merge(b).merge(c))
        orders.append(c.merge(a.merge(b)))
    for outcome in orders:
        assert_same_outcome(reference, outcome)


def assert_same_outcome(a: Outcome, b: Outcome) -> None:
    ra, rb = a.result, b.result
    assert ra.rows == rb.rows
    assert list(ra.titles) == list(rb.titles)
    for t in ra.titles:
        x, y = ra.titles[t], rb.titles[t]
        assert (x.entities, x.assessed, x.passed, x.unknown) == (
            y.entities,
            y.assessed,
            y.passed,
            y.unknown,
        )
        assert np.array_equal(x.grades, y.grades)
        for field in ("entities", "assessed", "passed", "unknown"):
            assert np.array_equal(getattr(x.units, field), getattr(y.units, field))
    assert ra.criteria == rb.criteria
    assert ra.rollup.equals(rb.rollup)
    assert ra.standard is not None and rb.standard is not None
    assert ra.standard.equals(rb.standard)
    assert ra.skipped == rb.skipped
    assert ra.missing_inputs == rb.missing_inputs
    assert shown(a) == shown(b)


def shown(outcome: Outcome) -> list[tuple[int, int, str, str]]:
    found = sorted(outcome.warnings.values(), key=lambda w: w[:2])
    return [(n, rank, type(w).__name__, str(w)) for n, rank, w in found]


@pytest.mark.parametrize(
    ("partition_by", "book", "as_of"),
    [
        ("province", "hanoi", "2025-12-31"),
        ("commune", "example", "2025-12-31"),
        ("commune", "hanoi", "2025-12-31"),
        # Learning districts and provinces (Circular 25/2023) are not in force yet: decided
        # above the partitions, they read "not in force", not 0 granted (they read 0%).
        ("commune", "vn-national", "2022-12-31"),
        ("district", "hanoi", "2022-12-31"),
        ("province", "vn-national", "2022-12-31"),
    ],
)
def test_standard_rollup_equals_in_memory(
    partition_by: str, book: str, as_of: str, tmp_path: Path
) -> None:
    """The measures reports read are counted once per unit, above the partitions too.

    So are the measures not in force on the date, and progress towards targets reads them
    alike, in English and Vietnamese.
    """
    pop = ls.synthetic_population(persons=1_500, seed=21, hierarchy=tree(2, "vn-pre-2025"))
    try:
        ds = write_dataset(pop, tmp_path / "d", partition_by=partition_by)
    except DatasetError:
        pytest.skip("this seed puts a group across two partitions")
    ev = evaluated(pop, book, as_of)
    whole = ls.rollup(pop, ls.standard_measures(pop, titles=ls.standard_titles(ev)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parts = evaluate_dataset(ds, book, as_of, standard_measures=True).standard_rollup()
    a, b = whole.to_columns(), parts.to_columns()
    assert list(a) == list(b)
    for column in a:
        assert np.array_equal(a[column], b[column], equal_nan=a[column].dtype.kind == "f"), column
    assert dict(whole.absent_columns) == dict(parts.absent_columns)
    assert list(whole.not_in_force.items()) == list(parts.not_in_force.items())
    targets = ls.load_targets("hanoi-23-nq-tu")
    for locale in ("en", "vi"):
        mine = ls.progress(parts, targets).to_text(locale)
        assert mine == ls.progress(whole, targets).to_text(locale), locale


def test_upper_titles_not_in_force_are_no_zeros(tmp_path: Path) -> None:
    """Partitioned by commune, as of 2022: the districts and provinces (Circular 25/2023
    from 12/2/2024) are not in force; the report says so, not "0 / 2 not met"."""
    pop = ls.synthetic_population(persons=1_500, seed=21, hierarchy=tree(2, "vn-pre-2025"))
    ds = write_dataset(pop, tmp_path / "d", partition_by="commune")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = evaluate_dataset(ds, "vn-national", "2022-12-31", standard_measures=True)
    roll = result.standard_rollup()
    columns = roll.to_columns()
    for name in ("learning_districts", "learning_provinces"):
        assert roll.not_in_force[name] == dt.date(2022, 12, 31)
        assert name not in columns and f"{name}_missing" not in columns
    # Learning districts are counted by in-force measures again from 12/2/2024.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        later = evaluate_dataset(ds, "vn-national", "2024-12-31", standard_measures=True)
    assert "learning_districts" in later.standard_rollup().to_columns()
    assert not later.standard_rollup().not_in_force
    rows = ls.progress(roll, ls.load_targets("hanoi-23-nq-tu")).to_text("vi").splitlines()
    # A province's row begins with its code (the tree's units have no names of their own).
    districts = [
        r for r in rows if "Tỷ lệ Cộng đồng học tập cấp huyện" in r and re.match(r"0\d\s", r)
    ]
    assert len(districts) == 2  # the two provinces' rows
    for row in districts:
        assert row.endswith("không có hiệu lực vào ngày 31/12/2022"), row
        assert "0,00%" not in row


def test_standard_rollup_needs_the_flag(tmp_path: Path) -> None:
    pop = ls.synthetic_population(persons=1_000, seed=1, hierarchy=tree(2))
    ds = write_dataset(pop, tmp_path / "d")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = evaluate_dataset(ds, "example", "2025-06-30")
    with pytest.raises(DatasetError, match="standard_measures=True"):
        result.standard_rollup()


def test_an_error_in_a_worker_process_is_raised_as_itself(tmp_path: Path) -> None:
    """A damaged file read by a worker process is the DatasetError naming it, not a TypeError."""
    pop = ls.synthetic_population(persons=2_000, seed=1, hierarchy=tree(3))
    ds = write_dataset(pop, tmp_path / "d")
    partition_file(ds.path, "persons", "province", "02").write_bytes(b"not parquet")
    with pytest.raises(DatasetError, match=r"province=02.*not a readable Parquet file") as caught:
        evaluate_dataset(ds, "example", "2025-06-30", workers=2)
    assert caught.value.partition == "02"
    assert caught.value.message_id is not None


@pytest.mark.parametrize("rank", [0, 1, -1])
def test_a_damaged_partition_stops_the_run_wherever_it_runs(rank: int, tmp_path: Path) -> None:
    """This process takes the biggest partition, a worker the next: either one's error stops it.

    The run ends (no hang, no pool left behind) with the DatasetError naming the file,
    whether the damaged partition was run here (rank 0), by the worker at once (rank 1)
    or handed to a process that finished its first one (the smallest, last).
    """
    pop = ls.synthetic_population(persons=3_000, seed=4, hierarchy=tree(4))
    ds = write_dataset(pop, tmp_path / "d")
    job = Job(ds, ls.load_rulebook("example"), "2025-06-30", None, None, False)
    order = job.largest_first
    assert len(order) == 4
    assert [ds.rows[k]["persons"] for k in order] == sorted(
        (ds.rows[k]["persons"] for k in order), reverse=True
    )
    key = order[rank]
    partition_file(ds.path, "households", "province", key).write_bytes(b"PAR1 nothing")
    with pytest.raises(DatasetError, match=rf"province={key}.*not a readable Parquet") as caught:
        evaluate_dataset(ds, "example", "2025-06-30", workers=2)
    assert caught.value.partition == key


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"workers": 0}, "workers= must be a whole number, 1 or more; got 0"),
        ({"workers": 2.0}, "workers= must be a whole number"),
        ({"workers": 2, "client": "tcp://nowhere:8786"}, "give workers= or client=, not both"),
    ],
)
def test_bad_runner_options(options: dict[str, Any], message: str, tmp_path: Path) -> None:
    ds = write_dataset(ls.synthetic_population(persons=500, seed=1, hierarchy=tree(2)), tmp_path)
    with pytest.raises(DatasetError, match=message):
        evaluate_dataset(ds, "example", "2025-06-30", **options)


def test_a_client_without_dask_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the package distributed, client= says which extra to install."""
    ds = write_dataset(ls.synthetic_population(persons=500, seed=1, hierarchy=tree(2)), tmp_path)
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(OptionalDependencyError, match=r"pip install 'learnsoc\[dask\]'"):
        evaluate_dataset(ds, "example", "2025-06-30", client="tcp://127.0.0.1:8786")


def test_import_learnsoc_does_not_import_dask() -> None:
    import subprocess

    code = "import learnsoc, learnsoc.scale, sys; print('distributed' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_rulebook_travels_to_a_process() -> None:
    """A rulebook's read-only mappings do not pickle; a Portable carries it all the same."""
    book = ls.load_rulebook("vn-national")
    back = pickle.loads(pickle.dumps(Portable(book)))  # noqa: S301 (our own bytes)
    assert back.id == book.id and dict(back.parameters).keys() == dict(book.parameters).keys()


# -- worker processes that cannot start or do not finish ------------------------------------

NO_GUARD = """
import warnings
import learnsoc as ls
warnings.simplefilter("ignore")
ls.evaluate_dataset({folder!r}, "example", "2025-06-30", workers=2)
print("finished")
"""


def test_a_script_without_the_main_guard_stops_with_the_fix(tmp_path: Path) -> None:
    """Each worker imports the script again: it used to wait forever for its own workers."""
    pop = ls.synthetic_population(persons=1_500, seed=2, hierarchy=tree(3))
    write_dataset(pop, tmp_path / "d")
    script = tmp_path / "count.py"
    script.write_text(NO_GUARD.format(folder=str(tmp_path / "d")))
    root = str(Path(__file__).resolve().parents[2])
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": root},
    )
    assert done.returncode == 1
    assert "finished" not in done.stdout
    assert "WorkerError: evaluate_dataset(workers=2) was called while a worker" in done.stderr
    assert "put the script's code under 'if __name__ == \"__main__\":'" in done.stderr
    assert "WorkerError: a worker process ended abruptly while it ran partition" in done.stderr


def test_a_worker_killed_mid_run_is_a_worker_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The system kills a worker (out of memory): a WorkerError naming its partition."""

    pop = ls.synthetic_population(persons=1_500, seed=2, hierarchy=tree(3))
    ds = write_dataset(pop, tmp_path / "d")
    here = os.getpid()
    run = local.run_partition

    def killed_elsewhere(job: Job, key: str, **kw: Any) -> Outcome:
        if os.getpid() != here:
            os._exit(137)
        return run(job, key, **kw)

    # Forked workers inherit the patch (the fork server's would import learnsoc afresh).
    monkeypatch.setattr(local, "_context", lambda: multiprocessing.get_context("fork"))
    monkeypatch.setattr(local, "run_partition", killed_elsewhere)
    warnings.simplefilter("ignore")  # pytest restores the filters after the test
    with pytest.raises(WorkerError, match=r"ended abruptly while it ran partition province=0\d"):
        evaluate_dataset(ds, "example", "2025-06-30", workers=2)


def started_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threads: int
) -> tuple[ls.Population, ls.io.Dataset, list[str], Any]:
    """A dataset of four provinces of different sizes evaluated with ``threads``: the
    population, the dataset, the partitions in the order they started, the evaluation."""
    import learnsoc.scale.local as local

    pop = ls.synthetic_population(persons=3_000, seed=4, hierarchy=tree(4))
    ds = write_dataset(pop, tmp_path / "d")
    assert len({ds.rows[k]["persons"] for k in ds.partitions}) == 4
    started: list[str] = []
    original = local.run_partition

    def spy(job: Job, key: str, **options: Any) -> Any:
        started.append(key)
        return original(job, key, **options)

    monkeypatch.setattr(local, "run_partition", spy)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = evaluate_dataset(ds, "example", "2025-12-31", threads=threads)
    return pop, ds, started, got


def test_one_process_runs_the_smallest_partition_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Smallest first (a short wait for the first decoding), with the result of any order."""
    pop, ds, ran, got = started_in_order(tmp_path, monkeypatch, threads=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    assert ran == sorted(ds.partitions, key=lambda k: ds.rows[k]["persons"])
    assert ran != list(ds.partitions)  # the dataset's order is not by size here
    assert got.summary() == whole.summary()


def test_threads_run_the_biggest_partitions_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Threads start on the biggest partitions (a big one started last leaves a core idle)."""
    _, ds, started, _ = started_in_order(tmp_path, monkeypatch, threads=2)
    biggest = sorted(ds.partitions, key=lambda k: -ds.rows[k]["persons"])
    assert set(started[:2]) == set(biggest[:2])
    assert sorted(started) == sorted(ds.partitions)


def failing_verdicts(
    monkeypatch: pytest.MonkeyPatch, error: BaseException, at: int = 2
) -> list[str]:
    """Have the ``at``-th partition's verdict file fail with ``error``; return the order."""
    real = local._write_verdicts
    order: list[str] = []

    def flaky(ev: Any, owned: Any, folder: Path, level: str, key: str) -> None:
        order.append(key)
        if len(order) == at:
            raise error
        real(ev, owned, folder, level, key)

    monkeypatch.setattr(local, "_write_verdicts", flaky)
    return order


def test_a_verdict_file_that_cannot_be_written_stops_the_run_and_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails (a full disk) stops the run with its own error, naming its
    partition, and leaves no verdicts folder, not even the first partition's file
    (which was written): never some partitions' verdicts that read as all of them."""
    pop = ls.synthetic_population(persons=2_000, seed=6, hierarchy=tree(3))
    ds = write_dataset(pop, tmp_path / "d")
    order = failing_verdicts(monkeypatch, OSError(28, "No space left on device"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(OSError, match="No space left") as failed:
            evaluate_dataset(ds, "vn-national", "2025-12-31", verdicts_out=tmp_path / "v")
    second = order[1]
    assert any(f"={second} of the dataset" in note for note in failed.value.__notes__)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d"]  # nor a hidden staged one


@pytest.mark.parametrize("threads", [1, 2])
def test_an_interrupt_midway_leaves_the_empty_folder_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    """Ctrl-C in the third partition: the empty folder given stays empty, and a second
    run into it writes every partition's file."""
    pop = ls.synthetic_population(persons=2_000, seed=6, hierarchy=tree(4))
    ds = write_dataset(pop, tmp_path / "d")
    out = tmp_path / "v"
    out.mkdir()
    failing_verdicts(monkeypatch, KeyboardInterrupt(), at=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(KeyboardInterrupt):
            evaluate_dataset(ds, "example", "2025-12-31", verdicts_out=out, threads=threads)
    assert list(out.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d", "v"]
    monkeypatch.undo()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        evaluate_dataset(ds, "example", "2025-12-31", verdicts_out=out, threads=threads)
    written = sorted(p.parent.name for p in out.rglob("*.parquet"))
    assert written == [f"province={key}" for key in sorted(ds.partitions)]


def test_a_folder_that_holds_files_is_refused_before_any_partition_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The verdicts of an earlier run are not mixed with this one's, nor replaced."""
    pop = ls.synthetic_population(persons=1_000, seed=6, hierarchy=tree(2))
    ds = write_dataset(pop, tmp_path / "d")
    (tmp_path / "v").mkdir()
    (tmp_path / "v" / "notes.txt").write_text("kept")
    ran = failing_verdicts(monkeypatch, AssertionError("a partition ran"), at=1)
    with pytest.raises(OutputPathError, match="not a new or empty folder") as refused:
        evaluate_dataset(ds, "example", "2025-12-31", verdicts_out=tmp_path / "v")
    assert ran == []
    assert "thư mục" in refused.value.localized("vi")
    assert [p.name for p in (tmp_path / "v").iterdir()] == ["notes.txt"]


def test_verdict_files_are_whole_when_the_run_returns(tmp_path: Path) -> None:
    """Every partition's verdict file is whole once ``evaluate_dataset`` returns (row
    groups are encoded on a thread: the last one is waited for)."""
    pq = pytest.importorskip("pyarrow.parquet")
    ds, whole = verdicts_out_and_whole(tmp_path, seed=7)
    rows = sum(
        pq.ParquetFile(
            partition_file(tmp_path / "v", "verdicts", ds.partition_by, key)
        ).metadata.num_rows
        for key in ds.partitions
    )
    assert rows == len(whole.to_columns()["id"])


def test_default_threads_follow_the_cores_and_the_partitions_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two threads on two cores or more for partitions of a million persons on average;
    one for small partitions (slower in threads) and on one core."""
    pop = ls.synthetic_population(persons=3_000, seed=4, hierarchy=tree(3))
    ds = write_dataset(pop, tmp_path / "d")
    for cores, small, big in [(1, 1, 1), (2, 1, 2), (8, 1, 2)]:
        monkeypatch.setattr(os, "sched_getaffinity", lambda pid, n=cores: set(range(n)))
        assert local.default_threads(ds) == small
        assert local.default_threads() == big
        with monkeypatch.context() as m:
            m.setattr(local, "THREADS_FROM_PERSONS", ds.n_persons // len(ds.partitions))
            assert local.default_threads(ds) == big
            m.setattr(local, "THREADS_FROM_PERSONS", ds.n_persons // len(ds.partitions) + 1)
            assert local.default_threads(ds) == 1


def test_threads_add_each_partitions_counts_as_it_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A partition's counts are added (and a bar step taken) as soon as it finishes, not
    once all have: waiting for all held every partition's counts at once (4.7 GiB at 100M
    persons in 50 provinces, against 1.3 GiB one partition after the other)."""
    import threading

    import learnsoc.scale.local as local

    pop = ls.synthetic_population(persons=3_000, seed=4, hierarchy=tree(4))
    ds = write_dataset(pop, tmp_path / "d")
    last = local.Job(ds, ls.load_rulebook("example"), "2025-12-31", None, None, False)
    keys = last.largest_first
    ticked = threading.Event()
    original = local.run_partition

    def slow_last(job: Job, key: str, **options: Any) -> Any:
        if key == keys[-1] and not ticked.wait(20):
            raise AssertionError("no partition was counted before the last one finished")
        return original(job, key, **options)

    monkeypatch.setattr(local, "run_partition", slow_last)
    steps: list[str] = []

    def tick(key: str) -> None:
        steps.append(key)
        ticked.set()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outcome = local.thread_runner(2)(last, tick)
        whole = run_here(last, lambda key: None)
    assert outcome is not None and whole is not None
    assert sorted(steps) == sorted(keys)
    assert_same_outcome_counts(outcome, whole)


def assert_same_outcome_counts(a: Outcome, b: Outcome) -> None:
    assert a.result.rows == b.result.rows
    for t in a.result.titles:
        x, y = a.result.titles[t], b.result.titles[t]
        assert (x.entities, x.assessed, x.passed, x.unknown) == (
            y.entities,
            y.assessed,
            y.passed,
            y.unknown,
        )


@pytest.mark.parametrize("verdicts", [False, True])
def test_warnings_point_at_the_caller(tmp_path: Path, verdicts: bool) -> None:
    """The partitions' warnings name the line that called ``evaluate_dataset``, with
    ``verdicts_out=`` too (its run is one call deeper)."""
    pop = ls.synthetic_population(persons=500, seed=1, hierarchy=tree(2))
    ds = write_dataset(pop, tmp_path / "d")
    out = tmp_path / "v" if verdicts else None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        evaluate_dataset(ds, "vn-national", "2025-12-31", verdicts_out=out)
    assert caught
    assert {Path(w.filename).name for w in caught} == {Path(__file__).name}
