"""A dataset holds the rows the files read whole accept: the same figures as in memory.

The messy files of tests/io/messy_files.py read with ``read_population``: evaluated in
memory, and written with ``write_dataset`` or a ``DatasetWriter`` then evaluated with
``evaluate_dataset``, for each bundled rulebook. A population read with ``columns=`` did
not check its files' other cells, so no dataset is written from it.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.io.dataset import DatasetError, DatasetWriter, read_dataset, write_dataset
from learnsoc.io.rejects import FileReject
from tests.io.messy_files import BAD_CELLS, messy_folder

pytest.importorskip("pyarrow")

BOOKS = ("vn-national", "hanoi", "example")
AS_OF = "2025-12-31"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("messy")
    messy_folder(root)
    return root / "all"


def read(folder: Path, **options: object) -> ls.Population:
    tables = ("households", "units", "clans", "organisations", "memberships")
    paths = {t: folder / f"{t}.csv" for t in tables}
    return ls.read_population(folder / "persons.csv", **paths, **options)  # type: ignore[arg-type]


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
    """Summary, title counts, criterion tallies and rollup: equal, also reading fewer columns."""
    pop = read(folder)
    rulebook = ls.load_rulebook(book)
    write_dataset(pop, tmp_path / "d")
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
