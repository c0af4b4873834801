"""Results and progress frames hold nulls, not the -1 the columns store for "no year"."""

from __future__ import annotations

import pytest

import learnsoc as ls
from tests.optional import needs

_TREE = ls.Hierarchy.from_units(
    {"code": ["02"], "name": ["Hà Giang"], "level": ["province"], "parent_code": [None]},
    levels=["province"],
)
_ROLL = ls.rollup_counts(
    {"unit_code": ["02"], "families": [200], "learning_families": [150]}, _TREE
)


@needs("pandas")
def test_results_without_a_year_have_a_null_year_in_pandas() -> None:
    df = ls.results(_ROLL, ["learning_families"]).to_pandas()
    assert str(df["year"].dtype) == "Int32"
    assert df["year"].isna().all()
    dated = ls.results(_ROLL, ["learning_families"], year=2024).to_pandas()
    assert dated["year"].tolist() == [2024]
    assert str(dated["year"].dtype) == "Int32"  # the dtype does not depend on the data


@needs("polars")
def test_results_without_a_year_have_a_null_year_in_polars() -> None:
    df = ls.results(_ROLL, ["learning_families"]).to_polars()
    assert df["year"].null_count() == 1


@needs("pyarrow")
def test_results_without_a_year_have_a_null_year_in_arrow() -> None:
    table = ls.results(_ROLL, ["learning_families"]).to_arrow()
    assert table.column("year").null_count == 1


@needs("pandas")
@pytest.mark.parametrize("library", ["pandas", "polars", "arrow"])
def test_progress_frames_agree_with_its_csv_on_unknown_years(library: str) -> None:
    targets = ls.load_targets("hanoi-23-nq-tu").select(indicators=["learning_families"])
    prog = ls.progress(_ROLL, targets, year=2025)
    pytest.importorskip({"pandas": "pandas", "polars": "polars", "arrow": "pyarrow"}[library])
    import pandas as pd

    frame = getattr(prog, f"to_{library}")()
    column = frame.column("observed_year") if library == "arrow" else frame["observed_year"]
    if library == "pandas":
        values = [None if v is pd.NA else v for v in column.tolist()]
    else:
        values = column.to_pylist() if library == "arrow" else column.to_list()
    assert values == [None]
