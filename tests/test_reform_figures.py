"""Every printed figure says what it is a rate of, and is right across the 2025 reform.

The tree with districts used after 30/6/2025 is warned as the 2-level tree before
1/7/2025 is; a share of all families says how many were never assessed (the titles
table's share is of the assessed ones); a title nobody could be assessed for reads "not
assessed (no data given)", never a measured 0; rows of districts in a report of 2025 say
those districts no longer exist.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.rules.rulebook import AbolishedProcedureWarning
from learnsoc.targets import load_targets, progress, standard_measures, standard_titles
from tests.optional import needs

OLD_TREE_2025 = (
    "the titles as of 2025-12-31 are on the tree 'vn-pre-2025', valid until 2025-06-30: the "
    "tree had ended by that date (the district level was abolished on 2025-07-01); use the "
    "tree of that date ('vn-2025' from 2025-07-01)"
)
OLD_TREE_2025_VI = (
    "Kết quả đánh giá danh hiệu tính đến ngày 31/12/2025 đang dùng hệ thống đơn vị hành "
    "chính 'vn-pre-2025' (có hiệu lực đến hết 30/6/2025), nhưng hệ thống này đã hết hiệu "
    "lực trước ngày đó (cấp huyện đã bị bãi bỏ từ ngày 01/7/2025); hãy dùng hệ thống đơn "
    "vị hành chính có hiệu lực vào ngày đó ('vn-2025' từ 01/7/2025)"
)


def quiet_evaluate(pop: ls.Population, as_of: str, **kwargs: object) -> ls.Evaluation:
    """Evaluate the national rulebook, keeping only the tree-date warnings."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", ls.HierarchyDateWarning)
        return ls.evaluate(pop, ls.load_rulebook("vn-national"), as_of, **kwargs)  # type: ignore[arg-type]


# -- 1. the old tree after the reform -----------------------------------------------------


def test_the_old_tree_after_the_reform_is_warned_as_the_new_one_before_it() -> None:
    """Titles as of 31/12/2025 on the tree with districts describe districts that were gone.

    The 2-level tree before 1/7/2025 was warned and this, its mirror, was not: a report of
    2025 by district printed as if nothing had changed.
    """
    old = ls.synthetic_population(persons=400, seed=1, hierarchy="vn-pre-2025")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ls.evaluate(old, ls.load_rulebook("vn-national"), as_of="2025-12-31")
    (said,) = [w.message for w in caught if isinstance(w.message, ls.HierarchyDateWarning)]
    assert str(said) == OLD_TREE_2025
    assert said.localized("vi") == OLD_TREE_2025_VI
    # On the last day of the old tree, and on the new tree after the reform: nothing.
    quiet_evaluate(old, "2025-06-30")
    quiet_evaluate(ls.synthetic_population(persons=400, seed=1), "2025-12-31")


def test_a_custom_tree_with_an_end_date_is_warned_without_a_level_named() -> None:
    """A tree of one's own that ended is warned too; no level is said to be abolished."""
    import datetime as dt

    spec = ls.HierarchySpec("mine", ls.PRESETS["vn-2025"].levels, valid_until=dt.date(2024, 12, 31))
    with pytest.warns(ls.HierarchyDateWarning) as caught:
        assert not spec.check_end(dt.date(2025, 3, 1), what="the data")
    text = str(caught[0].message)
    assert text.startswith(
        "the data as of 2025-03-01 are on the tree 'mine', valid until 2024-12-31: the tree "
        "had ended by that date; use the tree of that date ("
    )
    assert "abolished" not in text
    assert spec.check_end(dt.date(2024, 12, 31), what="the data")


