"""``rollup_batches(..., rejects=)``: the rows rejected when the rows streamed were read.

Before, a rollup streamed from the rows a reader accepted listed only the rows the
stream itself rejected: its rejects (and the reports made from it) said nothing of the
rows rejected when the files were read, and counted as read only the rows streamed.
The rows below are numbered by hand from the tables.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.aggregate.groups import AggregateError
from learnsoc.aggregate.stream import rollup_batches
from learnsoc.io.rejects import FileReject
from learnsoc.rejects import CountedRejects, RejectBatch, Rejects

HIERARCHY = ls.synthetic_hierarchy(villages=3, seed=1)
V = [str(c) for c in HIERARCHY.codes_at("village")]
MEASURES = {"persons": "person"}


def test_rejects_of_columns_and_of_the_stream() -> None:
    # Read: 6 rows, rows 1 and 4 rejected (ages). The batches hold rows 0, 2, 3, 5 in
    # that order; the stream rejects its rows 1 and 3 (unknown units): rows 2 and 5.
    read = Rejects(
        (RejectBatch("person", "age", "out_of_range", [1, 4], ["300", "-1"], "0..120"),),
        {"person": 6},
    )
    batches = [
        {"unit_code": np.array([V[0], "X9"])},
        {"unit_code": np.array([V[1], "X8"])},
    ]
    roll = rollup_batches(batches, HIERARCHY, MEASURES, rejects=read)
    assert roll.rejects is not None
    assert roll.rejects.counts() == {"person": (6, 2, 4)}
    said = [(r.row, r.column, r.reason, r.value) for r in roll.rejects.records("en")]
    assert said == [
        (1, "age", "out_of_range", "300"),
        (2, "unit_code", "unknown_unit", "X9"),
        (4, "age", "out_of_range", "-1"),
        (5, "unit_code", "unknown_unit", "X8"),
    ]
    assert roll.level("total").counts["persons"].tolist() == [2]


def test_a_population_read_from_columns() -> None:
    """The rejects of Population.from_columns, and the rows it accepted, in their order."""
    ages = [40, 300, 20, 9, -1]
    units = [V[0], V[0], V[1], "X9", V[2]]
    pop = ls.Population.from_columns(
        {"person_id": [1, 2, 3, 4, 5], "household_id": [1, 1, 2, 3, 4], "age": ages},
        {"household_id": [1, 2, 3, 4], "unit_code": [*V[:3], V[2]]},
        HIERARCHY,
    )
    kept = pop.rejects.accepted_rows("person")
    assert kept is not None and kept.tolist() == [0, 2, 3]  # ages 300 and -1 rejected
    batch = {"unit_code": np.array(units)[kept]}
    roll = rollup_batches([batch], HIERARCHY, MEASURES, rejects=pop.rejects)
    assert roll.rejects is not None
    # Person rows: 5 read; 1 and 4 (ages) and 3 (its unit, as streamed) rejected.
    assert roll.rejects.counts()["person"] == (5, 2, 3)
    assert roll.rejects.rows("person").tolist() == [1, 3, 4]
    assert roll.rejects.counts()["household"] == pop.rejects.counts()["household"]


def test_the_rejects_of_files_name_the_line(tmp_path: Path) -> None:
    (tmp_path / "persons.csv").write_text(
        "person_id,household_id,age\n"
        "1,H1,40\n"  # line 2, record 0
        "2,H1,300\n"  # line 3, record 1: rejected
        "Tổng cộng,,\n"  # line 4, record 2: a totals row, skipped
        "3,H2,20\n"  # line 5, record 3: its unit unknown when streamed
        "4,H1,-1\n"  # line 6, record 4: rejected
        "5,H1,30\n",  # line 7, record 5
        "utf-8",
    )
    (tmp_path / "households.csv").write_text(
        f"household_id,unit_code\nH1,{V[0]}\nH2,{V[1]}\n", "utf-8"
    )
    with pytest.warns(ls.LearnsocWarning, match="totals rows are not data"):
        pop = ls.read_population(
            tmp_path / "persons.csv", households=tmp_path / "households.csv", hierarchy=HIERARCHY
        )
    kept = pop.rejects.accepted_rows("person")
    assert kept is not None and kept.tolist() == [0, 3, 5]
    batch = {"unit_code": np.array([V[0], "Thôn Không Có", V[0]])}
    roll = rollup_batches([batch], HIERARCHY, MEASURES, rejects=pop.rejects)
    assert roll.rejects is not None
    read, accepted, rejected = roll.rejects.counts()["person"]
    assert (read, accepted, rejected, roll.rejects.n_skipped("person")) == (6, 2, 3, 1)
    found = [r for r in roll.rejects.records("en") if r.table == "person"]
    lines = [(r.line, r.reason) for r in found if isinstance(r, FileReject)]
    assert lines == [(3, "out_of_range"), (5, "unknown_unit"), (6, "out_of_range")]
    streamed = [r for r in roll.rejects.records("en") if r.reason == "unknown_unit"]
    assert "persons.csv" in streamed[0].message


def test_rows_that_are_not_those_accepted_are_refused() -> None:
    read = Rejects((RejectBatch("person", "age", "out_of_range", [1], ["300"]),), {"person": 4})
    with pytest.raises(AggregateError, match="the batches hold 2 person rows, but the rejects"):
        rollup_batches([{"unit_code": np.array([V[0], V[1]])}], HIERARCHY, MEASURES, rejects=read)


def test_counted_rejects_add_the_stream_rows() -> None:
    built = CountedRejects(read={"person": 5}, rejected={"person": 2}, file="rejects.csv")
    batch = {"unit_code": np.array([V[0], "X9", V[1]])}
    roll = rollup_batches([batch], HIERARCHY, MEASURES, rejects=built)
    assert roll.rejects is not None
    assert roll.rejects.counts() == {"person": (5, 2, 3)}


def test_rejects_without_persons_count_the_stream_rows() -> None:
    households = Rejects(
        (RejectBatch("household", "unit_code", "missing_value", [0], [""]),), {"household": 3}
    )
    roll = rollup_batches(
        [{"unit_code": np.array([V[0], "X9"])}], HIERARCHY, MEASURES, rejects=households
    )
    assert roll.rejects is not None
    assert roll.rejects.counts() == {"household": (3, 2, 1), "person": (2, 1, 1)}
