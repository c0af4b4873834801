"""Every row of a results table says what it is: computed, empty, not reported, not measured.

The results CSV (``learnsoc report --format csv`` without targets, ``Results.to_csv``) had
no status: a blank value could be a unit with nobody to count, a commune that did not
report, an indicator the data lack, or a title not in force (the learning district from
1/7/2025); a value computed on 2 of 3 communes looked like one computed on all of them.
Its ``status`` column now says which, with a stable id (words in ``status_label``), as the
progress table's ``status`` does; CSV, JSON, pandas and Excel hold the same.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.report.results import RESULT_STATUSES, Results
from learnsoc.report.tables import RESULT_COLUMNS, results_columns
from tests.optional import needs
from tests.test_reform_hand import files

#: A province of four communes: 00001 counts 10 families and 16 persons; 00004 has no
#: family and 5 persons none of whom has a recorded value; 00007 sent no row; 00009 has
#: 20 families.
TREE = {
    "code": ["01", "00001", "00004", "00007", "00009"],
    "name": ["Hà Nội", "Xã Một", "Xã Bốn", "Xã Bảy", "Xã Chín"],
    "level": ["province", "commune", "commune", "commune", "commune"],
    "parent_code": [None, "01", "01", "01", "01"],
}
COUNTS = {
    "unit_code": ["00001", "00004", "00009"],
    "families": [10, 0, 20],
    "learning_families": [4, 0, 15],
    "persons": [16, 5, 0],
    "learning_citizens": [6, 0, 0],
    "learning_citizens_missing": [0, 5, 0],
}
INDICATORS = ["learning_families", "learning_citizens", "learning_units"]


def table() -> Results:
    h = ls.Hierarchy.from_units(TREE, levels=["province", "commune"])
    return ls.results(ls.rollup_counts(COUNTS, h), INDICATORS, year=2024)


def by_key(rows: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["unit_code"], r["indicator"]): r for r in rows}


def test_each_row_says_what_its_figure_is() -> None:
    """By hand, from the counts above: 3 of 4 communes reported."""
    rows = by_key(
        [
            dict(zip(RESULT_COLUMNS, r, strict=True))
            for r in zip(*results_columns(table()).values(), strict=True)
        ]
    )
    expected = {
        # 14 / 30 families, but 00007 did not report: computed on 3 of 4.
        ("01", "learning_families"): ("incomplete", 19, 30),
        ("00001", "learning_families"): ("ok", 4, 10),
        ("00004", "learning_families"): ("empty", 0, 0),  # reported: no family
        ("00007", "learning_families"): ("not_reported", 0, 0),
        ("00009", "learning_families"): ("ok", 15, 20),
        ("00001", "learning_citizens"): ("ok", 6, 16),
        ("00004", "learning_citizens"): ("missing", 0, 0),  # 5 persons, no value
        ("00009", "learning_citizens"): ("empty", 0, 0),
        ("01", "learning_units"): ("not_measured", -1, -1),
        ("00001", "learning_units"): ("not_measured", -1, -1),
    }
    for key, (status, num, den) in expected.items():
        row = rows[key]
        assert (row["status"], row["numerator"], row["denominator"]) == (status, num, den), key
    assert 4 + 0 + 15 == 19 and 10 + 0 + 20 == 30
    assert rows[("00004", "learning_citizens")]["missing"] == 5
    assert rows[("01", "learning_families")]["units_reporting"] == 3
    assert set(RESULT_STATUSES) >= {r["status"] for r in rows.values()}


def test_the_words_of_a_status_are_in_the_locale() -> None:
    cols = results_columns(table(), "vi")
    pairs = set(zip(cols["status"].tolist(), cols["status_label"].tolist(), strict=True))
    assert ("not_reported", "chưa báo cáo") in pairs
    assert ("incomplete", "tính trên các đơn vị đã báo cáo") in pairs
    en = results_columns(table(), "en")
    assert ("ok", "computed") in set(
        zip(en["status"].tolist(), en["status_label"].tolist(), strict=True)
    )


def test_a_title_not_in_force_and_a_level_abolished_are_told_apart() -> None:
    """The reason of an indicator without counts: the notes' reason, as an id."""
    res = table()
    day = dt.date(2014, 1, 1)
    res = attrs.evolve(
        res,
        not_measured={**res.not_measured, "learning_families": ("learning_families",)},
        not_in_force={"learning_families": day},
    )
    got = {
        (r, s)
        for r, s in zip(
            results_columns(res)["indicator"].tolist(),
            results_columns(res)["status"].tolist(),
            strict=True,
        )
    }
    assert ("learning_families", "not_in_force") in got
    assert ("learning_units", "not_measured") in got


