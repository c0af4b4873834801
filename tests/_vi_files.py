"""Set-ups the Vietnamese command-line tests share: files, a folder to run in, a run.

Each test writes only what makes its case; what every case of a file needs (a small
tree, a household, a province folder written as learnsoc writes it) is written here.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

import learnsoc as ls

#: The variables a run could take its language from: cleared, only ``--locale`` says it.
LOCALE_VARIABLES = ("LEARNSOC_LOCALE", "LC_ALL", "LC_MESSAGES", "LANG")

#: Hà Nội, one commune (Ba Đình) and one village (Tổ 1), in learnsoc's own column names.
UNITS = (
    "code,name,level,parent_code\n01,Hà Nội,province,\n00001,Ba Đình,commune,01\n"
    "00001001,Tổ 1,village,00001\n"
)
#: One household, in the village of :data:`UNITS`.
HOUSEHOLDS = "household_id,unit_code\nH1,00001001\n"


def clear_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run as if the environment named no language (see the ``neutral_locale`` fixture)."""
    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def write_files(folder: Path, files: Mapping[str, str], encoding: str = "utf-8") -> Path:
    """Write each named text into ``folder`` and return the folder."""
    for name, text in files.items():
        (folder / name).write_text(text, encoding=encoding)
    return folder


def run_vi(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run the command line in Vietnamese; return its exit code and what it wrote to stderr."""
    from learnsoc.cli import main  # here: the conftest that imports this module stays light

    code = main([*argv, "--locale", "vi"])
    return code, capsys.readouterr().err


def province_folder(
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    pop: ls.Population,
    tables: tuple[str, ...] = ("households", "persons"),
) -> list[str]:
    """Write a province's files to ``folder / "tinh-01"`` and the units file beside it, as
    ``learnsoc`` writes them, and run in ``folder``.

    Returns the ``learnsoc dataset`` command line that builds ``DIR`` from them, without
    the province folder itself.
    """
    ls.io.write_population(pop, folder / "tinh-01", tables=list(tables))
    ls.io.write_population(pop, folder, tables=["units"])
    monkeypatch.chdir(folder)
    levels = ",".join(pop.hierarchy.levels)
    return ["dataset", "--out", "DIR", "--units", "units.csv", "--levels", levels]