@needs("pyarrow")
def test_the_warning_is_in_the_results_manifest_and_the_report_from_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`evaluate DATASET --out` keeps the warning (en and vi); `report RESULTS` says it again."""
    pop = ls.synthetic_population(persons=800, seed=3, hierarchy="vn-pre-2025")
    ls.write_dataset(pop, tmp_path / "ds", partition_by="province")
    argv = ["evaluate", str(tmp_path / "ds"), "--rulebook", "vn-national"]
    assert main([*argv, "--as-of", "31/12/2025", "--out", str(tmp_path / "res"), "--quiet"]) == 0
    assert OLD_TREE_2025 in capsys.readouterr().err
    manifest = json.loads((tmp_path / "res" / "results.json").read_text("utf-8"))
    said = [w for w in manifest["warnings"] if w["en"] == OLD_TREE_2025]
    assert said == [{"en": OLD_TREE_2025, "vi": OLD_TREE_2025_VI}]
    assert main(["--locale", "vi", "report", str(tmp_path / "res")]) == 0
    assert OLD_TREE_2025_VI in capsys.readouterr().err


def test_the_demo_of_the_old_tree_is_of_its_last_year(capsys: pytest.CaptureFixture[str]) -> None:
    """`learnsoc demo --hierarchy vn-pre-2025` is of 2024, without a warning; 2025 is warned.

    The demo assessed the tree with districts as of 31/12/2025, half a year after the
    districts were abolished, and said nothing.
    """
    assert main(["demo", "--persons", "2000", "--hierarchy", "vn-pre-2025"]) == 0
    out, err = capsys.readouterr()
    assert "as of 2024-12-31" in out
    assert "Targets for 2025; data of 2024" in out
    assert "warning" not in err
    args = ["demo", "--persons", "2000", "--hierarchy", "vn-pre-2025", "--year", "2025"]
    assert main(args) == 0
    assert OLD_TREE_2025 in capsys.readouterr().err
    assert main(["demo", "--persons", "2000"]) == 0
    out, err = capsys.readouterr()
    assert "as of 2025-12-31" in out
    assert "warning" not in err


# -- 2. a title's share of all its peers, beside its share of those assessed ---------------


@pytest.fixture(scope="module")
def prog() -> ls.Progress:
    """Progress of a synthetic province, 2025, evaluated with drawn evaluator inputs."""
    from learnsoc.synth import synthetic_inputs

    pop = ls.synthetic_population(persons=5_000, seed=7)
    book = ls.load_rulebook("vn-national")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AbolishedProcedureWarning)
        ev = ls.evaluate(pop, book, "2025-12-31", inputs=synthetic_inputs(pop, book, seed=7))
    roll = ls.rollup(pop, standard_measures(pop, titles=standard_titles(ev)))
    families = load_targets("hanoi-23-nq-tu").select(indicators=["learning_families"])
    return progress(roll, families, year=2025, levels=["province"])


def test_a_share_of_all_families_says_how_many_were_never_assessed(prog: ls.Progress) -> None:
    """The target's share counts never-assessed families as not learning: a note says so.

    The targets table printed 68.88% of all families and the titles table 74.98% of the
    assessed ones, with nothing linking the two figures.
    """
    cols = prog.to_columns("en")
    (row,) = range(len(prog))
    eligible = int(cols["eligible"][row])
    not_assessed = int(cols["not_assessed"][row])
    assert 0 < not_assessed < eligible
    text = prog.report("en").to_text()
    assert f"; {not_assessed:,} of them, never assessed for the title, count here as " in text
    assert ", as in the titles table" in text
    vi = prog.report("vi").to_text()
    assert f"trong đó {not_assessed:,} không được đánh giá danh hiệu".replace(",", ".") in vi
    assert any(
        "never assessed for the title" in note for note in json.loads(prog.to_json() or "")["notes"]
    )
    assert "never assessed for the title" in prog.to_html(locale="en")


def test_the_note_says_why_its_families_are_more_than_the_rows_base(prog: ls.Progress) -> None:
    """Families without data: the note gives both the families and the row's base.

    The note counted "139 of the 1,466 families" where the row's base was 1,459 (the 7
    families without data left out), with nothing saying why the two numbers differ.
    """
    cols = prog.to_columns("en")
    (row,) = range(len(prog))
    base, missing = int(cols["denominator"][row]), int(cols["missing"][row])
    families = int(cols["eligible"][row])
    assert missing > 0 and base + missing == families
    not_assessed = int(cols["not_assessed"][row])
    text = prog.report("en").to_text()
    assert (
        f"- share of learning families: {base:,} of the {families:,} families have data "
        f"(the share's base); {not_assessed:,} of them, never assessed for the title, count "
        "here as without it; among the "
    ) in text
    # The row's base, as its counts cell shows it: the same number as the note's.
    assert f" / {base:,} families (excluding {missing:,} without data)" in text
    vi = prog.report("vi").to_text()

    def dots(n: int) -> str:
        return f"{n:,}".replace(",", ".")

    assert (
        f"- Tỷ lệ Gia đình học tập: {dots(base)} trong tổng số {dots(families)} gia đình có số "
        f"liệu (là mẫu số của tỷ lệ); trong đó {dots(not_assessed)} không được đánh giá danh hiệu"
    ) in vi


def test_the_note_gives_the_titles_table_share(prog: ls.Progress) -> None:
    """The share the note gives is the titles table's (granted of assessed with a verdict)."""
    from learnsoc.synth import synthetic_inputs

    pop = ls.synthetic_population(persons=5_000, seed=7)
    book = ls.load_rulebook("vn-national")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AbolishedProcedureWarning)
        ev = ls.evaluate(pop, book, "2025-12-31", inputs=synthetic_inputs(pop, book, seed=7))
    (row,) = [r for r in ev.summary().rows if r.title == "learning_family"]
    shown = ev.summary().to_text("en").splitlines()
    # The table's row ("learning family * ‡  household ..."), not its note ("learning family: ...").
    (line,) = [s for s in shown if s.startswith("learning family ")]
    share = line.split()[-1]
    decided = f"{row.passed + row.failed:,}"
    assert f"among the {decided} assessed with a verdict, the share is {share}," in (
        prog.report("en").to_text()
    )


