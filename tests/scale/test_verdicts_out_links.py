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


def test_a_folder_with_a_link_planted_is_refused_before_anything_is_written(
    dataset: ls.io.Dataset, tmp_path: Path
) -> None:
    """``verdicts/province=02 -> elsewhere`` had the partition's verdicts written there.

    The verdicts go to a new folder of their own, renamed to ``out`` once whole, so a
    folder that holds anything, a link too, is refused before any partition runs."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    (out / "verdicts").mkdir(parents=True)
    link = out / "verdicts" / "province=02"
    link.symlink_to(elsewhere)
    with pytest.raises(OutputPathError, match="not a new or empty folder") as caught:
        evaluated(dataset, out)
    assert str(out) in str(caught.value)
    assert list(elsewhere.iterdir()) == []
    assert sorted(p.name for p in (out / "verdicts").iterdir()) == ["province=02"]


def test_a_linked_empty_folder_is_followed(
    population: ls.Population, dataset: ls.io.Dataset, tmp_path: Path
) -> None:
    """A link to an empty folder (verdicts kept on other storage) is written through:
    one file per partition where it leads, every row there, the link kept."""
    pq = pytest.importorskip("pyarrow.parquet")
    real = tmp_path / "real"
    real.mkdir()
    out = tmp_path / "out"
    out.symlink_to(real)  # the output folder itself may be a link
    evaluated(dataset, out)
    assert out.is_symlink()
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
