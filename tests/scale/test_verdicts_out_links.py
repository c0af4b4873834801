"""``verdicts_out=`` writes only inside its folder: a link planted there is refused."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.io.dataset import write_dataset
from learnsoc.io.writers import OutputPathError
from learnsoc.scale import evaluate_dataset
from tests.io.test_dataset import tree

pytest.importorskip("pyarrow")


@pytest.fixture(scope="module")
def population() -> ls.Population:
    return ls.synthetic_population(persons=3_000, seed=3, hierarchy=tree(3))


@pytest.fixture(scope="module")
def dataset(population: ls.Population, tmp_path_factory: pytest.TempPathFactory) -> ls.io.Dataset:
    return write_dataset(population, tmp_path_factory.mktemp("links") / "d")


def evaluated(ds: ls.io.Dataset, out: Path) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return evaluate_dataset(ds, "example", "2025-12-31", verdicts_out=out)


def test_a_linked_partition_folder_is_refused_before_anything_is_written(
    dataset: ls.io.Dataset, tmp_path: Path
) -> None:
    """``verdicts/province=02 -> elsewhere`` had the partition's verdicts written there."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    (out / "verdicts").mkdir(parents=True)
    link = out / "verdicts" / "province=02"
    link.symlink_to(elsewhere)
    with pytest.raises(OutputPathError) as caught:
        evaluated(dataset, out)
    assert str(link) in str(caught.value)
    assert str(elsewhere.resolve()) in str(caught.value)
    assert "liên kết tượng trưng" in caught.value.localized("vi")
    assert list(elsewhere.iterdir()) == []
    # Refused before any partition was evaluated: no other partition's file either.
    assert sorted(p.name for p in (out / "verdicts").iterdir()) == ["province=02"]


def test_a_linked_verdicts_file_or_folder_is_refused(
    dataset: ls.io.Dataset, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.parquet"
    victim.write_bytes(b"precious")
    out = tmp_path / "out"
    (out / "verdicts" / "province=01").mkdir(parents=True)
    (out / "verdicts" / "province=01" / "part-0.parquet").symlink_to(victim)
    with pytest.raises(OutputPathError, match=r"part-0\.parquet' is a symbolic link to"):
        evaluated(dataset, out)
    assert victim.read_bytes() == b"precious"
    (out / "verdicts" / "province=01" / "part-0.parquet").unlink()
    (out / "verdicts" / "province=01").rmdir()
    (out / "verdicts").rmdir()
    (out / "verdicts").symlink_to(tmp_path, target_is_directory=True)  # the whole folder
    with pytest.raises(OutputPathError, match="verdicts' is a symbolic link to"):
        evaluated(dataset, out)
    assert not (tmp_path / "province=01").exists()


def test_links_inside_the_folder_and_a_linked_folder_are_followed(
    population: ls.Population, dataset: ls.io.Dataset, tmp_path: Path
) -> None:
    """What stays inside is written as before: one file per partition, every row there."""
    pq = pytest.importorskip("pyarrow.parquet")
    real = tmp_path / "real"
    (real / "store").mkdir(parents=True)
    (real / "verdicts").mkdir()
    (real / "verdicts" / "province=03").symlink_to(real / "store")
    out = tmp_path / "out"
    out.symlink_to(real)  # the output folder itself may be a link
    evaluated(dataset, out)
    assert (real / "store" / "part-0.parquet").is_file()
    rows = sum(
        pq.read_metadata(real / "verdicts" / f"province={key}" / "part-0.parquet").num_rows
        for key in dataset.partitions
    )
    above = real / "verdicts_above.parquet"
    if above.exists():
        rows += pq.read_metadata(above).num_rows
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = ls.evaluate(population, ls.load_rulebook("example"), "2025-12-31")
    assert rows == len(whole.to_columns()["id"])
