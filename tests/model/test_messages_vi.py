"""The model's errors and warnings in Vietnamese (issue 16, item 6).

Each case triggers an error a user meets (a bad units table, a bad crosswalk, a misspelt
column) and checks the English ``str(err)`` and the Vietnamese ``err.localized("vi")``.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.errors import CrosswalkError, DataError, HierarchyError, SchemaError
from learnsoc.model.hierarchy import (
    PRESETS,
    HierarchyDateWarning,
    HierarchySpec,
    Level,
    hierarchy_spec,
)
from learnsoc.model.schema import STANDARD_SCHEMA, ColumnSpec, TableSchema, convert_column
from tests.trees import two_level

LEVELS = ["province", "commune", "village"]


def _units(*rows: tuple[str, str, str | None]) -> dict[str, list[Any]]:
    return {
        "code": [r[0] for r in rows],
        "level": [r[1] for r in rows],
        "parent_code": [r[2] for r in rows],
    }


def _tree(*rows: tuple[str, str, str | None]) -> ls.Hierarchy:
    return ls.Hierarchy.from_units(_units(*rows), LEVELS)


HIERARCHY: dict[str, tuple[Callable[[], object], str, str]] = {
    "cycle": (
        lambda: _tree(("P", "province", None), ("A", "commune", "B"), ("B", "commune", "A")),
        "units 'A', 'B' form a cycle of parents",
        "các đơn vị 'A', 'B' tạo thành một vòng khép kín trong quan hệ cấp trên",
    ),
    "unknown parent": (
        lambda: _tree(("P", "province", None), ("A", "commune", "Q")),
        "unit 'A' is an orphan: its parent 'Q' does not exist; expected one of 'A', 'P'",
        "đơn vị 'A' không thuộc đơn vị cấp trên nào: đơn vị cấp trên 'Q' không tồn tại; "
        "cần một trong các giá trị 'A', 'P'",
    ),
    "duplicate code": (
        lambda: _tree(("P", "province", None), ("A", "commune", "P"), ("A", "commune", "P")),
        "unit code 'A' is used by more than one unit; codes must be unique",
        "mã đơn vị 'A' được dùng cho nhiều đơn vị; mỗi mã chỉ được dùng một lần",
    ),
    "too deep": (
        lambda: HierarchySpec("deep", [Level(f"l{k}") for k in range(40)]),
        "hierarchy 'deep' has 40 levels; at most 32 are allowed "
        "(learnsoc.limits.MAX_HIERARCHY_DEPTH)",
        "hệ thống đơn vị hành chính 'deep' có 40 cấp; chỉ cho phép tối đa 32 cấp "
        "(learnsoc.limits.MAX_HIERARCHY_DEPTH)",
    ),
    "unknown level": (
        lambda: _tree(("P", "province", None), ("A", "comune", "P")),
        "unit 'A' has unknown level 'comune'; did you mean 'commune'?",
        "đơn vị 'A' có cấp không xác định 'comune'; có phải ý bạn là 'commune'?",
    ),
    "no code": (
        lambda: _tree(("P", "province", None), ("", "commune", "P")),
        "unit at row 1 has no code",
        "đơn vị hành chính ở dòng 1 không có mã",
    ),
    "top with a parent": (
        lambda: _tree(("P", "province", "X"), ("A", "commune", "P")),
        "unit 'P' is at the top level (province) but has parent 'X'",
        "đơn vị 'P' ở cấp cao nhất (cấp tỉnh) nhưng lại có đơn vị cấp trên 'X'",
    ),
    "no parent": (
        lambda: _tree(("P", "province", None), ("A", "commune", None)),
        "unit 'A' (commune) has no parent: it is an orphan",
        "đơn vị 'A' (cấp xã) không có đơn vị cấp trên, nên không thuộc đơn vị nào",
    ),
    "parent two levels up": (
        lambda: _tree(("P", "province", None), ("A", "commune", "P"), ("V", "village", "P")),
        "unit 'V' (village) has parent 'P' (province); a parent must be exactly one level up "
        "(commune)",
        "đơn vị 'V' (cấp thôn, tổ dân phố) có đơn vị cấp trên 'P' (cấp tỉnh); đơn vị cấp trên "
        "phải thuộc cấp liền trên (cấp xã)",
    ),
    "empty level": (
        lambda: ls.Hierarchy.from_units(_units(("P", "province", None)), LEVELS),
        "level 'commune' has no units; every level needs at least one",
        "cấp xã không có đơn vị nào; mỗi cấp cần ít nhất một đơn vị",
    ),
    "a level of the user's own tree": (
        # Not Vietnam's level words ("tinh", "xa" are province and commune).
        lambda: ls.Hierarchy.from_units(_units(("T", "vung", "X")), ["vung", "diem"]),
        "unit 'T' is at the top level (vung) but has parent 'X'",
        "đơn vị 'T' ở cấp cao nhất (cấp 'vung') nhưng lại có đơn vị cấp trên 'X'",
    ),
    "level name": (
        lambda: Level("xã 1"),
        "level name 'xã 1' must be an identifier (letters, digits, _)",
        "tên cấp 'xã 1' phải là định danh (chữ cái, chữ số, _)",
    ),
    "no levels": (
        lambda: HierarchySpec("empty", []),
        "hierarchy 'empty' needs at least one level",
        "hệ thống đơn vị hành chính 'empty' cần ít nhất một cấp",
    ),
    "repeated level": (
        lambda: HierarchySpec("r", [Level("a"), Level("a")]),
        "hierarchy 'r' repeats a level name: ['a', 'a']",
        "hệ thống đơn vị hành chính 'r' có tên cấp bị lặp lại: ['a', 'a']",
    ),
    "date as text": (
        lambda: HierarchySpec("r", [Level("a")], valid_from="2025-07-01"),  # type: ignore[arg-type]
        "hierarchy 'r': valid_from must be a datetime.date, got '2025-07-01'",
        "hệ thống đơn vị hành chính 'r': valid_from phải là datetime.date, nhận được '2025-07-01'",
    ),
    "dates swapped": (
        lambda: HierarchySpec(
            "r", [Level("a")], valid_from=dt.date(2025, 7, 1), valid_until=dt.date(2025, 6, 30)
        ),
        "hierarchy 'r' is valid until 2025-06-30, before it starts (2025-07-01); swap the dates",
        "hệ thống đơn vị hành chính 'r' có hiệu lực đến ngày 30/6/2025, trước ngày bắt đầu "
        "(01/7/2025); hãy đổi chỗ hai ngày",
    ),
    "unknown preset": (
        lambda: hierarchy_spec("vn-2026"),
        "unknown hierarchy preset 'vn-2026'; did you mean 'vn-2025'?",
        "không có hệ thống đơn vị hành chính dựng sẵn 'vn-2026'; có phải ý bạn là 'vn-2025'?",
    ),
    "parent of the top": (
        lambda: ls.synthetic_hierarchy(villages=3, seed=1).parent_index("province"),
        "level 'province' is the top level: its units have no parent",
        "cấp 'province' là cấp cao nhất: các đơn vị của cấp này không có đơn vị cấp trên",
    ),
    "ancestor below": (
        lambda: ls.synthetic_hierarchy(villages=3, seed=1).ancestor_index("commune", "village"),
        "'village' is below 'commune': it cannot be an ancestor",
        "'village' ở dưới 'commune': không thể là cấp trên",
    ),
    "ragged columns": (
        lambda: ls.Hierarchy.from_units(
            {"code": ["P", "A"], "level": ["province"], "parent_code": [None]}, LEVELS
        ),
        "unit column 'level': all unit columns must be 1-D and of the same length",
        "đơn vị hành chính, cột 'level': mọi cột của đơn vị hành chính phải là mảng một chiều "
        "và có cùng độ dài",
    ),
}


@pytest.mark.parametrize("case", list(HIERARCHY))
def test_hierarchy_errors_in_vietnamese(case: str) -> None:
    make, english, vietnamese = HIERARCHY[case]
    with pytest.raises((HierarchyError, SchemaError)) as info:
        make()
    assert str(info.value) == english
    assert info.value.localized("vi") == vietnamese
    assert info.value.localized("en") == english


_OLD = two_level({"P": ["A", "B", "C"]})
_NEW = two_level({"P": ["X", "Y"]})


def _walk(pairs: dict[str, Any]) -> ls.Crosswalk:
    return ls.Crosswalk.from_pairs(_OLD, _NEW, pairs, level="commune")


CROSSWALK: dict[str, tuple[Callable[[], object], str, str]] = {
    "one unit lost": (
        lambda: _walk({"source_code": ["A", "B"], "target_code": ["X", "X"]}),
        "1 commune unit of the source tree maps nowhere (its counts would be lost): 'C'",
        "1 đơn vị cấp xã của hệ thống đơn vị hành chính nguồn không được ánh xạ tới đâu "
        "(số liệu của đơn vị sẽ bị mất): 'C'",
    ),
    "two units lost": (
        lambda: _walk({"source_code": ["A"], "target_code": ["X"]}),
        "2 commune units of the source tree map nowhere (their counts would be lost): 'B', 'C'",
        "2 đơn vị cấp xã của hệ thống đơn vị hành chính nguồn không được ánh xạ tới đâu "
        "(số liệu của các đơn vị sẽ bị mất): 'B', 'C'",
    ),
    "weight": (
        lambda: _walk(
            {"source_code": ["A", "B", "C"], "target_code": ["X", "X", "Y"], "weight": [1, 1, 1.5]}
        ),
        "pair 'C' -> 'Y' has weight 1.5; weights must be in (0, 1]",
        "cặp 'C' -> 'Y' có trọng số 1.5; trọng số phải thuộc khoảng (0, 1]",
    ),
    "pair twice": (
        lambda: _walk(
            {
                "source_code": ["A", "A", "B", "C"],
                "target_code": ["X", "X", "X", "Y"],
                "weight": [0.5, 0.5, 1, 1],
            }
        ),
        "pair 'A' -> 'X' appears more than once",
        "cặp 'A' -> 'X' xuất hiện nhiều lần",
    ),
    "weights not 1": (
        lambda: _walk(
            {"source_code": ["A", "B", "C"], "target_code": ["X", "X", "Y"], "weight": [1, 1, 0.5]}
        ),
        "the weights of source unit 'C' add up to 0.5, not 1",
        "tổng trọng số của đơn vị nguồn 'C' là 0.5, không phải 1",
    ),
    "unknown source": (
        lambda: _walk({"source_code": ["A", "B", "Z"], "target_code": ["X", "X", "Y"]}),
        "crosswalk row 3: source code 'Z' does not exist in the source tree 'custom'",
        "bảng chuyển đổi, dòng 3: mã nguồn 'Z' không có trong hệ thống đơn vị hành chính "
        "nguồn 'custom'",
    ),
    "target at another level": (
        lambda: _walk({"source_code": ["A", "B", "C"], "target_code": ["X", "X", "P"]}),
        "target code 'P' is a province, not a commune in the target tree 'custom'",
        "mã đích 'P' thuộc cấp tỉnh, không phải cấp xã trong hệ thống đơn vị hành "
        "chính đích 'custom'",
    ),
    "columns of two lengths": (
        lambda: _walk({"source_code": ["A", "B"], "target_code": ["X"]}),
        "crosswalk column 'target_code': must have as many rows as source_code",
        "crosswalk, cột 'target_code': phải có cùng số dòng với source_code",
    ),
    "values of another shape": (
        lambda: _walk({"source_code": ["A", "B", "C"], "target_code": ["X", "X", "Y"]}).apply(
            [1, 2]
        ),
        "values must have one row per commune of the source tree (3), got shape (2,)",
        "giá trị phải có một dòng cho mỗi đơn vị cấp xã của hệ thống đơn vị hành chính "
        "nguồn (3), nhận được kích thước (2,)",
    ),
}


@pytest.mark.parametrize("case", list(CROSSWALK))
def test_crosswalk_errors_in_vietnamese(case: str) -> None:
    make, english, vietnamese = CROSSWALK[case]
    with pytest.raises((CrosswalkError, SchemaError)) as info:
        make()
    assert str(info.value) == english
    assert info.value.localized("vi") == vietnamese


_POP = ls.synthetic_population(persons=200, seed=1)
_VILLAGE = str(_POP.hierarchy.codes_at("village")[0])


def _population(persons: Any, **kw: Any) -> ls.Population:
    households = {"household_id": ["H"], "unit_code": [_VILLAGE]}
    return ls.Population.from_columns(persons, households, _POP.hierarchy, **kw)


POPULATION: dict[str, tuple[Callable[[], object], str, str]] = {
    "misspelt column": (
        lambda: _POP.column("person", "agee"),
        "person column 'agee': no such column; did you mean 'age'?",
        "người, cột 'agee': không có cột này; có phải ý bạn là 'age'?",
    ),
    "misspelt entity": (
        lambda: _POP.column("persn", "age"),
        "persn table: no such entity; did you mean 'person'?",
        "bảng persn: không có loại đối tượng này; có phải ý bạn là 'person'?",
    ),
    "unknown entity": (
        lambda: _POP.index_of("village", "x"),
        "village table: no such entity",
        "bảng village: không có loại đối tượng này",
    ),
    "not a mapping": (
        lambda: _population([1, 2]),
        "person table: must be a mapping of column name to array, got list",
        "bảng người: phải là ánh xạ từ tên cột sang mảng, nhận được list",
    ),
    "lengths": (
        lambda: _population({"person_id": [1, 2], "household_id": ["H"], "age": [3, 4]}),
        "person table: columns have different lengths (person_id=2, household_id=1, age=2)",
        "bảng người: các cột có độ dài khác nhau (person_id=2, household_id=1, age=2)",
    ),
    "birth years and dates": (
        lambda: _population(
            {
                "person_id": [1],
                "household_id": ["H"],
                "birth_year": [1990],
                "birth_date": ["01/01/1990"],
            }
        ),
        "person column 'birth_date': give birth years or birth dates, not both",
        "người, cột 'birth_date': chỉ cung cấp năm sinh hoặc ngày sinh, không cung cấp cả hai",
    ),
    "no reference year": (
        lambda: _population({"person_id": [1], "household_id": ["H"], "birth_year": [1990]}),
        "person column 'birth_year': needs the year ages are reached in to compute them from "
        "birth_years (--reference-year YEAR, reference_year=YEAR)",
        "người, cột 'birth_year': cần năm tham chiếu để tính tuổi (đến ngày 31/12) từ cột "
        "birth_year (--reference-year NĂM, reference_year=NĂM)",
    ),
    "one problem, strict": (
        lambda: _population({"person_id": [1], "household_id": ["H"], "age": [300]}, strict=True),
        "1 problem in the input; first: person row 0 (counted from 0), column age: value '300' is "
        "out of range (expected 0..120)",
        "dữ liệu đầu vào có 1 lỗi; lỗi đầu tiên: người, dòng 0 (đếm từ 0), cột age: giá trị '300' "
        "nằm ngoài khoảng cho phép (0..120)",
    ),
    "two problems, strict": (
        lambda: _population(
            {"person_id": [1, 2], "household_id": ["H", "H"], "age": [300, 400]}, strict=True
        ),
        "2 problems in the input; first: person row 0 (counted from 0), column age: value '300' is "
        "out of range (expected 0..120)",
        "dữ liệu đầu vào có 2 lỗi; lỗi đầu tiên: người, dòng 0 (đếm từ 0), cột age: giá trị '300' "
        "nằm ngoài khoảng cho phép (0..120)",
    ),
}


@pytest.mark.parametrize("case", list(POPULATION))
def test_population_errors_in_vietnamese(case: str) -> None:
    make, english, vietnamese = POPULATION[case]
    with pytest.raises((SchemaError, DataError)) as info:
        make()
    assert str(info.value) == english
    assert info.value.localized("vi") == vietnamese


_AGE = STANDARD_SCHEMA.table("person").column("age")

SCHEMA: dict[str, tuple[Callable[[], object], str, str]] = {
    "column name": (
        lambda: ColumnSpec("a b", "int", "x"),
        "schema column 'a b': column name 'a b' must be an identifier (letters, digits, _)",
        "schema, cột 'a b': tên cột 'a b' phải là định danh (chữ cái, chữ số, _)",
    ),
    "code column without codes": (
        lambda: ColumnSpec("ab", "code", "x"),
        "schema column 'ab': a code column needs its codes",
        "schema, cột 'ab': cột mã cần có danh sách mã",
    ),
    "declared twice": (
        lambda: TableSchema("person", (ColumnSpec("a", "int", "x"), ColumnSpec("a", "int", "x"))),
        "person column 'a': declared more than once",
        "người, cột 'a': được khai báo nhiều lần",
    ),
    "misspelt column": (
        lambda: STANDARD_SCHEMA.table("person").column("agee"),
        "person column 'agee': no such column; did you mean 'age'?",
        "người, cột 'agee': không có cột này; có phải ý bạn là 'age'?",
    ),
    "misspelt table": (
        lambda: STANDARD_SCHEMA.table("persn"),
        "persn table: no such table; did you mean 'person'?",
        "bảng persn: không có bảng này; có phải ý bạn là 'person'?",
    ),
    "two dimensions": (
        lambda: convert_column(np.zeros((2, 2)), _AGE, "person"),
        "person column 'age': must be one-dimensional, got shape (2, 2)",
        "người, cột 'age': phải là mảng một chiều, nhận được kích thước (2, 2)",
    ),
    "dates for a number": (
        lambda: convert_column(np.array(["2020-01-01"], dtype="datetime64[D]"), _AGE, "person"),
        "person column 'age': cannot read values of dtype datetime64[D]",
        "người, cột 'age': không đọc được giá trị có kiểu dữ liệu datetime64[D]",
    ),
}


@pytest.mark.parametrize("case", list(SCHEMA))
def test_schema_errors_in_vietnamese(case: str) -> None:
    make, english, vietnamese = SCHEMA[case]
    with pytest.raises(SchemaError) as info:
        make()
    assert str(info.value) == english
    assert info.value.localized("vi") == vietnamese


@pytest.mark.parametrize(
    ("spec", "year", "english", "vietnamese"),
    [
        (
            PRESETS["vn-pre-2025"],
            2026,
            "data is on the tree 'vn-pre-2025', valid until 2025-06-30: the year 2026 lies "
            "outside it; use the tree of that year ('vn-2025' from 2025-07-01)",
            "dữ liệu đang dùng hệ thống đơn vị hành chính 'vn-pre-2025' (có hiệu lực đến hết "
            "30/6/2025), nhưng năm 2026 nằm ngoài thời gian này; hãy dùng hệ thống đơn vị "
            "hành chính của năm đó ('vn-2025' từ 01/7/2025)",
        ),
        (
            HierarchySpec(
                "old",
                [Level("a")],
                valid_from=dt.date(2020, 1, 1),
                valid_until=dt.date(2020, 12, 31),
            ),
            2025,
            "data is on the tree 'old', valid 2020-01-01 to 2020-12-31: the year 2025 lies "
            "outside it; use the tree of that year ('vn-pre-2025' until 2025-06-30, "
            "'vn-2025' from 2025-07-01)",
            "dữ liệu đang dùng hệ thống đơn vị hành chính 'old' (có hiệu lực từ 01/01/2020 "
            "đến 31/12/2020), nhưng năm 2025 nằm ngoài thời gian này; hãy dùng hệ thống đơn vị "
            "hành chính của năm đó ('vn-pre-2025' đến hết 30/6/2025, 'vn-2025' từ 01/7/2025)",
        ),
    ],
    ids=["after the reform", "two trees fit"],
)
def test_hierarchy_date_warning_in_vietnamese(
    spec: HierarchySpec, year: int, english: str, vietnamese: str
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert not spec.check_year(year)
    (warning,) = caught
    assert isinstance(warning.message, HierarchyDateWarning)
    assert str(warning.message) == english
    assert warning.message.localized("vi") == vietnamese


def test_what_a_hierarchy_date_warning_is_about_is_translated_when_it_is_a_message() -> None:
    from learnsoc.errors import Message
    from learnsoc.i18n import N_

    what = Message(N_("{table} table"), table="2026")  # any message of the catalogs
    with pytest.warns(HierarchyDateWarning) as caught:
        PRESETS["vn-2025"].check_year(2024, what=what)
    message = caught[0].message
    assert isinstance(message, HierarchyDateWarning)
    assert str(message).startswith("2026 table is on the tree 'vn-2025', valid from 2025-07-01")
    assert message.localized("vi").startswith(
        "bảng 2026 đang dùng hệ thống đơn vị hành chính 'vn-2025' (có hiệu lực từ 01/7/2025)"
    )
