"""A dataset holds the rows the files read whole accept: the same figures as in memory.

The messy files of tests/io/messy_files.py read with ``read_population``: evaluated in
memory, and written with ``write_dataset`` or a ``DatasetWriter`` then evaluated with
``evaluate_dataset``, for each bundled rulebook. A population read with ``columns=`` did
not check its files' other cells, so no dataset is written from it.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Collection
from pathlib import Path

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.io.dataset import DatasetError, DatasetWriter, read_dataset, write_dataset
from learnsoc.io.rejects import FileReject
from learnsoc.model.schema import STANDARD_SCHEMA, ColumnSpec, Schema
from tests.io.messy_files import BAD_CELLS, messy_folder
from tests.io.test_dataset import tree

pytest.importorskip("pyarrow")

BOOKS = ("vn-national", "hanoi", "example")
AS_OF = "2025-12-31"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("messy")
    messy_folder(root)
    return root / "all"


def read(
    folder: Path, book: str = "vn-national", columns: Collection[str] | None = None
) -> ls.Population:
    """Read the files with the rulebook's schema (its inputs are columns of the files)."""
    return ls.read_population(
        folder / "persons.csv",
        households=folder / "households.csv",
        units=folder / "units.csv",
        clans=folder / "clans.csv",
        organisations=folder / "organisations.csv",
        memberships=folder / "memberships.csv",
        schema=ls.load_rulebook(book).schema(),
        columns=columns,
    )


def test_the_files_have_the_bad_rows(folder: Path) -> None:
    """Read whole, every bad cell rejects its row (accepted + rejected = read)."""
    pop = read(folder)
    records = [r for r in pop.rejects.records() if isinstance(r, FileReject)]
    found = {(Path(r.file).stem, str(r.line), r.column, r.reason) for r in records}
    assert set(BAD_CELLS) <= found
    assert pop.rejects.unchecked == {}  # type: ignore[attr-defined]
    for read_, accepted, rejected in pop.rejects.counts().values():
        assert read_ == accepted + rejected


@pytest.mark.parametrize("book", BOOKS)
def test_dataset_of_the_files_evaluates_as_in_memory(
    book: str, folder: Path, tmp_path: Path
) -> None:
    """Summary, title counts, criterion tallies and rollup: equal, also reading fewer columns.

    The files hold the rulebook's inputs as columns: the dataset keeps them (it could not
    be read back, an "unknown column", before the manifest described them).
    """
    pop = read(folder, book)
    rulebook = ls.load_rulebook(book)
    write_dataset(pop, tmp_path / "d")
    # The rulebook's input columns are kept, and described in the manifest.
    assert "learning_plan" in read_dataset(tmp_path / "d").partition("01").columns("organisation")
    narrow = read_dataset(tmp_path / "d", columns=rulebook.columns_read(as_of=AS_OF))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ls.evaluate(pop, rulebook, AS_OF)
        results = [ls.evaluate_dataset(d, rulebook, AS_OF) for d in (tmp_path / "d", narrow)]
    for result in results:
        assert result.summary() == ev.summary()
        assert result.criterion_counts() == ls.scale.criterion_counts(ev)
        for title, counts in ev.title_counts().items():
            mine = result.title_counts()[title]
            for field in ("entities", "assessed", "passed", "unknown"):
                assert np.array_equal(getattr(mine, field), getattr(counts, field)), field
        got, want = result.rollup().to_columns(), ev.rollup().to_columns()
        assert list(got) == list(want)
        for column in want:
            nan = want[column].dtype.kind == "f"
            assert np.array_equal(got[column], want[column], equal_nan=nan), column


