"""``--quiet`` for ETL scripts: no bars, counts or notes; warnings and the check line stay.

The help said "only the final check line" while warnings were printed too (and the
reference said "and warnings"): a warning says the figures are partial or suspect, which
a script's log must keep, so the help now says what --quiet keeps.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from learnsoc.cli import main
from tests.io.helpers import PERSONS, files, write

INPUTS = ["persons.csv", "--households", "households.csv", "--units", "units.csv"]


def _stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> list[str]:
    # A UTF-8 file read as cp1258: a warning; one bad age: one rejected row (exit 1).
    files(tmp_path)
    write(tmp_path, "persons.csv", PERSONS + "9,H1,abc,1,1\n")
    argv = ["validate", *(str(tmp_path / a) if a.endswith(".csv") else a for a in INPUTS)]
    code = main([*argv, "--encoding", "cp1258", "--locale", "en", *extra])
    assert code == 1
    return capsys.readouterr().err.splitlines()


def test_quiet_keeps_the_warnings_and_the_check_line_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    loud = _stderr(tmp_path, capsys)
    quiet = _stderr(tmp_path, capsys, "--quiet")
    warnings = [line for line in loud if line.startswith("learnsoc: warning: ")]
    assert warnings and len(loud) > len(warnings) + 1  # counts and notes besides
    assert quiet == [*warnings, loud[-1]]
    assert "accepted + rejected = read" in loud[-1]


@pytest.mark.parametrize(("locale", "words"), [("en", "warnings"), ("vi", "cảnh báo")])
def test_the_help_says_quiet_keeps_the_warnings(
    locale: str, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--locale", locale, "validate", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    quiet = text[text.index("--quiet ", text.index("--debug")) :]  # the option, not usage
    assert words in quiet[: quiet.index("--debug")]
