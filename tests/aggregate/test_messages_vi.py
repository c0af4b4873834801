"""Errors of learnsoc.aggregate in Vietnamese (issue 16, item 6): misuse of the Python API.

Each case triggers one error and gives its exact English (``str(err)``, unchanged) and
Vietnamese (``err.localized("vi")``, as ``--locale vi`` prints it). Python names
(``n_groups``, ``Partial``, ``by=``) stay untranslated.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.aggregate import (
    AggregateError,
    Groups,
    Mean,
    Partial,
    Rate,
    group_count,
    group_count_at_least,
    group_counts,
    group_counts_blockwise,
    group_max,
    group_share,
    group_sum,
)
from learnsoc.aggregate.breakdown import groups_of
from learnsoc.aggregate.rollup import Count, Rollup, rollup, rollup_counts
from learnsoc.aggregate.stream import rollup_batches
from learnsoc.cli import main
from learnsoc.errors import DataError, LearnsocError, SchemaError

TREE = ls.Hierarchy.from_units(
    {
        "code": ["01", "001", "001001"],
        "name": ["Hà Nội", "Ba Đình", "Tổ 1"],
        "level": ["province", "commune", "village"],
        "parent_code": [None, "01", "001"],
    },
    levels=["province", "commune", "village"],
)
SORTED = Groups.from_offsets([0, 2, 3])
MASK = np.ones(3, bool)
ONE = Partial(n_groups=1, sums={"a": np.array([1])})
POP = ls.synthetic_population(persons=300, seed=1)
ROLL = rollup(POP, {"persons": "person"})
BY_SEX = rollup(POP, {"persons": "person"}, by="sex")
BATCH = {"unit_code": np.array(["001001"]), "age": np.array([30])}

Case = tuple[Callable[[], Any], type[LearnsocError], str, str]


def _check(case: Case) -> None:
    call, kind, english, vietnamese = case
    with pytest.raises(kind) as info:
        call()
    assert str(info.value) == english
    assert info.value.localized("vi") == vietnamese
    assert info.value.localized("en") == english


GROUPS: dict[str, Case] = {
    "n_groups negative": (
        lambda: Groups.from_codes([0], n_groups=-1),
        AggregateError,
        "n_groups must be a non-negative integer, got -1",
        "n_groups phải là số nguyên không âm, nhận được -1",
    ),
    "n_groups text": (
        lambda: Groups.from_codes([0], n_groups="2"),  # type: ignore[arg-type]
        AggregateError,
        "n_groups must be a non-negative integer, got '2'",
        "n_groups phải là số nguyên không âm, nhận được '2'",
    ),
    "codes 2-D": (
        lambda: Groups.from_codes([[0]], n_groups=1),
        AggregateError,
        "codes must be a one-dimensional array, got 2 dimensions",
        "codes phải là mảng một chiều, nhận được mảng 2 chiều",
    ),
    "codes floats": (
        lambda: Groups.from_codes([0.5], n_groups=1),
        AggregateError,
        "codes must hold integers, got dtype float64",
        "codes phải chứa số nguyên, nhận được dtype float64",
    ),
    "codes too large": (
        lambda: Groups.from_codes(np.array([2**63], np.uint64), n_groups=1),
        AggregateError,
        "codes holds 9223372036854775808, too large for int64",
        "codes chứa 9223372036854775808, quá lớn đối với int64",
    ),
    "code out of range": (
        lambda: Groups.from_codes([0, 5, 7], n_groups=4),
        AggregateError,
        "codes must lie in 0..n_groups-1 = 0..3; 2 do not, the first is 5 at position 1",
        (
            "codes phải nằm trong khoảng 0..n_groups-1 = 0..3; có 2 giá trị nằm ngoài, giá trị đầu "
            "tiên là 5 ở vị trí 1"
        ),
    ),
    "offsets empty": (
        lambda: Groups.from_offsets([]),
        AggregateError,
        "offsets must have n_groups + 1 entries (at least [0]), got an empty array",
        "offsets phải có n_groups + 1 phần tử (ít nhất là [0]), nhận được một mảng rỗng",
    ),
    "offsets start": (
        lambda: Groups.from_offsets([1, 2]),
        AggregateError,
        "offsets must start at 0, got 1",
        "offsets phải bắt đầu từ 0, nhận được 1",
    ),
    "offsets decrease": (
        lambda: Groups.from_offsets([0, 3, 2]),
        AggregateError,
        "offsets must never decrease; offsets[1] = 3 but offsets[2] = 2",
        "offsets không được giảm; offsets[1] = 3 nhưng offsets[2] = 2",
    ),
    "neither": (
        lambda: Groups(n_groups=1, codes=None, offsets=None),
        AggregateError,
        "Groups needs codes or offsets (use Groups.from_codes or Groups.from_offsets)",
        "Groups cần codes hoặc offsets (hãy dùng Groups.from_codes hoặc Groups.from_offsets)",
    ),
    "offsets length": (
        lambda: Groups(n_groups=3, codes=None, offsets=np.array([0, 1])),
        AggregateError,
        "offsets must have n_groups + 1 = 4 entries, got 2",
        "offsets phải có n_groups + 1 = 4 phần tử, nhận được 2",
    ),
    "disagree": (
        lambda: Groups(n_groups=2, codes=np.array([1, 0]), offsets=np.array([0, 1, 2])),
        AggregateError,
        "codes and offsets disagree: codes must be the group of each row",
        "codes và offsets không khớp nhau: codes phải là nhóm của từng dòng",
    ),
    "expand scalar": (
        lambda: SORTED.expand(3),
        AggregateError,
        "group_values must have one value per group (2), got a scalar",
        "group_values phải có một giá trị cho mỗi nhóm (2), nhận được một giá trị vô hướng",
    ),
    "expand length": (
        lambda: SORTED.expand([1, 2, 3]),
        AggregateError,
        "group_values must have one value per group (2), got 3 values",
        "group_values phải có một giá trị cho mỗi nhóm (2), nhận được 3 giá trị",
    ),
}


@pytest.mark.parametrize("case", GROUPS.values(), ids=GROUPS.keys())
def test_groups_errors_in_vietnamese(case: Case) -> None:
    """learnsoc.aggregate.groups: each misuse prints in Vietnamese, the English unchanged."""
    _check(case)


KERNELS: dict[str, Case] = {
    "mask 2-D": (
        lambda: group_share(SORTED, [[True]]),
        AggregateError,
        "mask must be a one-dimensional array (one value per member), got 2 dimensions",
        "mask phải là mảng một chiều (mỗi thành viên một giá trị), nhận được mảng 2 chiều",
    ),
    "mask length": (
        lambda: group_share(SORTED, [True]),
        AggregateError,
        (
            "mask has 1 values but the groups have 3 members; pass one value per member, in "
            "the same "
            "order as the group codes"
        ),
        (
            "mask có 1 giá trị nhưng các nhóm có 3 thành viên; hãy truyền mỗi thành viên một giá "
            "trị, theo đúng thứ tự của mã nhóm"
        ),
    ),
    "mask not bool": (
        lambda: group_share(SORTED, [1, 2, 3]),
        AggregateError,
        "mask must be a boolean array, got dtype int64; compare it first (for example values > 0)",
        "mask phải là mảng boolean, nhận được dtype int64; hãy so sánh trước (ví dụ values > 0)",
    ),
    "values text": (
        lambda: group_sum(SORTED, np.array(["a", "b", "c"])),
        AggregateError,
        "values must be boolean, integer or float, got dtype <U1",
        "values phải là boolean, số nguyên hoặc số thực, nhận được dtype <U1",
    ),
    "method unknown": (
        lambda: group_count(SORTED, MASK, method="fast"),  # type: ignore[arg-type]
        AggregateError,
        "method must be one of 'auto', 'scatter', 'segments', 'bincount'; got 'fast'",
        "method phải là một trong 'auto', 'scatter', 'segments', 'bincount'; nhận được 'fast'",
    ),
    "method segments": (
        lambda: group_count(Groups.from_codes([1, 0, 0], n_groups=2), MASK, method="segments"),
        AggregateError,
        (
            "method='segments' needs members sorted by group; build the groups with "
            "Groups.from_offsets, or Groups.from_codes on sorted codes"
        ),
        (
            "method='segments' cần các thành viên được sắp xếp theo nhóm; hãy tạo nhóm bằng "
            "Groups.from_offsets, hoặc Groups.from_codes với mã đã sắp xếp"
        ),
    ),
    "block": (
        lambda: group_counts_blockwise(SORTED, lambda lo, hi: [MASK[lo:hi]], 1, block=0),
        AggregateError,
        "block must be a positive number of members, got 0",
        "block phải là số thành viên dương, nhận được 0",
    ),
    "make_masks": (
        lambda: group_counts_blockwise(SORTED, lambda lo, hi: [MASK], 1, block=2),
        AggregateError,
        "make_masks(0, 2) must return 1 boolean arrays of length 2",
        "make_masks(0, 2) phải trả về 1 mảng boolean có độ dài 2",
    ),
    "dtype": (
        lambda: group_counts(SORTED, [MASK], dtype=np.float64),  # type: ignore[arg-type]
        AggregateError,
        "dtype must be a signed integer type holding 2 counts, got float64",
        "dtype phải là kiểu số nguyên có dấu đủ chứa số đếm đến 2, nhận được float64",
    ),
    "k": (
        lambda: group_count_at_least(SORTED, MASK, 1.5),  # type: ignore[arg-type]
        AggregateError,
        "k must be an integer, got 1.5",
        "k phải là số nguyên, nhận được 1.5",
    ),
    "values too large": (
        lambda: group_sum(SORTED, np.array([2**63, 0, 0], np.uint64)),
        AggregateError,
        "values holds 9223372036854775808, too large to sum in int64",
        "values chứa 9223372036854775808, quá lớn để cộng bằng int64",
    ),
    "fill": (
        lambda: group_max(SORTED, np.array([1, 2, 3], np.int8), fill=1000),
        AggregateError,
        "fill must be a value that fits the values dtype int8, got 1000",
        "fill phải là giá trị biểu diễn được bằng dtype int8 của values, nhận được 1000",
    ),
}


@pytest.mark.parametrize("case", KERNELS.values(), ids=KERNELS.keys())
def test_kernels_errors_in_vietnamese(case: Case) -> None:
    """learnsoc.aggregate.kernels: each misuse prints in Vietnamese, the English unchanged."""
    _check(case)


RATE: dict[str, Case] = {
    "counts 2-D": (
        lambda: Rate([[1]], [[2]]),
        AggregateError,
        "numerator must be a one-dimensional array of counts, got 2 dimensions",
        "numerator phải là mảng số đếm một chiều, nhận được mảng 2 chiều",
    ),
    "counts floats": (
        lambda: Rate([0.5], [1]),
        AggregateError,
        "numerator must hold integer counts, got dtype float64",
        "numerator phải chứa số đếm nguyên, nhận được dtype float64",
    ),
    "counts too large": (
        lambda: Rate(np.array([2**63], np.uint64), [1]),
        AggregateError,
        "numerator holds 9223372036854775808, too large for int64",
        "numerator chứa 9223372036854775808, quá lớn đối với int64",
    ),
    "counts negative": (
        lambda: Rate([-1], [2]),
        AggregateError,
        "numerator must be non-negative; numerator[0] is -1",
        "numerator không được âm; numerator[0] bằng -1",
    ),
    "total 2-D": (
        lambda: Mean([[1]], [1]),
        AggregateError,
        "total must be a one-dimensional array, got 2 dimensions",
        "total phải là mảng một chiều, nhận được mảng 2 chiều",
    ),
    "total too large": (
        lambda: Mean(np.array([2**63], np.uint64), [1]),
        AggregateError,
        "total holds 9223372036854775808, too large for int64",
        "total chứa 9223372036854775808, quá lớn đối với int64",
    ),
    "total text": (
        lambda: Mean(["a"], [1]),
        AggregateError,
        "total must hold numbers, got dtype <U1",
        "total phải chứa số, nhận được dtype <U1",
    ),
    "three lengths": (
        lambda: Rate([1, 2], [2]),
        AggregateError,
        (
            "every count array needs one value per group, but numerator has 2, denominator has 1, "
            "missing has 2"
        ),
        (
            "mỗi mảng số đếm cần một giá trị cho mỗi nhóm, nhưng numerator có 2, denominator có 1, "
            "missing có 2"
        ),
    ),
    "two lengths": (
        lambda: Rate([1], [2]) + Rate([1, 1], [2, 2]),
        AggregateError,
        "every count array needs one value per group, but left has 1, right has 2",
        "mỗi mảng số đếm cần một giá trị cho mỗi nhóm, nhưng left có 1, right có 2",
    ),
    "numerator over": (
        lambda: Rate([3], [2]),
        AggregateError,
        "numerator must not exceed denominator; group 0 has 3 of 2",
        "tử số (numerator) không được lớn hơn mẫu số (denominator); nhóm 0 có 3 trên 2",
    ),
    "threshold bool": (
        lambda: Rate([1], [2]).at_least(True),
        AggregateError,
        "threshold must be a number, got the boolean True",
        "threshold phải là số, nhận được giá trị boolean True",
    ),
    "threshold nan": (
        lambda: Rate([1], [2]).at_least(float("nan")),
        AggregateError,
        "threshold must be a finite number, got nan",
        "threshold phải là số hữu hạn, nhận được nan",
    ),
    "threshold decimal": (
        lambda: Rate([1], [2]).at_least(Decimal("inf")),
        AggregateError,
        "threshold must be a finite number, got Decimal('Infinity')",
        "threshold phải là số hữu hạn, nhận được Decimal('Infinity')",
    ),
    "threshold text": (
        lambda: Rate([1], [2]).at_least("0.5"),  # type: ignore[arg-type]
        AggregateError,
        "threshold must be a number (int, float, Fraction or Decimal), got str '0.5'",
        "threshold phải là số (int, float, Fraction hoặc Decimal), nhận được str '0.5'",
    ),
    "op": (
        lambda: Rate([1], [2]).compare("=>", 0.5),  # type: ignore[arg-type]
        AggregateError,
        "op must be one of '>=', '>', '<=', '<', '==', '!='; got '=>'",
        "op phải là một trong '>=', '>', '<=', '<', '==', '!='; nhận được '=>'",
    ),
}


@pytest.mark.parametrize("case", RATE.values(), ids=RATE.keys())
def test_rate_errors_in_vietnamese(case: Case) -> None:
    """learnsoc.aggregate.rate: each misuse prints in Vietnamese, the English unchanged."""
    _check(case)


PARTIALS: dict[str, Case] = {
    "n_groups": (
        lambda: Partial(n_groups=-2),
        AggregateError,
        "n_groups must be a non-negative integer, got -2",
        "n_groups phải là số nguyên không âm, nhận được -2",
    ),
    "name": (
        lambda: Partial(n_groups=1, sums={1: np.array([1])}),  # type: ignore[dict-item]
        AggregateError,
        "measure names must be strings, got 1",
        "tên đại lượng phải là chuỗi ký tự, nhận được 1",
    ),
    "shape": (
        lambda: Partial(n_groups=2, sums={"a": np.array([1])}),
        AggregateError,
        "sums['a'] must have one value per group (2), got shape (1,)",
        "sums['a'] phải có một giá trị cho mỗi nhóm (2), nhận được mảng có kích thước (1,)",
    ),
    "sum dtype": (
        lambda: Partial(n_groups=1, sums={"a": np.array([1], np.int32)}),
        AggregateError,
        "sums['a'] must be int64 or float64, got int32",
        "sums['a'] phải là int64 hoặc float64, nhận được int32",
    ),
    "min dtype": (
        lambda: Partial(n_groups=1, mins={"a": np.array(["x"])}),
        AggregateError,
        "mins['a'] must hold numbers or booleans, got <U1",
        "mins['a'] phải chứa số hoặc giá trị boolean, nhận được <U1",
    ),
    "not a partial": (
        lambda: ONE.merge(3),  # type: ignore[arg-type]
        AggregateError,
        "can only merge a Partial with a Partial, got int",
        "chỉ gộp được Partial với Partial, nhận được int",
    ),
    "groups differ": (
        lambda: ONE.merge(Partial(n_groups=2)),
        AggregateError,
        (
            "cannot merge partials over 1 and 2 groups; aggregate every chunk with the same group "
            "numbering"
        ),
        (
            "không thể gộp hai Partial có 1 và 2 nhóm; hãy tổng hợp mọi phần dữ liệu với cùng một "
            "cách đánh số nhóm"
        ),
    ),
    "keys both": (
        lambda: ONE.merge(Partial(n_groups=1, sums={"b": np.array([1])})),
        AggregateError,
        "cannot merge partials: their sums differ ('a' only on the left; 'b' only on the right)",
        (
            "không thể gộp hai Partial: sums của chúng khác nhau ('a' chỉ có ở bên trái; 'b' "
            "chỉ có "
            "ở bên phải)"
        ),
    ),
    "keys left": (
        lambda: ONE.merge(Partial(n_groups=1)),
        AggregateError,
        "cannot merge partials: their sums differ ('a' only on the left)",
        "không thể gộp hai Partial: sums của chúng khác nhau ('a' chỉ có ở bên trái)",
    ),
    "keys right": (
        lambda: Partial(n_groups=1).merge(ONE),
        AggregateError,
        "cannot merge partials: their sums differ ('a' only on the right)",
        "không thể gộp hai Partial: sums của chúng khác nhau ('a' chỉ có ở bên phải)",
    ),
    "dtypes": (
        lambda: ONE.merge(Partial(n_groups=1, sums={"a": np.array([1.0])})),
        AggregateError,
        "cannot merge partials: sums['a'] is int64 on the left and float64 on the right",
        "không thể gộp hai Partial: sums['a'] là int64 ở bên trái nhưng là float64 ở bên phải",
    ),
    "coarsen": (
        lambda: ONE.coarsen(SORTED),
        AggregateError,
        "parents must have one member per group of the partial (1), got 3",
        "parents phải có một thành viên cho mỗi nhóm của Partial (1), nhận được 3",
    ),
    "rate": (
        lambda: ONE.rate("x", "a"),
        AggregateError,
        "no summed measure 'x'; the sums are ['a']",
        "không có đại lượng tổng 'x'; các đại lượng tổng là ['a']",
    ),
}


@pytest.mark.parametrize("case", PARTIALS.values(), ids=PARTIALS.keys())
def test_partials_errors_in_vietnamese(case: Case) -> None:
    """learnsoc.aggregate.partials: each misuse prints in Vietnamese, the English unchanged."""
    _check(case)


ROLLUP: dict[str, Case] = {
    "measure spec": (
        lambda: rollup(POP, {"persons": 3}),  # type: ignore[dict-item]
        AggregateError,
        "measure 'persons' must be an entity name, (entity, mask), Count(...) or Sum(...), got int",
        (
            "đại lượng 'persons' phải là tên thực thể, (entity, mask), Count(...) hoặc Sum(...), "
            "nhận được int"
        ),
    ),
    "reserved": (
        lambda: rollup(POP, {"units_reporting": "person"}),
        AggregateError,
        "measure 'units_reporting': the name is reserved for the completeness of the rollup",
        (
            "đại lượng 'units_reporting': tên này dành riêng cho số đơn vị báo cáo của bảng "
            "tổng hợp "
            "(mức độ đầy đủ)"
        ),
    ),
    "entity": (
        lambda: rollup(POP, {"persons": "persn"}),
        AggregateError,
        "measure 'persons': unknown entity 'persn'; did you mean 'person'?",
        "đại lượng 'persons': không có thực thể 'persn'; có phải ý bạn là 'person'?",
    ),
    "mask": (
        lambda: rollup(POP, {"adults": ("person", np.ones(2, bool))}),
        AggregateError,
        "measure 'adults': the mask must be 300 booleans (one per person), got bool (2,)",
        (
            "đại lượng 'adults': mặt nạ phải gồm 300 giá trị boolean (một giá trị cho mỗi dòng "
            "person), nhận được bool (2,)"
        ),
    ),
    "slots": (
        lambda: Rollup.from_partial(ONE, TREE),
        AggregateError,
        (
            "the partial has 1 slots; a rollup over this hierarchy needs 4 (one per unit and "
            "one for "
            "rows without a unit)"
        ),
        (
            "Partial có 1 ô; tổng hợp theo hệ thống đơn vị hành chính này cần 4 ô (mỗi đơn vị "
            "một ô "
            "và một ô cho các dòng không có đơn vị)"
        ),
    ),
    "rate parts": (
        lambda: ROLL.with_rates({"r": ("persons",)}),  # type: ignore[dict-item]
        AggregateError,
        "rate 'r' needs (numerator, denominator[, missing]), got ('persons',)",
        "tỷ lệ 'r' cần (numerator, denominator[, missing]), nhận được ('persons',)",
    ),
    "rate measure": (
        lambda: ROLL.with_rates({"r": ("person", "persons")}),
        AggregateError,
        "rate 'r': no measure 'person'; did you mean 'persons'?",
        "tỷ lệ 'r': không có đại lượng 'person'; có phải ý bạn là 'persons'?",
    ),
    "no group": (
        lambda: ROLL.part("female"),
        AggregateError,
        "no group 'female' in the rollup; it was rolled up without by=",
        "bảng tổng hợp không có nhóm 'female'; bảng được tổng hợp không có by=",
    ),
    "no such group": (
        lambda: BY_SEX.part("femal"),
        AggregateError,
        (
            "no group 'femal' in the rollup; expected one of 'sex=female', 'sex=male'; its groups: "
            "sex=male, sex=female"
        ),
        (
            "bảng tổng hợp không có nhóm 'femal'; cần một trong các giá trị 'sex=female', "
            "'sex=male'; các nhóm của bảng: sex=male, sex=female"
        ),
    ),
    "no rate": (
        lambda: ROLL.rate("persns"),
        AggregateError,
        "no rate 'persns'",
        "không có tỷ lệ 'persns'",
    ),
    "by without person": (
        lambda: rollup(POP, {"households": "household"}, by="sex"),
        AggregateError,
        "by='sex': no person measure to break down (measures: households)",
        "by='sex': không có đại lượng nhân khẩu nào để phân tổ (các đại lượng: households)",
    ),
    "counts unit_code": (
        lambda: rollup_counts({"code": ["001001"], "persons": [3]}, TREE),
        SchemaError,
        "counts column 'unit_code': required column is missing; expected one of 'code', 'persons'",
        (
            "số liệu tổng hợp, cột 'unit_code': thiếu cột bắt buộc; cần một trong các giá trị "
            "'code', 'persons'"
        ),
    ),
    "counts length": (
        lambda: rollup_counts({"unit_code": ["001001"], "persons": [3, 4]}, TREE),
        SchemaError,
        "counts column 'persons': has 2 rows, unit_code has 1",
        "số liệu tổng hợp, cột 'persons': có 2 dòng, trong khi unit_code có 1 dòng",
    ),
    "counts none": (
        lambda: rollup_counts({"unit_code": ["001001"]}, TREE),
        SchemaError,
        "counts table: has no count columns besides unit_code",
        "bảng số liệu tổng hợp: không có cột số đếm nào ngoài unit_code",
    ),
    "counts identifier": (
        lambda: rollup_counts({"unit_code": ["001001"], "learning citizens": [3]}, TREE),
        SchemaError,
        "counts column 'learning citizens': count column names must be identifiers",
        (
            "số liệu tổng hợp, cột 'learning citizens': tên cột số đếm phải là định danh hợp lệ "
            "(chữ, số, dấu gạch dưới; không bắt đầu bằng số)"
        ),
    ),
    "counts reserved": (
        lambda: rollup_counts({"unit_code": ["001001"], "units_expected": [3]}, TREE),
        SchemaError,
        "counts column 'units_expected': is reserved for the completeness the rollup counts",
        (
            "số liệu tổng hợp, cột 'units_expected': là tên dành riêng cho số đơn vị báo cáo "
            "mà bảng "
            "tổng hợp tự đếm (mức độ đầy đủ)"
        ),
    ),
    "counts breakdown": (
        lambda: rollup_counts({"unit_code": ["001001"], "persons": [3]}, TREE, by="sex"),
        SchemaError,
        (
            "counts table: by='sex': no breakdown columns (a count column and its part, e.g. "
            "persons_female)"
        ),
        (
            "bảng số liệu tổng hợp: by='sex': không có cột phân tổ nào (một cột số đếm kèm cột "
            "phần "
            "của nó, ví dụ persons_female)"
        ),
    ),
    "strict one": (
        lambda: rollup_counts({"unit_code": ["9"], "persons": [3]}, TREE, strict=True),
        DataError,
        "1 problem in the counts; first: counts row 0 (counted from 0), column unit_code: "
        "unit '9' does not exist",
        (
            "có 1 lỗi trong số liệu tổng hợp; lỗi đầu tiên: số liệu tổng hợp, dòng 0 (đếm từ 0), "
            "cột unit_code: "
            "đơn vị hành chính '9' không tồn tại"
        ),
    ),
    "strict two": (
        lambda: rollup_counts({"unit_code": ["9", "8"], "persons": [3, 1]}, TREE, strict=True),
        DataError,
        "2 problems in the counts; first: counts row 0 (counted from 0), column unit_code: "
        "unit '9' does not exist",
        (
            "có 2 lỗi trong số liệu tổng hợp; lỗi đầu tiên: số liệu tổng hợp, dòng 0 (đếm từ 0), "
            "cột unit_code: "
            "đơn vị hành chính '9' không tồn tại"
        ),
    ),
}


@pytest.mark.parametrize("case", ROLLUP.values(), ids=ROLLUP.keys())
def test_rollup_errors_in_vietnamese(case: Case) -> None:
    """learnsoc.aggregate.rollup: each misuse prints in Vietnamese, the English unchanged."""
    _check(case)


BREAKDOWN: dict[str, Case] = {
    "not coded": (
        lambda: groups_of("ethnicity"),
        AggregateError,
        (
            "by: 'ethnicity' is not a coded column of the person schema; name its groups, e.g. "
            "by={'ethnicity': ['kinh', 'other']}"
        ),
        (
            "by: 'ethnicity' không phải cột mã hóa trong lược đồ nhân khẩu; hãy đặt tên các "
            "nhóm của "
            "cột, ví dụ by={'ethnicity': ['kinh', 'other']}"
        ),
    ),
    "not a group": (
        lambda: groups_of({"sex": ["femal"]}),
        AggregateError,
        "by: 'femal' is not a group of 'sex'; did you mean 'female'?",
        "by: 'femal' không phải một nhóm của cột 'sex'; có phải ý bạn là 'female'?",
    ),
    "twice": (
        lambda: groups_of({"sex": ["female"], "x": ["female"]}),
        AggregateError,
        "by: groups ['female'] are named in two columns; name them apart",
        "by: các nhóm ['female'] trùng tên ở hai cột; hãy đặt tên khác nhau",
    ),
}


@pytest.mark.parametrize("case", BREAKDOWN.values(), ids=BREAKDOWN.keys())
def test_breakdown_errors_in_vietnamese(case: Case) -> None:
    """learnsoc.aggregate.breakdown: each misuse prints in Vietnamese, the English unchanged."""
    _check(case)


STREAM: dict[str, Case] = {
    "unit column": (
        lambda: rollup_batches([{"code": np.array(["001001"])}], TREE, {"persons": "person"}),
        SchemaError,
        "person column 'unit_code': required column is missing; expected one of 'code'",
        "người, cột 'unit_code': thiếu cột bắt buộc; cần một trong các giá trị 'code'",
    ),
    "reserved": (
        lambda: rollup_batches([BATCH], TREE, {"units_expected": "person"}),
        AggregateError,
        "measure 'units_expected': the name is reserved for the completeness of the rollup",
        (
            "đại lượng 'units_expected': tên này dành riêng cho số đơn vị báo cáo của bảng "
            "tổng hợp "
            "(mức độ đầy đủ)"
        ),
    ),
    "entity": (
        lambda: rollup_batches([BATCH], TREE, {"households": "household"}),
        AggregateError,
        "measure 'households': streamed rollups count persons only, not 'household'",
        "đại lượng 'households': tổng hợp theo luồng chỉ đếm nhân khẩu, không đếm 'household'",
    ),
    "mask": (
        lambda: rollup_batches([BATCH], TREE, {"adults": Count("person", lambda b: b["age"])}),
        AggregateError,
        "measure 'adults': the mask must be 1 booleans, got int64 (1,)",
        "đại lượng 'adults': mặt nạ phải gồm 1 giá trị boolean, nhận được int64 (1,)",
    ),
}


@pytest.mark.parametrize("case", STREAM.values(), ids=STREAM.keys())
def test_stream_errors_in_vietnamese(case: Case) -> None:
    """learnsoc.aggregate.stream: each misuse prints in Vietnamese, the English unchanged."""
    _check(case)


UNITS = (
    "code,name,level,parent_code\n"
    "01,Hà Nội,province,\n001,Ba Đình,commune,01\n001001,Tổ 1,village,001\n"
)


@pytest.fixture
def counts_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, neutral_locale: None) -> Path:
    """A units file and per-unit counts files, each wrong in one way, in the working dir."""
    monkeypatch.chdir(tmp_path)
    files = {
        "don_vi.csv": UNITS,
        "tong_hop.csv": "unit_code,persons,learning_citizens\n001001,10,4\n",
        "trung_ten.csv": "unit_code,persons,units_reporting\n001001,10,1\n",
        "ten_cot.csv": "unit_code,persons,learning citizens\n001001,10,4\n",
        "khong_so.csv": "unit_code,unit_name\n001001,Tổ 1\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _cli_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 1
    return capsys.readouterr().err.strip()


@pytest.mark.parametrize(
    ("argv", "vietnamese"),
    [
        (
            ["rollup", "--counts", "trung_ten.csv", "--out", "o.csv"],
            "learnsoc: lỗi: số liệu tổng hợp, cột 'units_reporting': là tên dành riêng cho "
            "số đơn vị báo cáo mà bảng tổng hợp tự đếm (mức độ đầy đủ)",
        ),
        (
            ["rollup", "--counts", "ten_cot.csv", "--out", "o.csv"],
            # The file's column is named, with how to leave it out or count it.
            "learnsoc: lỗi: ten_cot.csv, cột 'learning citizens': không phải là cột số đếm "
            "mà learnsoc biết: để bỏ qua cột này, hãy liệt kê nó trong bảng [counts] của tệp "
            'ánh xạ (ignore = ["learning citizens"]); để tính cột này, hãy đặt cho nó một tên '
            "(chữ cái không dấu, chữ số, dấu gạch dưới) tại [counts.columns]",
        ),
        (
            ["rollup", "--counts", "khong_so.csv", "--out", "o.csv"],
            "learnsoc: lỗi: bảng số liệu tổng hợp: không có cột số đếm nào ngoài unit_code",
        ),
        (
            ["report", "--counts", "tong_hop.csv", "--by", "sex"],
            "learnsoc: lỗi: bảng số liệu tổng hợp: by=['sex']: không có cột phân tổ nào "
            "(một cột số đếm kèm cột phần của nó, ví dụ persons_female)",
        ),
        (
            ["report", "--counts", "tong_hop.csv", "--by", "ethnicity"],
            "learnsoc: lỗi: by: 'ethnicity' không phải cột mã hóa trong lược đồ nhân khẩu; "
            "hãy đặt tên các nhóm của cột, ví dụ by={'ethnicity': ['kinh', 'other']}",
        ),
    ],
    ids=["reserved", "identifier", "no counts", "no breakdown", "not coded"],
)
def test_counts_errors_print_in_vietnamese_on_the_command_line(
    counts_files: Path, capsys: pytest.CaptureFixture[str], argv: list[str], vietnamese: str
) -> None:
    """`learnsoc rollup` and `learnsoc report` on a counts file print these in Vietnamese."""
    units = ["--units", "don_vi.csv", "--levels", "province,commune,village"]
    assert _cli_error([*argv, *units, "--locale", "vi"], capsys) == vietnamese


def test_counts_errors_stay_english_by_default(
    counts_files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --locale the same error is the English of ``str(err)``."""
    argv = ["rollup", "--counts", "trung_ten.csv", "--out", "o.csv", "--units", "don_vi.csv"]
    assert _cli_error([*argv, "--levels", "province,commune,village"], capsys) == (
        "learnsoc: error: counts column 'units_reporting': is reserved for the completeness "
        "the rollup counts"
    )
