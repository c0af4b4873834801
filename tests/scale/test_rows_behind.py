"""A dataset's rollups carry the rows rejected when it was built, as a population's do.

Read from the same files in memory, ``ls.results`` and ``ls.progress`` of the rollup say
the rows rejected; made from a dataset built with those rows dropped, in Python, they
must say the same (the CLI sets them by hand).
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path
from typing import Any

import pytest

import learnsoc as ls
from learnsoc.report.results import rejected_rows_notes
from learnsoc.scale.results import read_results, write_results
from tests.io.test_dataset import tree

pytest.importorskip("pyarrow")

AS_OF = "2025-12-31"


def _spoil_ages(path: Path, rows: int) -> int:
    """Write words in the age of the first ``rows`` persons; return how many."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    age = table[0].index("age")
    for line in table[1 : rows + 1]:
        line[age] = "old"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(table)
    return rows


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[ls.Population, Any]:
    """The files read in memory, and the evaluation of the dataset built from them."""
    root = tmp_path_factory.mktemp("behind")
    h = tree(2)
    files = root / "files"
    ls.io.write_population(
        ls.synthetic_population(persons=800, seed=7, hierarchy=h),
        files,
        tables=["households", "persons"],
    )
    _spoil_ages(files / "persons.csv", 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pop = ls.read_population(
            files / "persons.csv", households=files / "households.csv", hierarchy=h, bars=False
        )
        assert pop.rejects.counts()["person"] == (800, 797, 3)
        with ls.DatasetWriter(root / "d", h, rejects="drop") as writer:
            writer.write(pop)
        ev = ls.evaluate_dataset(root / "d", "example", AS_OF, standard_measures=True)
    return pop, ev


def _memory(pop: ls.Population) -> ls.Rollup:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ls.evaluate(pop, ls.load_rulebook("example"), AS_OF)
        return ls.rollup(pop, ls.standard_measures(pop, titles=ls.standard_titles(ev)))


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_results_of_a_dataset_say_the_rows_rejected_as_in_memory(
    built: tuple[ls.Population, Any], locale: str
) -> None:
    pop, ev = built
    want = rejected_rows_notes(ls.results(_memory(pop)).rejects, locale)
    assert len(want) == 1 and ("797" in want[0])
    table = ls.results(ev.standard_rollup())
    assert table.rejects is not None
    assert table.rejects.counts()["person"] == (800, 797, 3)
    assert rejected_rows_notes(table.rejects, locale) == want
    assert all(note in table.notes(locale) for note in want)
    # The rollup of the titles carries them too.
    titles = ev.rollup()
    assert titles.rejects is not None and titles.rejects.counts()["person"] == (800, 797, 3)


def test_a_results_folder_s_rollup_says_them_too(
    built: tuple[ls.Population, Any], tmp_path: Path
) -> None:
    pop, ev = built
    write_results(ev, tmp_path / "r")
    roll = read_results(tmp_path / "r").standard_rollup()
    assert roll.rejects is not None
    assert roll.rejects.counts()["person"] == pop.rejects.counts()["person"]
    table = ls.progress(roll, ls.load_targets("vn-387-qd-ttg"), year=2025)
    assert table.rejects is not None and table.rejects.counts()["person"] == (800, 797, 3)
