"""Row groups decoded ahead: the same batches, the same errors, no thread left behind."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import attrs
import pytest

from learnsoc.io import prefetch
from learnsoc.io.dataset import DatasetError
from learnsoc.io.files import FileFormatError
from learnsoc.io.parquet import read_parquet
from learnsoc.io.prefetch import Prefetch
from learnsoc.scale import local
from tests.io.dataset_copies import evaluate, file_of, fresh_copy, good_dataset
from tests.io.test_parquet import damage, persons

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("learnsoc-prefetch")]


def batches(path: Path, columns: list[str] | None = None) -> list[dict[str, list[Any]]]:
    table = read_parquet(path, batch_size=1_000, dictionary=["household_id"])
    return [{k: list(v.to_pylist()) for k, v in b.items()} for b in table.iter_batches(columns)]


@pytest.fixture
def two(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    pq.write_table(persons(), a, row_group_size=1_000)
    pq.write_table(persons(age=list(range(3_000))), b, row_group_size=1_000)
    return a, b


def test_the_groups_decoded_ahead_are_the_groups_read(two: tuple[Path, Path]) -> None:
    a, b = two
    plain = batches(b, ["person_id", "age", "household_id"])
    with Prefetch() as ahead, ahead.active():
        batches(a, ["person_id", "age", "household_id"])
        ahead.start(b, like=a)
        taken = batches(b, ["person_id", "age", "household_id"])
    assert ahead.taken == 3
    assert taken == plain
    assert [len(x["age"]) for x in taken] == [1_000] * 3
    assert threads() == []


def test_other_columns_are_read_from_the_file(two: tuple[Path, Path]) -> None:
    """Decoded with a's columns, b asked for others: nothing taken, b read as asked."""
    a, b = two
    with Prefetch() as ahead, ahead.active():
        batches(a, ["person_id", "age"])
        ahead.start(b, like=a)
        got = batches(b, ["person_id", "sex"])
    assert ahead.taken == 0
    assert got == batches(b, ["person_id", "sex"])
    assert set(got[0]) == {"person_id", "sex"}


def test_the_groups_past_the_budget_are_read_when_needed(two: tuple[Path, Path]) -> None:
    a, b = two
    with Prefetch(budget=1) as ahead, ahead.active():
        batches(a)
        ahead.start(b, like=a)
        got = batches(b)
    assert ahead.taken == 1  # the first group always, then none past the budget
    assert got == batches(b)


def test_the_budget_holds_for_all_files_together(two: tuple[Path, Path], tmp_path: Path) -> None:
    """Started file by file (a partition's five tables), the groups held stay in budget."""
    a, b = two
    c = tmp_path / "c.parquet"
    pq.write_table(persons(), c, row_group_size=1_000)
    with Prefetch(budget=1) as ahead, ahead.active():
        batches(a)
        ahead.start(b, like=a)  # one group: nothing was held
        ahead.start(c, like=a)  # none: b's group is held
        batches(b)
        batches(c)
    assert ahead.taken == 1


def test_nothing_is_started_for_a_file_not_read_before(two: tuple[Path, Path]) -> None:
    a, b = two
    with Prefetch() as ahead, ahead.active():
        ahead.start(b, like=a)
        batches(b)
    assert ahead.taken == 0


def test_without_the_prefetch_active_the_reader_does_not_take(two: tuple[Path, Path]) -> None:
    a, b = two
    with Prefetch() as ahead:
        with ahead.active():
            batches(a)
        ahead.start(b, like=a)
        batches(b)
        assert prefetch.current() is None
    assert ahead.taken == 0


def test_a_damaged_group_decoded_ahead_is_the_readers_error(two: tuple[Path, Path]) -> None:
    """The background decoding's error is raised where the plain reading raises it."""
    a, b = two
    damage(b, group=1, column=2)
    with Prefetch() as ahead, ahead.active():
        batches(a)
        ahead.start(b, like=a)
        with pytest.raises(FileFormatError, match=r"\(row group 2 of 3\): .*damaged") as err:
            batches(b)
    assert err.value.file == str(b)
    assert threads() == []


def test_a_file_pyarrow_cannot_open_is_left_to_its_reader(two: tuple[Path, Path]) -> None:
    a, b = two
    b.write_bytes(b"not parquet")
    with Prefetch() as ahead, ahead.active():
        batches(a)
        ahead.start(b, like=a)
        with pytest.raises(FileFormatError, match="not a readable Parquet file"):
            batches(b)


# -- in a dataset's run -------------------------------------------------------------------


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return good_dataset(tmp_path_factory, "ahead", persons=6_000, seed=5)


def flat(counts: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        title: {k: getattr(v, "tolist", lambda v=v: v)() for k, v in attrs.asdict(c).items()}
        for title, c in counts.items()
    }


def test_a_run_takes_every_later_partition_from_the_prefetch(
    dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[Prefetch] = []

    class Recorded(Prefetch):
        def __init__(self) -> None:
            super().__init__()
            made.append(self)

    monkeypatch.setattr(local, "Prefetch", Recorded)
    ev = evaluate(dataset)
    (ahead,) = made
    # Every file of partitions 02 and 03 is one row group, decoded ahead.
    assert ahead.taken == 2 * 5
    assert threads() == []

    class Never(Prefetch):
        def start(self, path: Any, *, like: Any) -> None:
            pass

    monkeypatch.setattr(local, "Prefetch", Never)
    assert str(ev.summary()) == str(evaluate(dataset).summary())
    assert flat(ev.title_counts()) == flat(evaluate(dataset).title_counts())


def test_a_damaged_later_partition_names_its_file(dataset: Path, tmp_path: Path) -> None:
    folder = fresh_copy(dataset, tmp_path)
    path = damage(file_of(folder, "persons", "03"), group=0, column=2)
    with pytest.raises((FileFormatError, DatasetError), match="not a readable Parquet") as err:
        evaluate(folder)
    assert str(path) in str(err.value)
    assert "partition province=03" in "".join(getattr(err.value, "__notes__", [])) or (
        getattr(err.value, "partition", None) == "03"
    )
    assert threads() == []


def test_a_bomb_is_never_decoded_ahead(two: tuple[Path, Path], tmp_path: Path) -> None:
    """Millions of equal rows in a few KB: refused by its reader, never decoded ahead."""
    import numpy as np

    a, _ = two
    bomb = tmp_path / "bomb.parquet"
    zeros = pa.array(np.zeros(12_000_000, np.int8))
    pq.write_table(
        pa.table({"person_id": zeros, "household_id": zeros, "age": zeros}),
        bomb,
        compression="zstd",
    )
    with Prefetch() as ahead, ahead.active():
        batches(a, ["person_id", "household_id", "age"])
        ahead.start(bomb, like=a)
        assert ahead._ahead == {}
        with pytest.raises(FileFormatError, match="MAX_EXPANSION"):
            batches(bomb, ["person_id", "household_id", "age"])