def test_the_csv_and_pandas_tables_carry_the_not_assessed_count(prog: ls.Progress) -> None:
    """`not_assessed` is a column of every machine-readable form (-1: not a title's share)."""
    from learnsoc.report.tables import COLUMNS, to_csv

    assert COLUMNS.index("not_assessed") == COLUMNS.index("eligible") + 1
    text = to_csv(prog, locale="en") or ""
    header, first = text.splitlines()[:2]
    at = header.split(",").index("not_assessed")
    assert int(first.split(",")[at]) == int(prog.to_columns()["not_assessed"][0]) > 0
    h = ls.Hierarchy.from_units(
        {"code": ["02"], "level": ["province"], "parent_code": [None]}, levels=["province"]
    )
    roll = ls.rollup_counts({"unit_code": ["02"], "families": [10], "learning_families": [7]}, h)
    counts = progress(
        roll, load_targets("hanoi-23-nq-tu").select(indicators=["learning_families"]), year=2025
    )
    assert counts.to_columns()["not_assessed"].tolist() == [-1]
    assert not any("never assessed" in note for note in counts.report("en").notes)


@needs("pandas")
def test_the_pandas_frame_has_the_column(prog: ls.Progress) -> None:
    """The frame has the count too."""
    frame = prog.to_pandas()
    assert int(frame["not_assessed"].iloc[0]) == int(prog.to_columns()["not_assessed"][0])


# -- 3. a title nobody could be assessed for ----------------------------------------------


@pytest.fixture(scope="module")
def no_unit_data() -> ls.Evaluation:
    """Organisations, but none of the data that decide who among them is assessed."""
    pop = ls.synthetic_population(persons=3_000, seed=1)
    assert pop.n_organisations > 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ls.evaluate(pop, ls.load_rulebook("vn-national"), as_of="2025-12-31")


def test_organisations_without_data_are_not_assessed_not_zero(no_unit_data: ls.Evaluation) -> None:
    """The summary printed "0 assessed" for the unit titles: a measured zero to a reader."""
    summary = no_unit_data.summary()
    (row,) = [r for r in summary.rows if r.title == "learning_unit"]
    assert row.no_data == row.entities > 0
    assert row.not_assessed_for_want_of_data
    lines = summary.to_text("en").splitlines()
    (line,) = [s for s in lines if s.split("  ")[0] == "learning unit"]
    assert " organisation  not assessed (no data given)  —" in line
    assert " 0 " not in line
    vi = summary.to_text("vi").splitlines()
    (line_vi,) = [s for s in vi if s.split("  ")[0] == "Đơn vị học tập"]
    assert "chưa đánh giá (không có số liệu)" in line_vi
    html = summary.to_html("en")
    assert "<td>not assessed (no data given)</td>" in html
    # A graded title nobody could be assessed for has no grade counts under it either.
    assert "Level 2: 0, Level 1: 0" not in summary.to_text("en")
    (data,) = [t for t in summary.to_dict()["titles"] if t["title"] == "learning_unit"]
    assert data["not_assessed_no_data"] is True
    assert data["no_data"] == row.entities


def test_with_the_data_given_the_counts_are_shown() -> None:
    """Given each organisation's tier, the unit titles count as before."""
    pop = ls.synthetic_population(persons=3_000, seed=1)
    ids = [str(i) for i in pop.ids("organisation")]
    ev = quiet_evaluate_all(pop, {"organisation": {"unit_tier": dict.fromkeys(ids, 1)}})
    (row,) = [r for r in ev.summary().rows if r.title == "learning_unit"]
    assert row.no_data == 0 and not row.not_assessed_for_want_of_data
    lines = ev.summary().to_text("en").splitlines()
    (line,) = [s for s in lines if s.split("  ")[0] == "learning unit"]
    assert "not assessed (no data given)" not in line


