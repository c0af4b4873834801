"""Errors of target files, indicators, progress and the 2025 reform in Vietnamese (issue 16).

Target files are written by agencies: their errors must read as Vietnamese, with the
file, line, key path and the file's own words (keys, values) left as written. Each case
checks the exact Vietnamese text and that ``str(err)`` stays the English of before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

import learnsoc as ls
from learnsoc.errors import HierarchyError, LearnsocError
from learnsoc.targets import Indicator, TargetError, indicator, load_targets, progress
from learnsoc.targets._reform import align_trees, reexpress
from learnsoc.targets.progress import Note, Status
from learnsoc.targets.targets import TargetSet
from tests.targets.helpers import ha_giang

BAD = Path(__file__).parent / "bad"
#: Files whose error comes from the TOML reader shared with rulebooks (learnsoc.rules).
TOML_READER = {
    "dotted_key_too_deep",
    "inline_table_too_deep",
    "integer_out_of_range",
    "integer_too_many_digits",
    "nested_brackets_too_deep",
    "syntax",
}

BAD_FILES = [
    (
        "unknown_kind",
        "unknown_kind.toml:12 [targets[0] (f-2025).kind]: kind must be one of value, range, "
        "maintain, qualitative; got 'rnge'; did you mean 'range'?",
        "unknown_kind.toml:12 [targets[0] (f-2025).kind]: kind phải là một trong các giá trị "
        "value, range, maintain, qualitative; nhận được 'rnge'; có phải ý bạn là 'range'?",
    ),
    (
        "unknown_target_key",
        "unknown_target_key.toml:13 [targets[0].valeu]: unknown key 'valeu'; did you mean 'value'?",
        "unknown_target_key.toml:13 [targets[0].valeu]: khóa 'valeu' không hợp lệ; "
        "có phải ý bạn là 'value'?",
    ),
    (
        "unknown_indicator",
        "unknown_indicator.toml:10 [targets[0] (f-2025).indicator]: unknown indicator "
        "'learning_familes'; did you mean 'learning_families'?",
        "unknown_indicator.toml:10 [targets[0] (f-2025).indicator]: không có chỉ tiêu "
        "'learning_familes'; có phải ý bạn là 'learning_families'?",
    ),
    (
        "value_text",
        "value_text.toml:13 [targets[0] (f-2025).value]: 'value' must be a number, got str '60%'",
        "value_text.toml:13 [targets[0] (f-2025).value]: 'value' phải là một số, "
        "nhận được văn bản '60%'",
    ),
    (
        "year_missing",
        "year_missing.toml:8 [targets[0] (f).year]: 'year' is required (or 'undated = true' "
        "when the source gives no deadline)",
        "year_missing.toml:8 [targets[0] (f).year]: thiếu khóa bắt buộc 'year' (hoặc "
        "'undated = true' khi văn bản không quy định thời hạn)",
    ),
    (
        "missing_vi_title",
        "missing_vi_title.toml:4 [target_set.title]: 'title' needs a text for every locale; "
        "missing vi",
        "missing_vi_title.toml:4 [target_set.title]: 'title' cần có văn bản cho mọi ngôn ngữ; "
        "còn thiếu vi",
    ),
    (
        "range_reversed",
        "range_reversed.toml:13 [targets[0] (t-2025).range]: range 80-75 is reversed",
        "range_reversed.toml:13 [targets[0] (t-2025).range]: range 80-75 bị đảo ngược "
        "(cận dưới lớn hơn cận trên)",
    ),
    (
        "value_missing",
        "value_missing.toml:8 [targets[0] (f-2025).value]: a value target needs 'value'",
        "value_missing.toml:8 [targets[0] (f-2025).value]: mục tiêu loại value cần có 'value'",
    ),
    (
        "indicator_zero_factor",
        "indicator_zero_factor.toml:8 [indicators.dropout]: indicator factor must be a "
        "positive integer, got 0",
        "indicator_zero_factor.toml:8 [indicators.dropout]: factor của chỉ tiêu phải là số "
        "nguyên dương, nhận được 0",
    ),
    (
        "no_target_set",
        "no_target_set.toml [target_set]: a target file needs a [target_set] table "
        "(id, title, issuer, date)",
        "no_target_set.toml [target_set]: tệp mục tiêu cần có bảng [target_set] "
        "(id, title, issuer, date)",
    ),
    (
        "duplicate_id",
        "duplicate_id.toml:16 [targets[1].id]: target id 'f-2025' is used twice "
        "(targets[0] and targets[1])",
        "duplicate_id.toml:16 [targets[1].id]: mã mục tiêu 'f-2025' được dùng hai lần "
        "(targets[0] và targets[1])",
    ),
    (
        "bad_date",
        "bad_date.toml:6 [target_set.date]: date must be a TOML date (2023-11-16), "
        "got '16/11/2023'",
        "bad_date.toml:6 [target_set.date]: date phải là một ngày theo định dạng TOML "
        "(2023-11-16), nhận được '16/11/2023'",
    ),
]


@pytest.mark.parametrize(
    ("stem", "english", "vietnamese"), BAD_FILES, ids=[c[0] for c in BAD_FILES]
)
def test_target_file_errors_in_vietnamese(stem: str, english: str, vietnamese: str) -> None:
    with pytest.raises(TargetError) as caught:
        load_targets(f"{BAD / stem}.toml")
    prefix = f"{BAD}/"
    assert str(caught.value) == prefix + english
    assert caught.value.localized("vi") == prefix + vietnamese


@pytest.mark.parametrize(
    "path", sorted(p for p in BAD.glob("*.toml") if p.stem not in TOML_READER), ids=str
)
def test_every_target_file_error_has_a_vietnamese_text(path: Path) -> None:
    with pytest.raises(TargetError) as caught:
        load_targets(path)
    err = caught.value
    assert err.message_id is not None
    vi = err.localized("vi")
    assert vi != str(err)
    # The position and key path are the file's own: never translated.
    assert vi.split(": ", 1)[0] == str(err).split(": ", 1)[0]
    assert err.localized("en") == str(err)


def _set(**extra: Any) -> TargetSet:
    hanoi = load_targets("hanoi-23-nq-tu")
    return attrs.evolve(hanoi, **extra) if extra else hanoi


def _uncertain() -> None:
    Indicator("x", "a", "b", "label", uncertain=True)


def _too_many() -> None:
    roll = ls.rollup_counts(
        {"unit_code": ["02"], "clans": [10], "learning_clans": [12]}, ha_giang().hierarchy
    )
    INDICATOR_CLANS.observe(roll)


INDICATOR_CLANS = indicator("learning_clans")

API_ERRORS: list[tuple[str, Callable[[], object], str, str]] = [
    (
        "unknown-indicator",
        lambda: indicator("learning_clan"),
        "unknown indicator 'learning_clan'; did you mean 'learning_clans'?",
        "không có chỉ tiêu 'learning_clan'; có phải ý bạn là 'learning_clans'?",
    ),
    (
        "identifier",
        lambda: Indicator("x", "a b", "c", "label"),
        "indicator numerator must be an identifier, got 'a b'",
        "numerator của chỉ tiêu phải là một định danh (chữ, số, dấu gạch dưới), nhận được 'a b'",
    ),
    (
        "decimals",
        lambda: Indicator("x", "a", "b", "label", decimals=11),
        "indicator decimals must be an integer from 0 to 10, got 11",
        "decimals của chỉ tiêu phải là số nguyên từ 0 đến 10, nhận được 11",
    ),
    (
        "direction",
        lambda: Indicator("x", "a", "b", "label", direction="lower"),  # type: ignore[arg-type]
        "unknown direction 'lower'; expected one of 'higher_is_better', 'lower_is_better'",
        "giá trị direction 'lower' không hợp lệ; cần một trong các giá trị "
        "'higher_is_better', 'lower_is_better'",
    ),
    (
        "uncertain",
        _uncertain,
        "indicator 'x' is uncertain: give a note saying why",
        "chỉ tiêu 'x' chưa chắc chắn: hãy ghi chú lý do",
    ),
    (
        "numerator-too-large",
        _too_many,
        "indicator 'learning_clans': unit '02' has 12 learning_clans but only 10 clans with "
        "a known value; a numerator must not exceed its denominator",
        "chỉ tiêu 'learning_clans': đơn vị '02' có 12 learning_clans nhưng chỉ có 10 clans đã "
        "biết giá trị; tử số không được lớn hơn mẫu số",
    ),
    (
        "select-indicator",
        lambda: _set().select(indicators=["learning_famlies"]),
        "unknown indicator 'learning_famlies'; did you mean 'learning_families'?",
        "không có chỉ tiêu 'learning_famlies'; có phải ý bạn là 'learning_families'?",
    ),
    (
        "completeness",
        lambda: progress(ha_giang(), _set(), completeness=2),
        "completeness must be from 0 to 1 (1 = every unit reported), got 2",
        "completeness phải từ 0 đến 1 (1 = mọi đơn vị đã báo cáo), nhận được 2",
    ),
    (
        "completeness-type",
        lambda: progress(ha_giang(), _set(), completeness="all"),  # type: ignore[arg-type]
        "completeness must be a number from 0 to 1 (1 = every unit reported), got 'all'",
        "completeness phải là một số từ 0 đến 1 (1 = mọi đơn vị đã báo cáo), nhận được 'all'",
    ),
    (
        "no-targets-for-year",
        lambda: progress(ha_giang(), _set(), year=2027),
        "target set 'hanoi-23-nq-tu' has no targets for 2027; its years are 2025, 2030",
        "bộ mục tiêu 'hanoi-23-nq-tu' không có mục tiêu nào cho năm 2027; các năm của bộ là "
        "2025, 2030",
    ),
    (
        "assessments",
        lambda: progress(ha_giang(), _set(), year=2025, assessments={"unesco-netwrk": True}),
        "assessments: no target 'unesco-netwrk'; did you mean 'unesco-network'?",
        "assessments: không có mục tiêu 'unesco-netwrk'; có phải ý bạn là 'unesco-network'?",
    ),
    (
        "levels",
        lambda: progress(ha_giang(), _set(), year=2025, levels=["provnce"]),
        "levels: level 'provnce' is not a level of the data; did you mean 'province'?; "
        "pass levels=[...] to progress() to choose the levels to assess",
        "levels: 'provnce' không phải là một cấp của dữ liệu; có phải ý bạn là 'province'?; "
        "hãy truyền levels=[...] cho progress() để chọn các cấp cần đánh giá",
    ),
    (
        "no-observations",
        lambda: progress([], _set()),
        "no observations: pass a Rollup or (year, Rollup) pairs",
        "không có số liệu quan sát: hãy truyền một Rollup hoặc các cặp (năm, Rollup)",
    ),
    (
        "twice-a-year",
        lambda: progress([(2024, ha_giang()), (2024, ha_giang())], _set()),
        "each year may be observed once; got years [2024, 2024]",
        "mỗi năm chỉ được có một bộ số liệu quan sát; nhận được các năm [2024, 2024]",
    ),
    (
        "no-targets",
        lambda: progress(ha_giang(), _set(targets=())),
        "target set 'hanoi-23-nq-tu' has no targets",
        "bộ mục tiêu 'hanoi-23-nq-tu' không có mục tiêu nào",
    ),
]


@pytest.mark.parametrize(
    ("case", "call", "english", "vietnamese"), API_ERRORS, ids=[c[0] for c in API_ERRORS]
)
def test_errors_of_indicators_and_progress_in_vietnamese(
    case: str, call: Callable[[], object], english: str, vietnamese: str
) -> None:
    with pytest.raises(LearnsocError) as caught:
        call()
    assert str(caught.value) == english
    assert caught.value.localized("vi") == vietnamese


def test_an_unknown_target_id_in_vietnamese() -> None:
    with pytest.raises(TargetError) as caught:
        _set()["learning-families-2052"]
    assert str(caught.value).startswith("no target 'learning-families-2052' in 'hanoi-23-nq-tu'")
    assert caught.value.localized("vi").startswith(
        "bộ mục tiêu 'hanoi-23-nq-tu' không có mục tiêu 'learning-families-2052'; "
        "có phải ý bạn là 'learning-families-2025'?"
    )


def test_an_unknown_status_in_vietnamese() -> None:
    prog = progress(ha_giang(), _set(), year=2025)
    with pytest.raises(TargetError) as caught:
        prog.filter(status="mett")
    assert str(caught.value) == "unknown status 'mett'; did you mean 'met'?"
    assert caught.value.localized("vi") == (
        "không có trạng thái đánh giá 'mett'; có phải ý bạn là 'met'?"
    )


# -- the 2025 reform: rollups of two trees ---------------------------------------------


def _trees() -> tuple[ls.Hierarchy, ls.Hierarchy]:
    old_spec = ls.HierarchySpec(
        "old", [ls.Level("province"), ls.Level("commune")], valid_until=dt.date(2025, 6, 30)
    )
    new_spec = ls.HierarchySpec("new", old_spec.levels, valid_from=dt.date(2025, 7, 1))
    old = ls.Hierarchy.from_units(
        {
            "code": ["08", "A", "B"],
            "level": ["province", "commune", "commune"],
            "parent_code": [None, "08", "08"],
        },
        old_spec,
    )
    new = ls.Hierarchy.from_units(
        {"code": ["08", "X"], "level": ["province", "commune"], "parent_code": [None, "08"]},
        new_spec,
    )
    return old, new


def test_rollups_of_two_trees_without_a_crosswalk_in_vietnamese() -> None:
    old, new = _trees()
    rolls = [
        (2024, ls.rollup_counts({"unit_code": ["A", "B"], "families": [10, 20]}, old)),
        (2026, ls.rollup_counts({"unit_code": ["X"], "families": [30]}, new)),
    ]
    with pytest.raises(HierarchyError) as caught:
        align_trees(rolls, None)
    assert str(caught.value).startswith(
        "the 2024 rollup is over the tree 'old' (valid until 2025-06-30; levels province, "
        "commune) and the 2026 rollup over 'new' (valid from 2025-07-01; levels province, "
        "commune): units of two trees are never matched by code"
    )
    assert caught.value.localized("vi") == (
        "bảng tổng hợp năm 2024 thuộc cây đơn vị 'old' (hiệu lực đến 30/6/2025; gồm "
        "cấp tỉnh, cấp xã) còn bảng tổng hợp năm 2026 thuộc cây 'new' (hiệu lực từ "
        "01/7/2025; gồm cấp tỉnh, cấp xã): đơn vị của hai cây khác nhau không bao giờ "
        "được ghép theo mã (danh mục năm 2025 dùng lại mã cũ: Tuyên Quang cũ và mới đều mang "
        "mã '08'); hãy truyền crosswalk=ls.Crosswalk.from_pairs(old_tree, new_tree, pairs) "
        "để chuyển số liệu các năm trước sang cây mới"
    )


@pytest.mark.parametrize("case", ["other-tree", "backwards"])
def test_crosswalk_errors_in_vietnamese(case: str) -> None:
    old, new = _trees()
    pairs = {"source_code": ["A", "B"], "target_code": ["X", "X"]}
    forward = ls.Crosswalk.from_pairs(old, new, pairs, level="commune")
    if case == "other-tree":
        roll = ls.rollup_counts({"unit_code": ["X"], "families": [30]}, new)
        with pytest.raises(HierarchyError) as caught:
            reexpress(roll, forward)
        assert str(caught.value) == (
            "the crosswalk maps the tree 'old' (valid until 2025-06-30; levels province, "
            "commune) (3 units), but the rollup is over 'new' (valid from 2025-07-01; levels "
            "province, commune) (2 units); build the crosswalk from the rollup's own tree"
        )
        assert caught.value.localized("vi") == (
            "bảng chuyển đổi đơn vị áp dụng cho cây đơn vị 'old' (hiệu lực đến 30/6/2025; "
            "gồm cấp tỉnh, cấp xã) (3 đơn vị), nhưng bảng tổng hợp thuộc cây 'new' "
            "(hiệu lực từ 01/7/2025; gồm cấp tỉnh, cấp xã) (2 đơn vị); hãy lập bảng "
            "chuyển đổi từ chính cây đơn vị của bảng tổng hợp"
        )
        return
    backwards = ls.Crosswalk.from_pairs(
        new, old, {"source_code": ["X"], "target_code": ["A"]}, level="commune"
    )
    rolls = [
        (2026, ls.rollup_counts({"unit_code": ["X"], "families": [30]}, new)),
        (2027, ls.rollup_counts({"unit_code": ["A", "B"], "families": [10, 20]}, old)),
    ]
    with pytest.raises(HierarchyError) as caught:
        align_trees(rolls, backwards)
    assert str(caught.value).startswith("the crosswalk runs backwards in time: from 'new'")
    assert caught.value.localized("vi") == (
        "bảng chuyển đổi đi ngược thời gian: từ 'new' (hiệu lực từ 01/7/2025; gồm cấp "
        "tỉnh, cấp xã) đến 'old' (hiệu lực đến 30/6/2025; gồm cấp tỉnh, cấp xã); "
        "hãy lập bảng chuyển đổi từ cây cũ sang cây mới"
    )


# -- notes on data the table lacks (issue 16) ------------------------------------------


def _without_newly_literate() -> ls.Rollup:
    """A rollup from persons files without the newly_literate and still_learning columns."""
    roll = ha_giang()
    return attrs.evolve(
        roll,
        absent_columns={
            "newly_literate": ("newly_literate",),
            "newly_literate_still_learning": ("newly_literate", "still_learning"),
            "newly_literate_still_learning_missing": ("newly_literate", "still_learning"),
        },
    )


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "en",
            "share of the newly literate who keep learning: no data (the data have no column "
            "`newly_literate`, `still_learning`)",
        ),
        (
            "vi",
            "Tỷ lệ người mới biết chữ tiếp tục học tập: không có số liệu (dữ liệu thiếu cột "
            "`newly_literate`, `still_learning`)",
        ),
    ],
)
def test_a_note_on_missing_columns_names_every_column_as_written(
    locale: str, expected: str
) -> None:
    prog = progress(_without_newly_literate(), _set(), year=2025, levels=["province"])
    notes = [n.text(prog.targets, locale) for n in prog.notes]
    assert expected in notes
    # Never a translated label in place of a column ("thiếu cột số đạt").
    assert not any("thiếu cột tổng số" in n or "thiếu cột số đạt" in n for n in notes)


def test_a_column_named_like_the_numerator_is_still_named() -> None:
    note = Note(
        "{indicator}: no data (the data have no column {items})",
        indicator="learning_citizens",
        items=("learning_citizens",),
    )
    assert note.text(_set(), "vi").endswith("(dữ liệu thiếu cột `learning_citizens`)")
    assert note.text(_set(), "en").endswith("(the data have no column `learning_citizens`)")


def test_a_note_on_missing_measures_still_names_them_in_words_in_vietnamese() -> None:
    roll = ls.rollup_counts({"unit_code": ["02"], "clans": [10]}, ha_giang().hierarchy)
    targets = _set().select(indicators=["learning_clans"])
    prog = progress(roll, targets, year=2025, levels=["province"])
    (vi,) = [n.text(prog.targets, "vi") for n in prog.notes if n.indicator == "learning_clans"]
    assert "`" not in vi and "cần số đạt" in vi
    assert {s.name for s in prog.statuses()} == {Status.NO_DATA.name}
