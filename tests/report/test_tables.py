"""Machine-readable outputs: CSV with a BOM, JSON with nulls, the tidy pandas table, plots."""

from __future__ import annotations

import csv
import errno
import io
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from learnsoc.errors import OptionalDependencyError
from learnsoc.report.results import results
from learnsoc.report.tables import COLUMNS
from learnsoc.targets import Progress, load_targets, progress
from tests.optional import needs
from tests.targets.helpers import (
    HA_GIANG_INDICATORS,
    counts,
    ha_giang,
    target_set,
    two_level,
    value_target,
)


def ha_giang_progress() -> Progress:
    hanoi = load_targets("hanoi-23-nq-tu")
    ids = [*hanoi.select(year=2025, indicators=[*HA_GIANG_INDICATORS, "literacy_15_60"]).ids()]
    return progress(ha_giang(), hanoi.select(ids=[*ids, "learning-city-2025"]), year=2025)


def test_csv_is_utf8_with_bom_and_round_trips(tmp_path: Path) -> None:
    prog = ha_giang_progress()
    path = tmp_path / "progress.csv"
    assert prog.to_csv(path, locale="vi") is None
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text == prog.to_csv(locale="vi")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(COLUMNS)
    families = next(r for r in rows if r["indicator"] == "learning_families")
    assert (families["numerator"], families["denominator"], families["status"]) == (
        "138068",
        "187624",
        "met",
    )
    assert float(families["value"]) == pytest.approx(138068 * 100 / 187624, rel=1e-15)
    assert (
        families["status_label"] == "đạt"
        and families["indicator_label"] == "Tỷ lệ Gia đình học tập"
    )
    assert families["observed_year"] == "" and families["uncertain"] == "false"
    literacy = next(r for r in rows if r["indicator"] == "literacy_15_60")
    assert (literacy["value"], literacy["gap"], literacy["status"]) == ("", "", "no_data")
    city = next(r for r in rows if r["target_id"] == "learning-city-2025")
    assert (city["indicator"], city["kind"], city["status"]) == ("", "qualitative", "not_assessed")


def test_json_has_the_sources_and_nulls_for_undefined_values(tmp_path: Path) -> None:
    prog = ha_giang_progress()
    path = tmp_path / "progress.json"
    prog.to_json(path, locale="en")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc == json.loads(prog.to_json(locale="en") or "")
    assert doc["target_set"]["title"]["vi"].startswith(
        "Nghị quyết số 23-NQ/TU của Thành ủy Hà Nội về"
    )
    assert doc["year"] == 2025 and doc["observed_years"] == []
    assert {t["id"]: t["clause"] for t in doc["targets"]}["learning-families-2025"].startswith(
        "section II.2.2.d"
    )
    literacy = next(r for r in doc["rows"] if r["indicator"] == "literacy_15_60")
    assert literacy["value"] is None and literacy["gap"] is None
    assert "not in the data" in doc["notes"][0]


@needs("pandas")
def test_pandas_tidy_long_table() -> None:
    import pandas as pd

    h = two_level()
    data = {
        2023: counts(h, families=[100, 100, 100], learning_families=[40, 70, 0]),
        2024: counts(h, families=[100, 100, 0], learning_families=[50, 72, 0]),
    }
    prog = progress(
        data, target_set(value_target("learning_families", "60", year=2026, level="commune"))
    )
    df = prog.to_pandas("en")
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == list(COLUMNS)
    assert df["unit_code"].tolist() == ["00001", "00002", "00003"]
    assert df["status"].tolist() == ["on_track", "met", "no_data"]
    # Counts are nullable (blank where never taken); commune 00003's 0 of 0 families in
    # 2024 is a measured zero, not a blank.
    assert df["numerator"].dtype == pd.Int64Dtype() and df["value"].dtype == np.float64
    assert df["numerator"].tolist() == [50, 72, 0] and df["denominator"].tolist() == [100, 100, 0]
    assert df["observed_year"].tolist() == [2024] * 3
    assert math.isnan(df["value"].iloc[2])
    assert df["trend"].iloc[0] == pytest.approx(10.0) and df["required"].iloc[0] == pytest.approx(
        5.0
    )


def test_total_row_is_named_in_the_locale() -> None:
    h = two_level()
    roll = counts(h, families=[10, 10, 10], learning_families=[1, 2, 3])
    prog = progress(
        roll, target_set(value_target("learning_families", "60")), year=2025, levels=["total"]
    )
    assert prog.to_columns("vi")["unit_name"].tolist() == ["tổng 1 tỉnh, thành phố"]
    assert prog.to_columns("en")["unit_name"].tolist() == ["total of 1 province"]
    assert prog.report("vi").sections[0].rows[0].cells[0] == "tổng 1 tỉnh, thành phố"


def test_missing_optional_dependencies_say_which_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    prog = ha_giang_progress()
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(OptionalDependencyError, match=r"learnsoc\[pandas\]"):
        prog.to_pandas()
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(OptionalDependencyError, match=r"learnsoc\[plot\]"):
        prog.plot()


