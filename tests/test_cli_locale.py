"""The command line in Vietnamese (issue 16, item 6): the language from ``--locale``,
``LEARNSOC_LOCALE`` or the environment's locale, for the help, argparse's own words,
errors, listings and rejects."""

from __future__ import annotations

import argparse

import pytest

from learnsoc.cli import main, resolve_locale


@pytest.fixture(autouse=True)
def _no_locale_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LEARNSOC_LOCALE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


def _help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 0
    return capsys.readouterr().out


def _assert_vietnamese_help(out: str) -> None:
    assert out.startswith("cách dùng: learnsoc report")
    assert "tùy chọn:" in out
    assert "hiện trợ giúp này rồi thoát" in out
    assert "tệp đầu vào (CSV, Excel .xlsx, Parquet, Arrow):" in out
    assert "ghi báo cáo vào tệp này thay vì in ra màn hình" in out
    assert "mã thoát: 0 thành công" in out
    for english in ("usage:", "options:", "show this help", "the persons file"):
        assert english not in out


def test_report_help_in_vietnamese_with_locale_before_the_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _assert_vietnamese_help(_help(["--locale", "vi", "report", "--help"], capsys))


def test_report_help_in_vietnamese_with_locale_after_the_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _assert_vietnamese_help(_help(["report", "--locale=vi", "--help"], capsys))


def test_report_help_in_vietnamese_from_learnsoc_locale(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEARNSOC_LOCALE", "vi")
    _assert_vietnamese_help(_help(["report", "--help"], capsys))


def test_report_help_in_vietnamese_from_lang(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    _assert_vietnamese_help(_help(["report", "--help"], capsys))


def test_help_stays_english_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    out = _help(["report", "--help"], capsys)
    assert out.startswith("usage: learnsoc report")
    assert "show this help message and exit" in out


def test_the_locale_order_is_option_then_learnsoc_locale_then_lc_all_then_lang() -> None:
    env = {"LEARNSOC_LOCALE": "en", "LC_ALL": "vi_VN.UTF-8", "LANG": "vi_VN.UTF-8"}
    assert resolve_locale(["report", "--locale", "vi"], env) == "vi"
    assert resolve_locale(["report"], env) == "en"
    assert resolve_locale(["report"], {"LC_ALL": "vi_VN.UTF-8", "LANG": "en_US.UTF-8"}) == "vi"
    assert resolve_locale(["report"], {"LC_ALL": "C.UTF-8", "LANG": "vi_VN.UTF-8"}) == "en"
    assert resolve_locale(["report"], {"LANG": "fr_FR.UTF-8"}) == "en"
    assert resolve_locale(["report"], {}) == "en"


def test_an_unknown_learnsoc_locale_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEARNSOC_LOCALE", "fr")
    assert main(["rulebooks"]) == 2
    assert "LEARNSOC_LOCALE" in capsys.readouterr().err


def test_argparse_errors_in_vietnamese_and_its_words_restored_after(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["report", "--locale", "vi", "--rulebook"]) == 2
    err = capsys.readouterr().err
    assert "learnsoc report: lỗi: tham số --rulebook: cần một giá trị" in err
    assert err.startswith("cách dùng: ")
    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]


def test_missing_command_argument_in_vietnamese(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEARNSOC_LOCALE", "vi")
    assert main(["rollup"]) == 2
    assert "thiếu các tham số bắt buộc: --out" in capsys.readouterr().err


def test_rulebooks_output_in_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rulebooks", "--locale", "vi"]) == 0
    out = capsys.readouterr().out
    assert "phiên bản 2025.1" in out
    assert "version" not in out and "last checked" not in out
    assert "kiểm tra lần cuối ngày 24/11/2025" in out


def test_targets_output_in_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["targets", "--locale", "vi"]) == 0
    out = capsys.readouterr().out
    assert (
        "ngày 16/11/2023; 51 chỉ tiêu cho các năm 2025, 2030 (và 1 chỉ tiêu không có thời hạn)"
        in out
    )
    assert "targets for" not in out