@pytest.mark.parametrize(
    ("as_of", "province", "communes"),
    [("2025-06-30", "ok", "not_applicable"), ("2025-07-01", "abolished", "abolished")],
)
def test_the_learning_district_after_the_reform_is_abolished_not_blank(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], as_of: str, province: str, communes: str
) -> None:
    """The hand files of the old tree (two districts): on 30/6/2025 0 of 2 districts, the
    communes having no district under them; from 1/7/2025 no district holds the title."""
    argv = ["report", *files(tmp_path, "old"), "--as-of", as_of, "--format", "csv"]
    assert main([*argv, "--indicators", "learning_districts,learning_citizens"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    got = {(r["level"], r["indicator"], r["status"]) for r in rows}
    assert ("province", "learning_districts", province) in got
    assert ("commune", "learning_districts", communes) in got
    assert ("commune", "learning_citizens", "ok") in got


def _plain(value: Any) -> Any:
    """A column's value as a file holds it: None for the unknown -1 and NaN."""
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


#: The columns of whole numbers, where -1 is unknown (an empty cell in a file).
_WHOLE = frozenset(
    {
        "numerator",
        "denominator",
        "missing",
        "eligible",
        "year",
        "decided",
        "partial_data",
        "units_reporting",
        "units_expected",
    }
)


def _expected(res: Results) -> list[dict[str, Any]]:
    cols = res.to_columns("vi")
    rows = []
    for values in zip(*(cols[k].tolist() for k in RESULT_COLUMNS), strict=True):
        row = dict(zip(RESULT_COLUMNS, values, strict=True))
        rows.append({k: None if k in _WHOLE and v == -1 else _plain(v) for k, v in row.items()})
    return rows


_TEXT = (
    "unit_code",
    "unit_name",
    "level",
    "parent_code",
    "indicator",
    "group",
    "status",
    "denominator_measure",
    "indicator_label",
    "group_label",
    "status_label",
    "denominator_label",
)


def _from_text(name: str, text: str) -> Any:
    """A CSV cell read back with the column's type (the columns of RESULT_COLUMNS).

    An empty number is unknown (None); an empty text is the empty text (no parent)."""
    if name in _TEXT:
        return text
    if text == "":
        return None
    if name in ("value", "completeness"):
        return float(text)
    if name == "uncertain":
        return {"true": True, "false": False}[text]
    if name in _WHOLE:
        return int(text)
    return text


def test_the_csv_reads_back_as_the_table_in_memory(tmp_path: Path) -> None:
    """Written, read with the csv module: every row, every column, the status included."""
    res = table()
    res.to_csv(tmp_path / "r.csv", locale="vi")
    with (tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as fh:
        read = list(csv.DictReader(fh))
    assert list(read[0]) == list(RESULT_COLUMNS)
    back = [{k: _from_text(k, v) for k, v in row.items()} for row in read]
    assert back == _expected(res)
    doc = json.loads(res.to_json(locale="vi") or "")
    assert doc["rows"] == back


@needs("pandas")
def test_pandas_reads_the_csv_back_as_the_frame_of_the_table(tmp_path: Path) -> None:
    import pandas as pd

    res = table()
    res.to_csv(tmp_path / "r.csv", locale="vi")
    read = pd.read_csv(
        tmp_path / "r.csv", encoding="utf-8-sig", dtype={"unit_code": str, "parent_code": str}
    )
    frame = res.to_pandas("vi")
    assert list(read.columns) == list(frame.columns) == list(RESULT_COLUMNS)
    assert read["status"].tolist() == frame["status"].tolist()
    assert read["status_label"].tolist() == frame["status_label"].tolist()
    for name in ("numerator", "denominator", "units_reporting", "value", "completeness"):
        got, want = read[name].to_numpy(float), frame[name].to_numpy(float, na_value=np.nan)
        np.testing.assert_array_equal(got, want)
    assert frame["status"].tolist() == _expected_statuses(res)


def _expected_statuses(res: Results) -> list[str]:
    return [row["status"] for row in _expected(res)]
