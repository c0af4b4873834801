"""A results table over several provinces ends with their total; over one, it does not.

Without ``--level total`` a report over a national file listed each province and commune
but never the figure of them all, which a reader looks for first (DHIS2 shows it as the
country's row). By default the total is now shown when the top level has several units;
over one province it is that province's row again, and is left out.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.report.results import results

#: Two provinces, two communes in the first, one in the second.
UNITS: dict[str, list[str | None]] = {
    "code": ["01", "02", "01001", "01002", "02001"],
    "name": ["Hà Nội", "Hà Giang", "Xã A", "Xã B", "Xã C"],
    "level": ["province", "province", "commune", "commune", "commune"],
    "parent_code": [None, None, "01", "01", "02"],
}
FAMILIES = {"01001": (100, 61), "01002": (40, 9), "02001": (60, 20)}


def _roll(units: dict[str, list[str | None]], families: dict[str, tuple[int, int]]) -> ls.Rollup:
    h = ls.Hierarchy.from_units(units, levels=["province", "commune"])
    return ls.rollup_counts(
        {
            "unit_code": list(families),
            "families": [f for f, _ in families.values()],
            "learning_families": [t for _, t in families.values()],
        },
        h,
    )


def test_several_provinces_end_with_their_total_by_hand() -> None:
    """The total is 90 of 200 families, 45%: the communes' counts added, not the shares."""
    res = results(_roll(UNITS, FAMILIES), ["learning_families"])
    cols = res.columns
    levels = cols["level"].tolist()
    assert levels == ["province", "province", "commune", "commune", "commune", "total"]
    titled = sum(t for _, t in FAMILIES.values())
    families = sum(f for f, _ in FAMILIES.values())
    assert (cols["numerator"][-1], cols["denominator"][-1]) == (titled, families)
    assert cols["value"][-1] == pytest.approx(100 * 90 / 200)
    # Not the mean of the provinces' shares (50% and 33.3%).
    assert cols["value"][-1] != pytest.approx((100 * 70 / 140 + 100 * 20 / 60) / 2)
    en, vi = res.to_text("en"), res.to_text("vi")
    assert "total of 2 provinces  share of learning families  90 / 200 families  45.00%" in en
    assert "tổng 2 tỉnh, thành phố  Tỷ lệ Gia đình học tập  90 / 200 gia đình  45,00%" in vi


def test_one_province_has_no_total_row_and_levels_still_choose() -> None:
    """Over one province the total would repeat its row; ``levels`` picks rows as before."""
    one = {k: [v for v, p in zip(vals, UNITS["code"], strict=True) if str(p).startswith("01")]
           for k, vals in UNITS.items()}  # fmt: skip
    res = results(_roll(one, {k: v for k, v in FAMILIES.items() if k < "02"}))
    assert "total" not in res.columns["level"].tolist()
    chosen = results(_roll(UNITS, FAMILIES), levels=["province"])
    assert set(chosen.columns["level"].tolist()) == {"province"}


def test_the_cli_report_prints_the_total(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``learnsoc report`` over two provinces, without --level: the CSV ends with the total."""
    units = tmp_path / "units.csv"
    rows = zip(UNITS["code"], UNITS["name"], UNITS["level"], UNITS["parent_code"], strict=True)
    units.write_text(
        "code,name,level,parent_code\n"
        + "".join(f"{c},{n},{lv},{p or ''}\n" for c, n, lv, p in rows),
        "utf-8",
    )
    counts = tmp_path / "counts.csv"
    counts.write_text(
        "unit_code,families,learning_families\n"
        + "".join(f"{c},{f},{t}\n" for c, (f, t) in FAMILIES.items()),
        "utf-8",
    )
    argv = ["report", "--counts", str(counts), "--units", str(units), "--format", "csv"]
    argv += ["--levels", "province,commune"]  # the tree's levels, not the rows' ones
    assert main([*argv, "--locale", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    total = [ln for ln in lines if ln.startswith(",total of 2 provinces,total,")]
    assert len(total) == 1 and ",90,200," in total[0]


def test_the_total_row_says_what_it_totals_in_every_format(tmp_path: Path) -> None:
    """ "total of 2 provinces" / "tổng 2 tỉnh, thành phố": text, HTML, xlsx, CSV, JSON.

    The label counts the provinces of the tree; the row's level stays ``total``, a value
    a program can match on, with the label beside it. Its figures are the communes'
    counts added by hand: 61 + 9 + 20 of 100 + 40 + 60 families.
    """
    openpyxl = pytest.importorskip("openpyxl")
    res = results(_roll(UNITS, FAMILIES), ["learning_families"])
    provinces = sum(level == "province" for level in UNITS["level"])
    assert provinces == 2
    by_hand = {"en": "90 / 200 families", "vi": "90 / 200 gia đình"}
    labels = {"en": "total of 2 provinces", "vi": "tổng 2 tỉnh, thành phố"}
    for loc, label in labels.items():
        text = res.to_text(loc).splitlines()
        row = [ln for ln in text if ln.startswith(label)]
        assert len(row) == 1 and by_hand[loc] in row[0]
        assert f"<tr><td>{label}</td>" in res.to_html(loc)
        cols = res.to_columns(loc)
        assert cols["level"][-1] == "total" and cols["unit_name"][-1] == label
        csv_rows = list(csv.DictReader(io.StringIO(str(res.to_csv(None, locale=loc)))))
        last_csv = csv_rows[-1]
        assert (last_csv["level"], last_csv["unit_name"], last_csv["value"]) == (
            "total",
            label,
            "45.0",
        )
        tidy = json.loads(str(res.to_json(locale=loc)))
        last = tidy["rows"][-1]
        assert (last["level"], last["unit_name"]) == ("total", label)
        assert (last["numerator"], last["denominator"]) == (61 + 9 + 20, 100 + 40 + 60)
        book = openpyxl.load_workbook(res.to_excel(tmp_path / f"res-{loc}.xlsx", locale=loc))
        sheet = book.worksheets[0]
        cells = [[c.value for c in r] for r in sheet.iter_rows()]
        total = [r for r in cells if label in r]
        assert len(total) == 1  # its headings are in the locale: the tidy columns' order
        got = dict(zip(list(cols), total[0], strict=True))
        assert (got["level"], got["numerator"], got["denominator"]) == ("total", 90, 200)


def test_a_progress_total_names_its_units_too() -> None:
    """A progress table's total (``--level total``) is labelled the same way, one province."""
    from learnsoc.targets import load_targets, progress

    one = {k: [v for v, p in zip(vals, UNITS["code"], strict=True) if str(p).startswith("01")]
           for k, vals in UNITS.items()}  # fmt: skip
    roll = _roll(one, {k: v for k, v in FAMILIES.items() if k < "02"})
    chosen = load_targets("hanoi-23-nq-tu").select(indicators=["learning_families"])
    prog = progress(roll, chosen, year=2025, levels=["total"])
    assert "total of 1 province  " in prog.to_text("en")
    assert "tổng 1 tỉnh, thành phố  " in prog.to_text("vi")
    assert prog.to_columns("vi")["unit_name"].tolist() == ["tổng 1 tỉnh, thành phố"]
