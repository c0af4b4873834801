import datetime as dt
import sys
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import learnsoc as ls
from learnsoc.errors import HierarchyError, SchemaError, UnknownIdError
from learnsoc.limits import MAX_HIERARCHY_DEPTH
from learnsoc.model.hierarchy import HierarchySpec, Level


def units(*rows: tuple[str, str, str | None]) -> dict[str, list[Any]]:
    return {
        "code": [r[0] for r in rows],
        "name": [f"Unit {r[0]}" for r in rows],
        "level": [r[1] for r in rows],
        "parent_code": [r[2] for r in rows],
    }


OLD_TREE = units(
    ("01", "province", None),
    ("001", "district", "01"),
    ("002", "district", "01"),
    ("00001", "commune", "001"),
    ("00004", "commune", "001"),
    ("00007", "commune", "002"),
    ("V1", "village", "00001"),
    ("V2", "village", "00004"),
    ("V3", "village", "00007"),
    ("V4", "village", "00001"),
)


def test_presets_describe_both_trees() -> None:
    assert ls.PRESETS["vn-pre-2025"].names == ("province", "district", "commune", "village")
    assert ls.PRESETS["vn-2025"].names == ("province", "commune", "village")
    assert ls.PRESETS["vn-pre-2025"].valid_until == dt.date(2025, 6, 30)
    assert ls.PRESETS["vn-2025"].valid_from == dt.date(2025, 7, 1)


def test_parents_and_ancestors_match_a_slow_walk() -> None:
    h = ls.Hierarchy.from_units(OLD_TREE, levels="vn-pre-2025")
    parent_of = dict(zip(OLD_TREE["code"], OLD_TREE["parent_code"], strict=True))
    for level in h.levels:
        codes = h.codes_at(level).tolist()
        for above in h.levels[: h.level_number(level) + 1]:
            got = h.codes_at(above)[h.ancestor_index(level, above)].tolist()
            expected = []
            for c in codes:
                node = c
                while ls.Hierarchy.level_number(h, h.unit(node).level) > h.level_number(above):
                    node = parent_of[node]
                expected.append(node)
            assert got == expected
    # Children are contiguous and sorted by code under their parent.
    assert h.codes_at("village").tolist() == ["V1", "V4", "V2", "V3"]
    assert [u.code for u in h.children("00001")] == ["V1", "V4"]
    assert h.children("V1") == []
    assert h.parent_index("commune").tolist() == [0, 0, 1]


def test_custom_levels_of_any_depth() -> None:
    h = ls.Hierarchy.from_units(
        units(("R", "region", None), ("P", "province", "R"), ("S", "school", "P")),
        levels=["region", "province", "school"],
    )
    assert h.levels == ("region", "province", "school")
    assert h.leaf_level == "school"
    assert h.ancestor_index("school", "region").tolist() == [0]


@pytest.mark.parametrize(
    ("rows", "match", "code"),
    [
        (
            [("01", "province", None), ("01", "commune", "01"), ("V", "village", "01")],
            "unit code '01' is used by more than one unit",
            "01",
        ),
        (
            [("01", "province", None), ("C", "comune", "01"), ("V", "village", "C")],
            "unit 'C' has unknown level 'comune'; did you mean 'commune'?",
            "C",
        ),
        (
            [("01", "province", None), ("C", "commune", "02"), ("V", "village", "C")],
            "unit 'C' is an orphan: its parent '02' does not exist",
            "C",
        ),
        (
            [("01", "province", None), ("C", "commune", None), ("V", "village", "C")],
            "unit 'C' (commune) has no parent: it is an orphan",
            "C",
        ),
        (
            [("01", "province", "X"), ("C", "commune", "01"), ("V", "village", "C")],
            "unit '01' is at the top level (province) but has parent 'X'",
            "01",
        ),
        (
            [("01", "province", None), ("C", "commune", "01"), ("V", "village", "01")],
            "unit 'V' (village) has parent '01' (province); a parent must be exactly one level up",
            "V",
        ),
        (
            [("01", "province", None), ("A", "commune", "B"), ("B", "village", "A")],
            "units 'A', 'B' form a cycle of parents",
            "A",
        ),
        (
            [("01", "province", None), ("S", "commune", "S"), ("V", "village", "S")],
            "form a cycle of parents",
            "S",
        ),
    ],
)
def test_each_invalid_tree_gets_a_typed_error_naming_the_unit(
    rows: list[tuple[str, str, str | None]], match: str, code: str
) -> None:
    with pytest.raises(HierarchyError, match=match.replace("(", r"\(").replace(")", r"\)")) as info:
        ls.Hierarchy.from_units(units(*rows), levels="vn-2025")
    assert info.value.code == code


