"""rollup_batches reads villages written by their name as the readers of files do.

The same cells, as persons' village codes streamed in batches and as households' village
codes of one-person households in memory: the same counts per village, the same
``ambiguous_unit`` and ``unknown_unit`` rejects, one UnitNamesWarning counting the same rows.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

import learnsoc as ls
from learnsoc.aggregate.stream import rollup_batches
from learnsoc.model.unit_names import UnitNamesWarning

CELLS = [
    ["001001", "Thôn Nam", "Thôn Đông", "Thôn Tây"],
    ["THÔN NAM", "009", "Thôn Đông", "Thôn Tây"],
    ["Thôn Nam"],
]


def tree() -> ls.Hierarchy:
    """Two communes with a 'Thôn Đông' each; 'Thôn Tây' and 'Thôn Nam' are one village."""
    return ls.Hierarchy.from_units(
        {
            "code": ["01", "001", "002", "001001", "001002", "002001", "002002"],
            "name": ["Tỉnh A", "Xã B", "Xã C", "Thôn Đông", "Thôn Tây", "Thôn Đông", "Thôn Nam"],
            "level": ["province", "commune", "commune"] + ["village"] * 4,
            "parent_code": [None, "01", "01", "001", "001", "002", "002"],
        }
    )


def _caught(run: Any) -> tuple[Any, list[warnings.WarningMessage]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = run()
    return out, [w for w in caught if issubclass(w.category, UnitNamesWarning)]


def test_names_are_read_as_in_memory() -> None:
    h = tree()
    batches = [{"unit_code": np.array(cells, dtype=object)} for cells in CELLS]
    streamed, said = _caught(lambda: rollup_batches(batches, h, {"persons": "person"}))
    every = [c for cells in CELLS for c in cells]
    ids = np.arange(len(every))
    pop, told = _caught(
        lambda: ls.Population.from_columns(
            {"person_id": ids, "household_id": ids, "age": np.full(len(ids), 30)},
            {"household_id": ids, "unit_code": np.array(every, dtype=object)},
            h,
        )
    )
    whole = ls.rollup(pop, {"persons": "person"})
    # Counted by hand: 001001 once, Thôn Tây twice, Thôn Nam three times (any case).
    want = {"001001": 1, "001002": 2, "002001": 0, "002002": 3}
    got = streamed.level("village")
    codes = got.to_columns()["code"].tolist()
    assert dict(zip(codes, got.counts["persons"].tolist(), strict=True)) == want
    assert np.array_equal(streamed.counts["persons"], whole.counts["persons"])
    # The same rejects: reason, cell and the villages a shared name is, rows across batches.
    assert streamed.rejects is not None
    mine = sorted((r.reason, r.value, r.row, r.message) for r in streamed.rejects.records("en"))
    theirs = sorted(
        (r.reason, r.value, r.row, r.message.replace("household", "person"))
        for r in pop.rejects.records("en")
        if r.table == "household"
    )
    assert mine == theirs
    assert [r[0] for r in mine] == ["ambiguous_unit", "ambiguous_unit", "unknown_unit"]
    assert streamed.rejects.counts()["person"] == (len(every), len(every) - 3, 3)
    # One warning over the three batches, counting the 5 rows as the reader's does.
    assert len(said) == 1 and len(told) == 1
    assert str(said[0].message).startswith("person unit_code: 5 rows name their unit by its name")
    assert str(told[0].message).replace("household", "person") == str(said[0].message)