def quiet_evaluate_all(pop: ls.Population, inputs: dict[str, dict[str, object]]) -> ls.Evaluation:
    """Evaluate as of 31/12/2025 with every warning silenced (the inputs are partial)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ls.evaluate(pop, ls.load_rulebook("vn-national"), "2025-12-31", inputs=inputs)


@needs("pyarrow")
def test_a_dataset_summary_says_not_assessed_too(tmp_path: Path) -> None:
    """The summary of a partitioned evaluation says it as the in-memory one does."""
    pop = ls.synthetic_population(persons=3_000, seed=1)
    ls.write_dataset(pop, tmp_path / "ds", partition_by="commune")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ls.evaluate_dataset(tmp_path / "ds", "vn-national", "2025-12-31")
        whole = ls.evaluate(pop, ls.load_rulebook("vn-national"), "2025-12-31")
    assert ev.summary().to_text("en") == whole.summary().to_text("en")
    assert "not assessed (no data given)" in ev.summary().to_text("en")


# -- 4. rows of districts in a report of 2025 ------------------------------------------------


def test_district_rows_of_2025_say_the_districts_no_longer_exist() -> None:
    """A progress table by district for data of 2025 said nothing of the reform on its rows."""
    pop = ls.synthetic_population(persons=2_000, seed=2, hierarchy="vn-pre-2025")
    ev = quiet_evaluate_all(pop, {})
    roll = ls.rollup(pop, standard_measures(pop, titles=standard_titles(ev)))
    families = load_targets("hanoi-23-nq-tu").select(indicators=["learning_families"])
    note = (
        "Rows of the level district (2025): the district level was abolished on 1/7/2025, so "
        "they describe districts that no longer exist; report on the tree of 1/7/2025"
    )
    of_2025 = progress([(2025, roll)], families, levels=["district"])
    assert note in of_2025.report("en").notes
    assert any(n.startswith("Các dòng cấp huyện (2025)") for n in of_2025.report("vi").notes)
    of_2024 = progress([(2024, roll)], families, levels=["district"])
    assert not any(n.startswith("Rows of the level") for n in of_2024.report("en").notes)
    by_province = progress([(2025, roll)], families, levels=["province"])
    assert not any(n.startswith("Rows of the level") for n in by_province.report("en").notes)


def test_a_share_over_organisations_without_data_is_no_data_not_zero(
    no_unit_data: ls.Evaluation,
) -> None:
    """The targets table printed "0.00% not met" for learning units none of which was assessed.

    Nobody gave the organisations' tiers: whether they are learning units is unknown, so the
    share is *no data*, each organisation counted as without data, as unknown verdicts are.
    """
    pop = no_unit_data.population
    roll = ls.rollup(pop, standard_measures(pop, titles=standard_titles(no_unit_data)))
    units = load_targets("hanoi-23-nq-tu").select(indicators=["learning_units"])
    prog = progress(roll, units, year=2025, levels=["province"])
    assert [str(s) for s in prog.statuses()] == ["no data"]
    cols = prog.to_columns()
    assert int(cols["missing"][0]) == pop.n_organisations
    assert int(cols["numerator"][0]) == int(cols["denominator"][0]) == 0
    assert int(cols["not_assessed"][0]) == 0
    res = ls.results(roll, ["learning_units"], ["province"])
    assert f"(excluding {pop.n_organisations} without data)" in res.to_text("en")


def _province_target(folder: Path, date: str) -> Path:
    """A target set of one province, by its code, written on ``date``."""
    path = folder / f"tinh-{date}.toml"
    path.write_text(
        f"""[target_set]
id = "tinh-{date}"
title = {{ vi = "Kế hoạch của tỉnh", en = "The province's plan" }}
issuer = {{ vi = "UBND tỉnh", en = "Provincial People's Committee" }}
date = {date}

[[targets]]
id = "families-2025"
indicator = "learning_families"
year = 2025
kind = "value"
value = 60
units = ["01"]
""",
        "utf-8",
    )
    return path


def test_a_target_naming_units_before_the_reform_is_noted_on_the_new_tree(tmp_path: Path) -> None:
    """A province's target of 2024 names it by its old code; after the merges a code may
    name a merged province: the report now says so, in both languages."""
    new = ls.synthetic_population(persons=1_000, seed=4)
    old = ls.synthetic_population(persons=1_000, seed=4, hierarchy="vn-pre-2025")
    before, after = (
        _province_target(tmp_path, "2024-05-02"),
        _province_target(tmp_path, "2025-09-01"),
    )
    said = (
        "share of learning families: the target names units 01 by their codes of 2024, "
        "before the 2025 reform; on the tree from 1/7/2025 a code may name a merged unit, or "
        "none: check that each one is still the unit the target was set for (a crosswalk maps "
        "the old units)"
    )
    prog = progress(ls.rollup(new, standard_measures(new)), load_targets(before), year=2025)
    assert said in prog.report("en").notes
    assert (
        "Tỷ lệ Gia đình học tập: mục tiêu ghi các đơn vị 01 theo mã năm 2024, trước khi sắp xếp "
        "đơn vị hành chính năm 2025;"
    ) in " ".join(prog.report("vi").notes)
    for pop, path in ((old, before), (new, after)):
        quiet = progress(ls.rollup(pop, standard_measures(pop)), load_targets(path), year=2025)
        assert not any("by their codes of" in n for n in quiet.report("en").notes)