def test_empty_level_and_missing_column_are_errors() -> None:
    with pytest.raises(HierarchyError, match="level 'village' has no units") as info:
        ls.Hierarchy.from_units(units(("01", "province", None), ("C", "commune", "01")))
    # A units file that stops at communes (counts reported per commune): say how to say so.
    assert "levels=['province', 'commune'], or --levels province,commune" in str(info.value)
    cut = ls.Hierarchy.from_units(
        units(("01", "province", None), ("C", "commune", "01")), levels=["province", "commune"]
    )
    assert cut.levels == ("province", "commune")
    with pytest.raises(SchemaError, match="column 'level'"):
        ls.Hierarchy.from_units({"code": ["01"], "parent_code": [None]})
    with pytest.raises(HierarchyError, match="unknown hierarchy preset 'vn-2052'"):
        ls.Hierarchy.from_units(OLD_TREE, levels="vn-2052")


def test_lookups() -> None:
    h = ls.Hierarchy.from_units(OLD_TREE, levels="vn-pre-2025")
    level, local = h.locate(["00007", "V4", "nope", "01"])
    assert level.tolist() == [2, 3, -1, 0]
    assert local.tolist() == [2, 1, -1, 0]
    assert h.unit("V2") == ls.AdminUnit("V2", "Unit V2", "village", "00004")
    with pytest.raises(UnknownIdError):
        h.unit("nope")
    with pytest.raises(HierarchyError, match="did you mean 'commune'"):
        h.n_units("communes")
    with pytest.raises(HierarchyError, match="cannot be an ancestor"):
        h.ancestor_index("commune", "village")
    assert [u.code for u in h.units("district")] == ["001", "002"]
    assert len(h.units()) == len(h) == 10


def test_long_runs_of_codes_are_found_like_single_lookups() -> None:
    h = ls.synthetic_hierarchy(villages=300, seed=3)
    codes = np.repeat(h.codes_at("village"), 7)
    codes[5] = "missing"
    lev, local = h.locate(codes)
    lev1, local1 = h.locate(codes[:1000])  # short input, direct path
    assert lev[:1000].tolist() == lev1.tolist()
    assert local[:1000].tolist() == local1.tolist()
    assert lev[5] == -1
    assert (local[codes != "missing"] == np.repeat(np.arange(300), 7)[codes != "missing"]).all()


@settings(max_examples=30, deadline=None)
@given(st.randoms(use_true_random=False), st.sampled_from(["vn-2025", "vn-pre-2025"]))
def test_unit_order_does_not_matter(rnd: Any, levels: str) -> None:
    h = ls.synthetic_hierarchy(villages=rnd.randint(1, 60), seed=rnd.randint(0, 99), levels=levels)
    table = h.to_columns()
    order = list(range(len(h)))
    rnd.shuffle(order)
    shuffled = {k: v[order] for k, v in table.items()}
    assert ls.Hierarchy.from_units(shuffled, levels=levels) == h


def test_repr_and_html() -> None:
    h = ls.Hierarchy.from_units(OLD_TREE, levels="vn-pre-2025")
    assert repr(h) == "Hierarchy('vn-pre-2025': 1 province, 2 district, 3 commune, 4 village)"
    with ls.use_locale("vi"):
        html = h._repr_html_()
    assert "thôn, tổ dân phố" in html
    assert html.count("<tr>") == 5


def test_a_tree_knows_the_years_it_is_valid() -> None:
    """The presets carry the reform date; a year outside them warns with the fitting tree."""
    old, new = ls.PRESETS["vn-pre-2025"], ls.PRESETS["vn-2025"]
    assert [old.covers_year(y) for y in (2024, 2025, 2026)] == [True, True, False]
    assert [new.covers_year(y) for y in (2024, 2025, 2026)] == [False, True, True]
    assert (old.validity, new.validity) == ("until 2025-06-30", "from 2025-07-01")
    with pytest.warns(ls.HierarchyDateWarning, match=r"'vn-2025'.*2024.*'vn-pre-2025'"):
        assert not new.check_year(2024)
    assert {"district": dt.date(2025, 7, 1)} == ls.model.hierarchy.ABOLISHED_LEVELS


