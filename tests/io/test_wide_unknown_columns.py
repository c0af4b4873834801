"""A wide CSV file with columns learnsoc does not know is refused from its header alone.

16,000 columns by 2,000 rows (64 MB) peaked at 490 MB (7.7x the file) before the
unknown-column error, since the whole file was parsed first; the header alone decides
that error. Here a file of 4,000 columns, its peak of traced memory bounded by a
multiple of its size (the old readers: 4.0x with pyarrow, whose own buffers are not
even traced, 11.7x with the standard-library engine; now 2.3x: the file's bytes and
one copy).
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from learnsoc.errors import SchemaError
from learnsoc.io.csv import Engine
from learnsoc.io.population import read_population

UNITS = (
    "code,name,level,parent_code\n01,P,province,\n00001,C,commune,01\n00001001,V,village,00001\n"
)
HOUSEHOLDS = "household_id,unit_code,registered\nH1,00001001,1\n"


def _files(folder: Path, n_extra: int, n_rows: int) -> dict[str, Path]:
    head = "person_id,household_id,age," + ",".join(f"x{k}" for k in range(n_extra))
    cells = ",".join(["1"] * n_extra)
    body = "".join(f"{i},H1,{20 + i % 60},{cells}\n" for i in range(n_rows))
    paths = {"persons": folder / "p.csv", "households": folder / "h.csv", "units": folder / "u.csv"}
    paths["persons"].write_text(head + "\n" + body, "utf-8")
    paths["households"].write_text(HOUSEHOLDS, "utf-8")
    paths["units"].write_text(UNITS, "utf-8")
    return paths


def refused(paths: dict[str, Path], engine: Engine) -> SchemaError:
    """Return the error reading these files raises (a header refused)."""
    with pytest.raises(SchemaError) as caught:
        read_population(
            paths["persons"], households=paths["households"], units=paths["units"], engine=engine
        )
    return caught.value


@pytest.mark.parametrize("engine", ["pyarrow", "python"])
def test_an_unknown_column_is_refused_before_the_body_is_parsed(
    tmp_path: Path, engine: Engine
) -> None:
    if engine == "pyarrow":
        pytest.importorskip("pyarrow")
    for name in ("small", "wide"):
        (tmp_path / name).mkdir()
    refused(_files(tmp_path / "small", 3, 2), engine)  # the modules it imports, untraced
    paths = _files(tmp_path / "wide", 4_000, 500)
    size = paths["persons"].stat().st_size
    tracemalloc.start()
    try:
        error = refused(paths, engine)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * size, (peak, size)
    # The error the reader gave after parsing: the first unknown column, the file named.
    assert error.column == "x0"
    assert f"unknown column in {paths['persons']}" in str(error)


def test_the_header_check_names_what_a_full_read_names(tmp_path: Path) -> None:
    """A missing required column is refused from the header too, with the same words."""
    (tmp_path / "p.csv").write_text("person_id,age\n1,30\n", "utf-8")
    (tmp_path / "h.csv").write_text(HOUSEHOLDS, "utf-8")
    (tmp_path / "u.csv").write_text(UNITS, "utf-8")
    with pytest.raises(SchemaError, match="required column is missing from") as caught:
        read_population(tmp_path / "p.csv", households=tmp_path / "h.csv", units=tmp_path / "u.csv")
    assert caught.value.column == "household_id"
