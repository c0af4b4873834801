"""Frames as notebooks make them: dates as timestamps, columns of mixed Python objects."""

from __future__ import annotations

import datetime as dt

import learnsoc as ls
from learnsoc.io.rejects import FileReject
from learnsoc.rejects import Rejects
from tests.optional import needs

_UNITS = {
    "code": ["01", "00004", "00004001"],
    "level": ["province", "commune", "village"],
    "parent_code": ["", "01", "00004"],
}
_HOUSEHOLDS = {"household_id": ["H1"], "unit_code": ["00004001"]}


def _records(rejects: Rejects) -> list[FileReject]:
    """The rejects of files or frames, each with its line (row) number."""
    out = []
    for r in rejects.records("en"):
        assert isinstance(r, FileReject)
        out.append(r)
    return out


@needs("pandas", "pyarrow")
def test_pandas_timestamps_are_read_as_birth_dates() -> None:
    """``pd.to_datetime`` and ``pd.read_excel`` give datetime64 columns: their dates count."""
    import pandas as pd

    persons = pd.DataFrame(
        {
            "person_id": ["P1", "P2", "P3"],
            "household_id": ["H1", "H1", "H1"],
            "birth_date": pd.to_datetime(["1981-03-15 00:00", "2016-01-02 13:45", None]),
        }
    )
    pop = ls.from_dataframe(persons, _HOUSEHOLDS, _UNITS, reference_year=2025)
    assert pop.column("person", "age").tolist() == [44, 9]
    assert [(r.line, r.reason) for r in _records(pop.rejects)] == [(3, "missing_value")]


@needs("pandas", "pyarrow")
def test_time_zone_aware_timestamps_keep_their_local_date() -> None:
    import pandas as pd

    born = pd.to_datetime(["2000-01-01 00:30"]).tz_localize("Asia/Ho_Chi_Minh")
    persons = pd.DataFrame({"person_id": ["P1"], "household_id": ["H1"], "birth_date": born})
    pop = ls.from_dataframe(persons, _HOUSEHOLDS, _UNITS, reference_year=2000)
    assert pop.column("person", "age").tolist() == [0]
    assert len(pop.rejects) == 0


@needs("polars", "pyarrow")
def test_polars_datetimes_are_read_as_birth_dates() -> None:
    import polars as pl

    persons = pl.DataFrame(
        {
            "person_id": ["P1"],
            "household_id": ["H1"],
            "birth_date": [dt.datetime(1981, 3, 15)],
        }
    )
    pop = ls.from_dataframe(persons, _HOUSEHOLDS, _UNITS, reference_year=2025)
    assert pop.column("person", "age").tolist() == [44]


@needs("pandas", "pyarrow")
def test_a_column_of_numbers_and_words_rejects_the_words() -> None:
    """``pd.read_excel`` gives an object column of ints and strs when a cell holds text.

    pyarrow refuses to convert such a column; the frame was refused with a raw
    ``ArrowInvalid`` instead of the bad cell being rejected.
    """
    import pandas as pd

    persons = pd.DataFrame(
        {
            "person_id": ["P1", "P2", "P3", "P4"],
            "household_id": ["H1", "H1", "H1", "H1"],
            "age": pd.Series([44, "abc", 33.0, None], dtype=object),
            "literate": pd.Series([True, 1, "maybe", pd.NA], dtype=object),
        }
    )
    pop = ls.from_dataframe(persons, _HOUSEHOLDS, _UNITS)
    assert pop.column("person", "age").tolist() == [44]
    reasons = sorted((r.line, r.column, r.value, r.reason) for r in _records(pop.rejects))
    assert reasons == [
        (2, "age", "abc", "not_a_number"),
        (3, "literate", "maybe", "unknown_code"),
        (4, "age", "", "missing_value"),
    ]
    assert pop.rejects.counts()["person"] == (4, 1, 3)


@needs("pandas", "pyarrow")
def test_a_column_of_dates_and_words_reads_the_dates() -> None:
    """A date column where one cell holds text: pandas keeps Timestamps and strs."""
    import pandas as pd

    persons = pd.DataFrame(
        {
            "person_id": ["P1", "P2", "P3"],
            "household_id": ["H1", "H1", "H1"],
            "birth_date": pd.Series(
                [pd.Timestamp("1981-03-15"), "hôm qua", dt.date(2016, 1, 2)], dtype=object
            ),
        }
    )
    pop = ls.from_dataframe(persons, _HOUSEHOLDS, _UNITS, reference_year=2025)
    assert pop.column("person", "age").tolist() == [44, 9]
    assert [(r.line, r.value, r.reason) for r in _records(pop.rejects)] == [
        (2, "hôm qua", "not_a_date")
    ]


@needs("polars", "pyarrow")
def test_a_polars_lazy_frame_is_collected() -> None:
    import polars as pl

    persons = pl.DataFrame(
        {"person_id": ["P1", "P2"], "household_id": ["H1", "H1"], "age": [40, 7]}
    )
    pop = ls.from_dataframe(persons.lazy().filter(pl.col("age") > 10), _HOUSEHOLDS, _UNITS)
    assert pop.n_persons == 1
