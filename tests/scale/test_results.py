"""learnsoc.scale.results: the results folder of a dataset's evaluation, read back exactly."""

from __future__ import annotations

import hashlib
import json
import shutil
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.scale.results import ResultsError, read_results, write_results
from tests.io.test_dataset import tree

pytest.importorskip("pyarrow")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    root = tmp_path_factory.mktemp("saved")
    pop = ls.synthetic_population(persons=1_200, seed=5, hierarchy=tree(2, "vn-pre-2025"))
    ls.write_dataset(pop, root / "d")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ls.evaluate_dataset(root / "d", "hanoi", "2025-12-31", standard_measures=True)
    write_results(ev, root / "r", warnings=[{"en": "careful", "vi": "cẩn thận"}])
    return ev, root / "r"


def test_the_rollup_read_back_is_the_evaluation_s(written: tuple[Any, Path]) -> None:
    """Every column, value and dtype of the standard rollup, and what it says of itself."""
    ev, folder = written
    saved = read_results(folder)
    a, b = saved.standard_rollup().to_columns(), ev.standard_rollup().to_columns()
    assert list(a) == list(b)
    for column in b:
        assert a[column].dtype == b[column].dtype, column
        assert np.array_equal(a[column], b[column], equal_nan=a[column].dtype.kind == "f")
    assert saved.rulebook == "hanoi" and saved.as_of.isoformat() == "2025-12-31"
    assert saved.rulebook_version == ev.rulebook.info.version
    assert saved.partition_by == "province" and saved.persons == 1_200
    assert saved.warnings == ({"en": "careful", "vi": "cẩn thận"},)
    assert saved.hierarchy.levels == ev.hierarchy.levels


@pytest.fixture
def copy(written: tuple[Any, Path], tmp_path: Path) -> Path:
    shutil.copytree(written[1], tmp_path / "r")
    return tmp_path / "r"


def edit(folder: Path, change: Any) -> None:
    path = folder / "results.json"
    manifest = json.loads(path.read_text("utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest), "utf-8")


def field(*keys: str, value: Any) -> Any:
    def change(m: dict[str, Any]) -> None:
        for key in keys[:-1]:
            m = m[key]
        m[keys[-1]] = value

    return change


@pytest.mark.parametrize(
    "change",
    [
        field("rulebook", "id", value=1),
        field("hierarchy", value=3),
        field("rejected_rows", value=-1),
        field("inputs", value=[1]),
        field("warnings", value=[{"vi": "x"}]),
        field("measures", value=[]),
        field("absent_columns", value={"workers": [1]}),
        field("absent_columns", value=["workers"]),
        field("units", "file", value="other.parquet"),
        field("counts", "sha256", value=None),
        lambda m: m.pop("as_of"),
    ],
)
def test_a_field_missing_or_of_the_wrong_type(change: Any, copy: Path) -> None:
    edit(copy, change)
    with pytest.raises(ResultsError, match="a field is missing or has the wrong type") as caught:
        read_results(copy)
    assert caught.value.file == str(copy / "results.json")


def test_a_partition_level_the_tree_does_not_have(copy: Path) -> None:
    edit(copy, field("partition_by", value="hamlet"))
    with pytest.raises(ResultsError, match="its partition level is not a level of the tree"):
        read_results(copy)


def fixed_sha(folder: Path, name: str) -> None:
    digest = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    key = "units" if name == "units.parquet" else "counts"
    edit(folder, field(key, "sha256", value=digest))


def test_a_file_that_is_not_parquet_with_its_checksum(copy: Path) -> None:
    (copy / "units.parquet").write_bytes(b"not parquet at all")
    fixed_sha(copy, "units.parquet")
    with pytest.raises(ResultsError, match="not a readable Parquet file") as caught:
        read_results(copy)
    assert caught.value.file == str(copy / "units.parquet")


def test_rows_the_manifest_does_not_record(copy: Path) -> None:
    import pyarrow.parquet as pq

    table = pq.read_table(copy / "standard_counts.parquet")
    pq.write_table(table.slice(1), copy / "standard_counts.parquet")
    fixed_sha(copy, "standard_counts.parquet")
    with pytest.raises(ResultsError, match=r"the file has \d+ rows, results.json records"):
        read_results(copy)


def test_a_folder_is_written_with_its_manifest_last(copy: Path) -> None:
    """An interrupted write (no manifest) is told apart from a damaged one."""
    (copy / "results.json").unlink()
    with pytest.raises(ResultsError, match="an interrupted run leaves none"):
        read_results(copy)
