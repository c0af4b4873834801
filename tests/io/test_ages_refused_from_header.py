"""Birth years without the year ages are reached in are refused from the header alone.

A clerk's 2,000,000-row persons file with a ``birth_year`` column, read without
``--reference-year``, was parsed and converted whole (15 s, 550 MB) before the error that
the column names alone decide; now it comes before the body is parsed.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from learnsoc.io.csv import Engine
from tests.io.test_wide_unknown_columns import UNITS, refused

HOUSEHOLDS = "household_id,unit_code\nH1,00001001\n"


def _files(folder: Path, header: str, n_rows: int, tail: str = "") -> dict[str, Path]:
    folder.mkdir()
    body = "".join(f"{i},H1,{1940 + i % 80}{tail}\n" for i in range(n_rows))
    paths = {"persons": folder / "p.csv", "households": folder / "h.csv", "units": folder / "u.csv"}
    paths["persons"].write_text(header + "\n" + body, "utf-8")
    paths["households"].write_text(HOUSEHOLDS, "utf-8")
    paths["units"].write_text(UNITS, "utf-8")
    return paths


@pytest.mark.parametrize("engine", ["pyarrow", "python"])
def test_birth_years_without_a_reference_year_are_refused_before_the_body_is_parsed(
    tmp_path: Path, engine: Engine
) -> None:
    if engine == "pyarrow":
        pytest.importorskip("pyarrow")
    header = "person_id,household_id,birth_year"
    refused(_files(tmp_path / "small", header, 2), engine)  # the modules it imports, untraced
    paths = _files(tmp_path / "long", header, 60_000)
    size = paths["persons"].stat().st_size
    tracemalloc.start()
    try:
        error = refused(paths, engine)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # The file's bytes and a copy at most; parsing and converting it took several times more.
    assert peak < 2.5 * size, (peak, size)
    assert (error.table, error.column) == ("person", "birth_year")
    assert "--reference-year YEAR" in str(error)


def test_both_birth_years_and_dates_are_refused_from_the_header(tmp_path: Path) -> None:
    header = "person_id,household_id,birth_year,birth_date"
    paths = _files(tmp_path / "both", header, 3, tail=",01/01/1990")
    error = refused(paths, "auto")
    assert (error.table, error.column) == ("person", "birth_date")
    assert "not both" in str(error)
