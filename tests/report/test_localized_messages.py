"""Errors of results tables and their renderings in Vietnamese (issue 16).

Each case checks the exact Vietnamese text and that ``str(err)`` stays the English of
before; the command line prints a target file's error in Vietnamese under ``--locale vi``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.errors import LearnsocError, OptionalDependencyError
from learnsoc.report.results import results
from learnsoc.targets import load_targets, progress
from tests.targets.helpers import ha_giang

BAD = Path(__file__).parents[1] / "targets" / "bad"


def _clans() -> ls.Rollup:
    return ls.rollup_counts(
        {"unit_code": ["02"], "clans": [10], "learning_clans": [4]}, ha_giang().hierarchy
    )


def _plain() -> ls.Rollup:
    return ls.rollup_counts({"unit_code": ["02"], "people": [10]}, ha_giang().hierarchy)


CASES: list[tuple[str, Callable[[], object], str, str]] = [
    (
        "not-a-rollup",
        lambda: results("persons.csv"),  # type: ignore[arg-type]
        "results() needs a Rollup (from learnsoc.rollup or rollup_counts), got 'persons.csv'",
        "results() cần một Rollup (từ learnsoc.rollup hoặc rollup_counts), nhận được 'persons.csv'",
    ),
    (
        "twice",
        lambda: results(_clans(), ["learning_clans", "learning_clans"]),
        "indicator 'learning_clans' is asked for twice",
        "chỉ tiêu 'learning_clans' được yêu cầu hai lần",
    ),
    (
        "none",
        lambda: results(_clans(), []),
        "no indicators: name at least one (or pass None for every measured one)",
        "không có chỉ tiêu nào: hãy nêu ít nhất một chỉ tiêu (hoặc truyền None để lấy mọi chỉ tiêu "
        "có số liệu)",
    ),
    (
        "level",
        lambda: results(_clans(), levels=["provnce"]),
        "levels: 'provnce' is not a level of the data; did you mean 'province'?",
        "levels: 'provnce' không phải là một cấp của dữ liệu; có phải ý bạn là 'province'?",
    ),
    (
        "no-breakdown",
        lambda: results(_clans(), by="sex"),
        "by: the rollup has no breakdown by 'sex'; roll it up with by= "
        "(ls.rollup(..., by='sex') or ls.rollup_counts)",
        "by: bảng tổng hợp không được phân tổ theo 'sex'; hãy tổng hợp với by= "
        "(ls.rollup(..., by='sex') hoặc ls.rollup_counts)",
    ),
    (
        "no-standard-indicator",
        lambda: results(_plain()),
        "the rollup has the measures of no standard indicator (its measures: people); name "
        "the indicators, or roll up learnsoc.standard_measures()",
        "bảng tổng hợp không có số đo của chỉ tiêu có sẵn nào (các số đo hiện có: people); hãy "
        "nêu tên các chỉ tiêu, hoặc tổng hợp theo learnsoc.standard_measures()",
    ),
    (
        "decimals-name",
        lambda: results(_clans()).to_text("en", decimals={"learning_clan": 1}),
        "decimals: no indicator 'learning_clan' in this results table; "
        "did you mean 'learning_clans'?",
        "decimals: bảng kết quả này không có chỉ tiêu 'learning_clan'; "
        "có phải ý bạn là 'learning_clans'?",
    ),
    (
        "decimals-range",
        lambda: results(_clans()).to_text("en", decimals={"learning_clans": 11}),
        "decimals['learning_clans'] must be from 0 to 10, got 11",
        "decimals['learning_clans'] phải từ 0 đến 10, nhận được 11",
    ),
    (
        "decimals-type",
        lambda: results(_clans()).to_text("en", decimals=1.5),  # type: ignore[arg-type]
        "decimals must be a whole number from 0 to 10, got 1.5",
        "decimals phải là số nguyên từ 0 đến 10, nhận được 1.5",
    ),
    (
        "decimals-target-set",
        lambda: progress(ha_giang(), load_targets("hanoi-23-nq-tu"), year=2025).to_text(
            "en", decimals={"learning_familes": 1}
        ),
        "decimals: no indicator 'learning_familes' in target set 'hanoi-23-nq-tu'; "
        "did you mean 'learning_families'?",
        "decimals: bộ mục tiêu 'hanoi-23-nq-tu' không có chỉ tiêu 'learning_familes'; "
        "có phải ý bạn là 'learning_families'?",
    ),
]


@pytest.mark.parametrize(
    ("case", "call", "english", "vietnamese"), CASES, ids=[c[0] for c in CASES]
)
def test_errors_of_results_tables_in_vietnamese(
    case: str, call: Callable[[], object], english: str, vietnamese: str
) -> None:
    with pytest.raises(LearnsocError) as caught:
        call()
    assert str(caught.value) == english
    assert caught.value.localized("vi") == vietnamese


@pytest.mark.parametrize(
    ("module", "call", "english", "vietnamese"),
    [
        (
            "matplotlib.figure",
            lambda: results(_clans()).plot(),
            "Results.plot() needs the optional package 'matplotlib'; "
            "install it with: pip install 'learnsoc[plot]'",
            "Results.plot() cần gói tùy chọn 'matplotlib'",
        ),
        (
            "matplotlib.figure",
            lambda: progress(ha_giang(), load_targets("hanoi-23-nq-tu"), year=2025).plot(),
            "Progress.plot() needs the optional package 'matplotlib'; "
            "install it with: pip install 'learnsoc[plot]'",
            "Progress.plot() cần gói tùy chọn 'matplotlib'",
        ),
        (
            "pandas",
            lambda: results(_clans()).to_pandas(),
            "Results.to_pandas() needs the optional package 'pandas'; "
            "install it with: pip install 'learnsoc[pandas]'",
            "Results.to_pandas() cần gói tùy chọn 'pandas'",
        ),
    ],
    ids=["results-plot", "progress-plot", "results-pandas"],
)
def test_a_missing_optional_package_in_vietnamese(
    module: str,
    call: Callable[[], object],
    english: str,
    vietnamese: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    with pytest.raises(OptionalDependencyError) as caught:
        call()
    assert str(caught.value) == english
    assert caught.value.localized("vi").startswith(vietnamese)


# -- notes on data the table lacks (issue 16) ------------------------------------------


def _without_employment() -> ls.Rollup:
    """A rollup from persons files without the employment and trained columns."""
    return attrs.evolve(
        _clans(),
        absent_columns={
            "workers": ("employment",),
            "trained_workers": ("employment", "trained"),
        },
    )


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "en",
            "share of workers with training: no data (the data have no column `employment`, "
            "`trained`)",
        ),
        (
            "vi",
            "Tỷ lệ lao động qua đào tạo: không có số liệu (dữ liệu thiếu cột `employment`, "
            "`trained`)",
        ),
    ],
)
def test_a_results_note_names_the_missing_columns_as_written(locale: str, expected: str) -> None:
    res = results(_without_employment(), ["learning_clans", "trained_workers"])
    assert res.absent_columns == {"trained_workers": ("employment", "trained")}
    assert res.notes(locale) == [expected]
    assert expected in res.to_text(locale)


def test_a_results_note_without_known_columns_names_the_measures() -> None:
    res = results(_clans(), ["learning_clans", "learning_units"])
    assert res.notes("en") == [
        "share of learning units: not in the data (needs the measures learning_units, units)"
    ]
    assert res.notes("vi") == [
        "Tỷ lệ Đơn vị học tập: chưa có số liệu (cần số đạt và tổng số cơ quan, đơn vị)"
    ]


# -- the command line -------------------------------------------------------------------


@pytest.mark.usefixtures("neutral_locale")
def test_a_target_file_error_prints_in_vietnamese_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ke_hoach.toml").write_bytes((BAD / "unknown_kind.toml").read_bytes())
    argv = ["report", "--counts", "c.csv", "--units", "u.csv", "--targets", "ke_hoach.toml"]
    assert main([*argv, "--locale", "vi"]) in (1, 2)
    assert capsys.readouterr().err.strip() == (
        "learnsoc: lỗi: ke_hoach.toml:12 [targets[0] (f-2025).kind]: kind phải là một trong "
        "các giá trị value, range, maintain, qualitative; nhận được 'rnge'; "
        "có phải ý bạn là 'range'?"
    )
    assert main(argv) in (1, 2)
    assert capsys.readouterr().err.strip() == (
        "learnsoc: error: ke_hoach.toml:12 [targets[0] (f-2025).kind]: kind must be one of "
        "value, range, maintain, qualitative; got 'rnge'; did you mean 'range'?"
    )
