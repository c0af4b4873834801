"""A commune's counts report run through ``learnsoc report --format csv``, for tests.

Writes the units of one commune with two villages (``don_vi.csv``), the given report and
mapping into the current folder, runs the command and returns each indicator's numerator
and denominator as printed, with what was said on stderr.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from learnsoc.cli import main

UNITS = (
    "code;name;level;parent_code\n01;Hà Nội;province;\n00004;Xã Minh Phú;commune;01\n"
    "00004001;Thôn Đông;village;00004\n00004002;Thôn Đoài;village;00004\n"
)


def commune_counts(
    capsys: pytest.CaptureFixture[str], report: str, mapping: str, *, locale: str = "en"
) -> tuple[dict[str, tuple[str, str]], str]:
    """Return ({indicator: (numerator, denominator)}, stderr) of the commune's report."""
    Path("don_vi.csv").write_text(UNITS, encoding="utf-8")
    Path("bao_cao.csv").write_text(report, encoding="utf-8")
    Path("so_lieu.toml").write_text(mapping, encoding="utf-8")
    argv = ["report", "--counts", "bao_cao.csv", "--units", "don_vi.csv", "--mapping"]
    argv += ["so_lieu.toml", "--level", "commune", "--format", "csv", "--locale", locale]
    assert main(argv) == 0
    captured = capsys.readouterr()
    rows = [line.split(",") for line in captured.out.splitlines()]
    head = rows[0]
    counts = {
        r[head.index("indicator")]: (r[head.index("numerator")], r[head.index("denominator")])
        for r in rows[1:]
    }
    return counts, captured.err