@needs("matplotlib")
def test_plot_draws_on_a_new_figure_or_the_given_axes() -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    prog = ha_giang_progress()
    ax = prog.plot(locale="vi")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [  # every indicator named with its denominator
        "Tỷ lệ Gia đình học tập (trên tổng số gia đình)",
        "Tỷ lệ Dòng họ học tập (trên tổng số dòng họ)",
        "Tỷ lệ Cộng đồng học tập (trên tổng số cộng đồng thôn, tổ dân phố)",
        "Tỷ lệ Đơn vị học tập (trên tổng số cơ quan, đơn vị)",
    ]
    assert ax.get_title() == "Nghị quyết 23-NQ/TU của Thành ủy Hà Nội (2025)"
    texts = [t.get_text() for t in ax.texts]
    assert "73,59%" in texts and "98,08%" in texts
    ax.figure.canvas.draw()  # renders headless, glyphs included
    fig = Figure()
    given = fig.add_subplot()
    assert prog.plot(given, locale="en", indicator="learning_units") is given
    assert [t.get_text() for t in given.get_yticklabels()] == ["Hà Giang (02)"]
    empty = prog.plot(locale="en", indicator="literacy_15_60")
    assert [t.get_text() for t in empty.texts] == ["no data"]


@needs("matplotlib")
def test_plot_never_touches_pyplot(tmp_path: Path) -> None:
    code = (
        "import sys, learnsoc as ls\n"
        "from learnsoc.targets import load_targets, progress\n"
        "h = ls.Hierarchy.from_units({'code': ['02'], 'level': ['province'],"
        " 'parent_code': [None]}, levels=['province'])\n"
        "roll = ls.rollup_counts({'unit_code': ['02'], 'units': [834],"
        " 'learning_units': [818]}, h)\n"
        "prog = progress(roll, load_targets('hanoi-23-nq-tu'), year=2025)\n"
        "prog.plot().figure.savefig(sys.argv[1])\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "plot.png")],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert (tmp_path / "plot.png").stat().st_size > 0
    assert out.stdout.strip() == "False"


# -- files written as every other output: atomic, formulas escaped ----------------------

FORMULA_UNITS = ('=HYPERLINK("http://x","y")', "@SUM(A1)", "Xã Lũng Cú")


def _formula_tables() -> dict[str, Any]:
    """A progress and a results table whose units have names a spreadsheet would run."""
    roll = counts(
        two_level(FORMULA_UNITS), families=[200, 150, 90], learning_families=[80, 100, 20]
    )
    targets = target_set(value_target("learning_families", "90", level="commune"))
    return {
        "progress": progress(roll, targets, year=2025),
        "results": results(roll, ["learning_families"]),
    }


@pytest.mark.parametrize("name", ["progress", "results"])
def test_csv_escapes_cells_a_spreadsheet_would_run_as_formulas(tmp_path: Path, name: str) -> None:
    """A unit named '=HYPERLINK(...)' is written "'=HYPERLINK(...)"; numbers stay numbers."""
    table = _formula_tables()[name]
    path = tmp_path / f"{name}.csv"
    assert table.to_csv(path) is None
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["unit_name"] for r in rows if r["level"] == "commune"] == [
        "'" + FORMULA_UNITS[0],
        "'" + FORMULA_UNITS[1],
        "Xã Lũng Cú",
    ]
    assert rows[-1]["numerator"] == "20"
    assert table.to_csv() == path.read_bytes().decode("utf-8-sig")  # the text is escaped too
    if name == "progress":
        assert rows[0]["gap"] == "-50.0"  # a negative number is no formula
    doc = json.loads(table.to_json())  # JSON is data for programs: written as it is
    assert FORMULA_UNITS[0] in [r["unit_name"] for r in doc["rows"]]


# A write that fails part-way (a full disk, a quota): the file-size limit makes every
# write past 512 bytes fail with EFBIG, as a full disk would.
FAILING_WRITE = """
import json, resource, signal, sys
from pathlib import Path
from tests.report.test_golden import commune_results, ha_giang_progress

folder = Path(sys.argv[1])
tables = {"progress": ha_giang_progress(), "results": commune_results()}
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (512, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
errors = {}
for name, table in tables.items():
    for kind in ("csv", "json"):
        try:
            getattr(table, "to_" + kind)(folder / f"{name}.{kind}")
        except OSError as exc:
            errors[f"{name}.{kind}"] = exc.errno
print(json.dumps(errors))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_failing_write_leaves_the_old_file_and_no_partial_one(tmp_path: Path) -> None:
    """Progress and Results .to_csv/.to_json write atomically: old file or whole new one."""
    names = ["progress.csv", "progress.json", "results.csv", "results.json"]
    for name in names:
        (tmp_path / name).write_text("old\n", "utf-8")
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", FAILING_WRITE, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == dict.fromkeys(names, errno.EFBIG)
    assert sorted(p.name for p in tmp_path.iterdir()) == names  # no temporary file left
    for name in names:
        assert (tmp_path / name).read_text("utf-8") == "old\n", name
