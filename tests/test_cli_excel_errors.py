"""Spreadsheet error values in ``--inputs`` files: ``excel_error`` rejects, as elsewhere.

An evaluator's sheet whose criterion was a formula (``=IF(...)``, a lookup into another
sheet) holds ``#N/A`` where it failed: it was an ``unknown_code`` or ``not_a_number``
reject, and an error value in the key column an unknown unit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from learnsoc.cli import main
from tests.io.helpers import write
from tests.test_cli_jobs import BOOK, province  # noqa: F401  (a fixture)


def test_error_values_in_an_inputs_file_are_rejected_by_name(
    province: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(province)
    head, first, second, *rest = (province / "commune.csv").read_text("utf-8").splitlines()
    column = head.split(";")[1]
    value = first.split(";")
    value[1] = "#N/A"
    key = second.split(";")
    key[0] = "#REF!"
    lines = [head, ";".join(value), ";".join(key), *rest]
    write(province, "errors.csv", "\n".join(lines) + "\n")
    base = ["evaluate", "persons.csv", "--households", "households.csv", "--units", "units.csv"]
    assert main([*base, *BOOK, "--inputs", "commune=errors.csv", "--rejects", "r.csv"]) == 1
    err = capsys.readouterr().err
    n = len(lines) - 1
    assert f"commune inputs: read {n}, accepted {n - 2}, 2 rows rejected" in err
    rejects = (province / "r.csv").read_text("utf-8-sig").splitlines()
    assert [r.split(",")[:6] for r in rejects[1:]] == [
        ["errors.csv", "2", "commune inputs", column, "#N/A", "excel_error"],
        ["errors.csv", "3", "commune inputs", head.split(";")[0], "#REF!", "excel_error"],
    ]
