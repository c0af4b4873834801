"""The lenient units loader against a slow, obviously correct reference."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import learnsoc as ls
from learnsoc.errors import HierarchyError
from learnsoc.io.rejects import FileReject
from learnsoc.io.units import lenient_units
from learnsoc.rejects import Rejects

LEVELS = ["province", "commune", "village"]


def _records(rejects: Rejects) -> list[FileReject]:
    """The rejects of files or frames, each with its line (row) number."""
    out = []
    for r in rejects.records("en"):
        assert isinstance(r, FileReject)
        out.append(r)
    return out


def reference(codes: list[str], levels: list[str], parents: list[str]) -> dict[int, str]:
    """Reason per rejected row, unit by unit, following the documented order of checks."""
    n = len(codes)
    reason: dict[int, str] = {}
    counts: dict[str, int] = {}
    for c in codes:
        counts[c] = counts.get(c, 0) + 1
    first: dict[str, int] = {}
    for i, c in enumerate(codes):
        first.setdefault(c, i)
    for i in range(n):
        lev = LEVELS.index(levels[i]) if levels[i] in LEVELS else -1
        if codes[i] == "":
            reason[i] = "missing_value"
        elif lev < 0:
            reason[i] = "unknown_code"
        elif counts[codes[i]] > 1:
            reason[i] = "duplicate_id"
        elif lev == 0 and parents[i]:
            reason[i] = "wrong_level"
        elif lev > 0 and not parents[i]:
            reason[i] = "missing_value"
        elif parents[i] and parents[i] not in first:
            reason[i] = "unknown_unit"
    # A parent at a wrong level, unless the parent was refused already: then its unit is
    # rejected_unit below (the parent is what to fix).
    refused = dict(reason)
    for i in range(n):
        if i in reason or not parents[i]:
            continue
        lev = LEVELS.index(levels[i])
        p = first[parents[i]]
        plev = LEVELS.index(levels[p]) if levels[p] in LEVELS else -1
        if p not in refused and plev != lev - 1:
            reason[i] = "wrong_level"
    # Descendants of rejected units, top down.
    for k in range(1, len(LEVELS)):
        for i in range(n):
            if i in reason or levels[i] != LEVELS[k] or not parents[i]:
                continue
            parent = first.get(parents[i])
            if parent is not None and parent in reason:
                reason[i] = "rejected_unit"
    return reason


@st.composite
def unit_tables(draw: st.DrawFn) -> dict[str, list[str]]:
    """A valid small tree, then a few random corruptions."""
    codes, levels, parents = ["P"], ["province"], [""]
    for c in range(draw(st.integers(1, 3))):
        codes.append(f"C{c}")
        levels.append("commune")
        parents.append("P")
        for v in range(draw(st.integers(1, 3))):
            codes.append(f"C{c}V{v}")
            levels.append("village")
            parents.append(f"C{c}")
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(codes) - 1))
        what = draw(st.sampled_from(["code", "level", "parent", "dup"]))
        if what == "code":
            codes[i] = draw(st.sampled_from(["", "X"]))
        elif what == "level":
            levels[i] = draw(st.sampled_from(["district", "commune", "village", "province"]))
        elif what == "parent":
            parents[i] = draw(st.sampled_from(["", "P", "C0", "C0V0", "NOPE"]))
        else:
            codes[i] = codes[draw(st.integers(0, len(codes) - 1))]
    return {"code": codes, "level": levels, "parent_code": parents}


@settings(max_examples=200, deadline=None)
@given(unit_tables())
def test_lenient_loader_matches_the_reference(units: dict[str, list[str]]) -> None:
    expected = reference(units["code"], units["level"], units["parent_code"])
    cols = {k: np.array(v, dtype=str) for k, v in units.items()}
    keep = [i for i in range(len(units["code"])) if i not in expected]
    kept_levels = {units["level"][i] for i in keep}
    if not set(LEVELS) <= kept_levels:
        # A level with no unit left: no tree can be built, and the loader says so.
        with pytest.raises(HierarchyError, match="has no units"):
            lenient_units(cols, LEVELS)
        return
    h, problems = lenient_units(cols, LEVELS)
    got = {int(r): b.reason for b in problems for r in b.rows}
    assert got == expected
    assert sum(len(b) for b in problems) == len(expected)  # one reason per unit
    kept = {k: [v[i] for i in keep] for k, v in units.items()}
    assert h == ls.Hierarchy.from_units(kept, levels=LEVELS)


def test_orphans_and_their_subtrees_are_rejected_with_reasons() -> None:
    units: dict[str, Any] = {
        "code": ["01", "001", "002", "T1", "T2", "T3", "T4", "T5"],
        "level": [
            "province",
            "commune",
            "commune",
            "village",
            "village",
            "village",
            "xa",
            "village",
        ],
        "parent_code": ["", "01", "09", "001", "002", "", "001", "01"],
    }
    h, problems = lenient_units(units, "vn-2025")
    assert len(h) == 3
    got = sorted(
        (b.reason, b.column, int(r), str(v), b.expected)
        for b in problems
        for r, v in zip(b.rows, b.values, strict=True)
    )
    assert got == [
        ("missing_value", "parent_code", 5, "", ""),
        ("rejected_unit", "parent_code", 4, "002", ""),
        ("unknown_code", "level", 6, "xa", "province, commune, village"),
        ("unknown_unit", "parent_code", 2, "09", ""),
        ("wrong_level", "parent_code", 7, "01", "commune"),
    ]


def test_a_level_left_empty_is_a_clear_error() -> None:
    units = {"code": ["01", "001"], "level": ["province", "commune"], "parent_code": ["", "09"]}
    with pytest.raises(HierarchyError, match="level 'commune' has no units"):
        lenient_units(units, ["province", "commune"])


def test_read_units_refuses_units_as_read_population_does(tmp_path: Path) -> None:
    # One pipeline for units files: the tree and the units' rejects (file, line, reason)
    # are those of read_population, whichever entry point reads the file.
    from learnsoc.io import read_population, read_units

    units = tmp_path / "units.csv"
    units.write_text(
        "code,level,parent_code\n01,province,\n001,commune,01\nT1,village,001\n"
        "T9,village,009\nX1,hamlet,001\nT3,village,001\nT3,village,001\n",
        "utf-8",
    )
    (tmp_path / "households.csv").write_text("household_id,unit_code\nH1,T1\n", "utf-8")
    (tmp_path / "persons.csv").write_text("person_id,household_id,age\n1,H1,40\n", "utf-8")
    tree, rejects = read_units(units)
    pop = read_population(
        tmp_path / "persons.csv", households=tmp_path / "households.csv", units=units
    )
    assert tree.codes_at("village").tolist() == pop.hierarchy.codes_at("village").tolist()
    mine = [(r.line, r.column, r.reason) for r in _records(rejects)]
    theirs = [(r.line, r.column, r.reason) for r in _records(pop.rejects) if r.table == "unit"]
    assert mine == theirs
    assert len(mine) >= 2
    assert rejects.counts()["unit"] == pop.rejects.counts()["unit"]


def test_a_bad_level_names_the_levels_in_vietnamese_words(tmp_path: Path) -> None:
    # Users and units files write Tỉnh, Xã, Thôn: the Vietnamese message names the levels
    # as they do (cấp tỉnh ...), not by the ids; English keeps the ids --levels takes.
    units = {
        "code": ["01", "001", "002", "v1"],
        "level": ["province", "xa", "commune", "village"],
        "parent_code": ["", "01", "01", "002"],
    }
    _, problems = lenient_units(units, "vn-2025")
    rejects = Rejects(tuple(problems), read={"unit": 4})
    assert rejects.records(locale="vi")[0].message == (
        "đơn vị hành chính, dòng 1 (đếm từ 0), cột level: giá trị 'xa' không phải mã hợp lệ "
        "(cần cấp tỉnh, cấp xã, cấp thôn, tổ dân phố)"
    )
    assert rejects.records(locale="en")[0].message.endswith("(expected province, commune, village)")
    path = tmp_path / "units.csv"
    path.write_text(
        "code,level,parent_code\n01,province,\n001,zone,01\n002,commune,01\nv1,village,002\n",
        encoding="utf-8",
    )
    _, found = ls.io.read_units(path, levels="vn-2025")
    assert "(cần cấp tỉnh, cấp xã, cấp thôn, tổ dân phố)" in found.records(locale="vi")[0].message