def test_a_date_outside_a_tree_warns_at_the_line_that_asked() -> None:
    """check_start and check_end count ``stacklevel`` as the function that calls them would.

    With the default 2, the warning names the line that called that function (the user's
    call to ``ls.evaluate``); here, with 1, the line that called them.
    """
    old, new = ls.PRESETS["vn-pre-2025"], ls.PRESETS["vn-2025"]
    line = sys._getframe().f_lineno + 2
    with pytest.warns(ls.HierarchyDateWarning, match="did not exist") as before:
        assert not new.check_start(dt.date(2024, 12, 31), what="the titles", stacklevel=1)
    with pytest.warns(ls.HierarchyDateWarning, match="the district level was abolished") as after:
        assert not old.check_end(dt.date(2025, 12, 31), what="the titles", stacklevel=1)
    assert [(w.filename, w.lineno) for w in (*before, *after)] == [
        (__file__, line),
        (__file__, line + 2),
    ]


@pytest.mark.parametrize(
    ("start", "end", "match"),
    [
        (dt.date(2025, 7, 1), dt.date(2025, 6, 30), "valid until 2025-06-30, before it starts"),
        ("2025-07-01", None, "valid_from must be a datetime.date, got '2025-07-01'"),
    ],
)
def test_wrong_validity_dates_are_errors(start: Any, end: Any, match: str) -> None:
    with pytest.raises(HierarchyError, match=match):
        ls.HierarchySpec("x", [ls.Level("a")], start, end)


def test_more_levels_than_the_limit_are_refused_before_any_array() -> None:
    """A chain one level over MAX_HIERARCHY_DEPTH is a HierarchyError naming the limit.

    The ancestor table is units x levels: a 40,000-level chain used to run for 87 s and
    then ask for 6 GiB. The limit itself is accepted.
    """
    names = [f"l{k}" for k in range(MAX_HIERARCHY_DEPTH + 1)]
    chain = units(*[(f"u{k}", name, f"u{k - 1}" if k else None) for k, name in enumerate(names)])
    with pytest.raises(HierarchyError, match="has 33 levels; at most 32 are allowed"):
        ls.Hierarchy.from_units(chain, levels=names)
    at_limit = {column: values[:-1] for column, values in chain.items()}
    h = ls.Hierarchy.from_units(at_limit, levels=names[:-1])
    assert h.n_levels == MAX_HIERARCHY_DEPTH
    assert h.ancestor_index("l31", "l0").tolist() == [0]
    with pytest.raises(HierarchyError, match=r"'deep' has 40,000 levels.*MAX_HIERARCHY_DEPTH"):
        HierarchySpec("deep", [Level(f"l{k}") for k in range(40_000)])


def test_a_long_parent_chain_within_fixed_levels_is_refused() -> None:
    """With a fixed list of levels a chain of parents can be no longer than the levels.

    40,000 units each the parent of the next, on three levels: the first unit whose
    parent is not one level up is named, without building any ancestor table.
    """
    n = 40_000
    chain = {
        "code": [f"u{k}" for k in range(n)],
        "level": ["province"] + ["commune", "village"] * ((n - 1) // 2) + ["commune"],
        "parent_code": [None] + [f"u{k}" for k in range(n - 1)],
    }
    with pytest.raises(HierarchyError, match="'u3' \\(commune\\) has parent 'u2' \\(village\\)"):
        ls.Hierarchy.from_units(chain, levels="vn-2025")


def test_levels_named_in_words_are_vietnams_levels_and_read_units_so() -> None:
    """``levels=["tỉnh", "xã"]`` is the tree of ``province`` and ``commune``; units whose
    level is written as the levels were given (``tỉnh``: a tree or a dataset made when such
    names were levels of their own), or as units files write it (``Phường``), are read
    at that level, so a tree built so before still builds."""
    tree = ls.Hierarchy.from_units(
        {
            "code": ["01", "001", "002"],
            "level": ["tỉnh", "xã", "Phường"],
            "parent_code": [None, "01", "01"],
        },
        levels=["tỉnh", "xã"],
    )
    assert tree.levels == ("province", "commune")
    assert tree.codes_at("commune").tolist() == ["001", "002"]


def test_levels_as_one_string_of_names_as_the_command_line_takes_them() -> None:
    """``levels="province,commune,village"`` in Python was refused as an unknown preset."""
    from learnsoc.model.hierarchy import hierarchy_spec

    assert hierarchy_spec("province,commune,village").names == ("province", "commune", "village")
    assert hierarchy_spec(" tỉnh , xã ").names == ("province", "commune")
    assert hierarchy_spec("region,school").names == ("region", "school")
    tree = ls.Hierarchy.from_units(
        {
            "code": ["01", "00004"],
            "name": ["Hà Nội", "Xã Minh Phú"],
            "level": ["province", "commune"],
            "parent_code": [None, "01"],
        },
        levels="province,commune",
    )
    assert tree.levels == ("province", "commune")
    with pytest.raises(ls.HierarchyError, match="unknown hierarchy preset 'vn-2052'"):
        hierarchy_spec("vn-2052")