@pytest.mark.parametrize("how", ["writer", "write_dataset"])
def test_a_population_read_with_columns_makes_no_dataset(
    how: str, folder: Path, tmp_path: Path
) -> None:
    """Its rows with a bad cell in an unread column would be in the dataset: refused.

    The error names the persons file and the columns left unchecked; nothing is written.
    """
    needed = ls.load_rulebook("vn-national").columns_read(as_of=AS_OF)
    pop = read(folder, columns=needed)
    unchecked = pop.rejects.unchecked  # type: ignore[attr-defined]
    assert {"party_member", "citizen_points", "employment", "sex"} <= set(unchecked["person"])
    # Read so, the bad cells in those columns rejected nobody: the counts would differ.
    assert pop.n_persons > read(folder).n_persons
    target = tmp_path / "d"

    def write() -> None:
        if how == "writer":
            with DatasetWriter(target, pop.hierarchy, rejects="drop") as writer:
                writer.write(pop)
        else:
            write_dataset(pop, target)

    with pytest.raises(DatasetError, match="read with columns=") as caught:
        write()
    assert caught.value.file is not None and caught.value.file.endswith("persons.csv")
    assert f"person: {unchecked['person'][0]}, " in str(caught.value)
    assert not target.exists() or not any(target.iterdir())


def _one_household(unit: str, person: int, schema: Schema, plan: object) -> ls.Population:
    """One person in one household of ``unit``, and an organisation with ``learning_plan``."""
    return ls.Population.from_columns(
        {"person_id": [person], "household_id": [person], "age": [40]},
        {"household_id": [person], "unit_code": [unit]},
        tree(2),
        organisations={
            "organisation_id": [person],
            "organisation_type": [1],
            "unit_code": [unit],
            "learning_plan": [plan],
        },
        schema=schema,
    )


def test_a_column_described_two_ways_makes_no_dataset(tmp_path: Path) -> None:
    """learning_plan a yes/no in one province, a share in the next: refused.

    The writer goes on: the province read again as a yes/no (with another label) is written.
    """
    yes_no = ls.load_rulebook("vn-national").schema()
    share = STANDARD_SCHEMA.extend(
        organisation=[ColumnSpec("learning_plan", "float", "plan", "float64", 0, 1)]
    )
    first = _one_household("010101", 1, yes_no, 1)
    second = _one_household("020101", 2, share, 0.5)
    target = tmp_path / "d"
    writer = DatasetWriter(target, first.hierarchy)
    writer.write(first, source="tinh-01")
    with pytest.raises(DatasetError, match="'learning_plan' of the organisation table") as caught:
        writer.write(second, source="tinh-02")
    assert caught.value.file == "tinh-02"
    assert "bool, uint8 then float, float64" in str(caught.value)
    # A yes/no again, under another rulebook's label: the values stored are the same.
    example = ls.load_rulebook("example").schema()
    writer.write(_one_household("020101", 2, example, 0), source="tinh-02")
    ds = writer.close()
    assert ds.partition("02").columns("organisation")["learning_plan"].tolist() == [0]


@pytest.mark.parametrize(
    "columns",
    [
        [],
        {"village": []},
        {"household": [{"name": "not a name", "kind": "bool", "label": "x", "dtype": "uint8"}]},
        {"household": [{"name": "x", "kind": "blob", "label": "x", "dtype": "uint8"}]},
        {"household": [{"name": "x", "kind": "code", "label": "x", "dtype": "uint8"}]},
        {"household": [{"name": "x", "kind": "int", "label": "x", "dtype": "object"}]},
        {"household": [{"name": "registered", "kind": "bool", "label": "x", "dtype": "uint8"}]},
    ],
)
def test_a_manifest_whose_columns_are_not_columns_is_refused(
    columns: object, tmp_path: Path
) -> None:
    """A hand-edited manifest: a DatasetError naming it, not a raw KeyError or TypeError."""
    pop = _one_household("010101", 1, ls.load_rulebook("vn-national").schema(), 1)
    write_dataset(pop, tmp_path / "d")
    manifest = tmp_path / "d" / "manifest.json"
    data = json.loads(manifest.read_text("utf-8"))
    assert "learning_plan" in [c["name"] for c in data["columns"]["organisation"]]
    data["columns"] = columns
    manifest.write_text(json.dumps(data), "utf-8")
    with pytest.raises(DatasetError, match="its columns are not column descriptions"):
        read_dataset(tmp_path / "d")
