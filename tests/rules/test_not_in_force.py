"""Titles whose scheme is not in force on the date read "not in force", never "0 assessed".

In a 2025 run of the national rulebook, Circular 22/2020 (grading units, replaced by
Circular 24/2023 on 26/01/2024) and Circular 44/2014 (ranking communes, replaced by
Circular 25/2023 on 12/2/2024) printed a row of zeros, which a reader takes for "nobody
qualified". The rulebook marks such placeholder versions ``in_force = false`` with the title
that replaced them (``replaced_by``); summaries, the demo and the exports say so.
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.errors import RulebookError
from learnsoc.rules.rulebook import parse_rulebook

GRADED = "grade of a district or province learning unit (Circular 22/2020)"
RANKING = "ranking of a commune-level learning community (Circular 44/2014)"


def evaluate(as_of: str) -> ls.Evaluation:
    pop = ls.synthetic_population(persons=2_000, seed=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ls.evaluate(pop, ls.load_rulebook("vn-national"), as_of)


@pytest.fixture(scope="module")
def of_2025() -> ls.Evaluation:
    return evaluate("2025-12-31")


def _line(text: str, label: str) -> str:
    (line,) = [s for s in text.splitlines() if s.startswith(label)]
    return line


def test_the_rulebook_marks_the_replaced_versions() -> None:
    """The placeholder versions say they are not in force, and what replaced them."""
    book = ls.load_rulebook("vn-national")
    graded = book.title("learning_unit_graded").versions
    assert [v.in_force for v in graded] == [False, True, False]
    assert graded[-1].replaced_by == "learning_unit_level"
    ranking = book.title("commune_community_ranking").versions
    assert [(v.in_force, v.replaced_by) for v in ranking] == [
        (True, None),
        (False, "commune_learning_community"),
    ]


def test_a_title_not_in_force_reads_not_in_force_in_english(of_2025: ls.Evaluation) -> None:
    """Its row says it was not in force on the date, and a note names what replaced it."""
    text = of_2025.summary().to_text("en")
    line = _line(text, GRADED)
    assert "not in force on 2025-12-31" in line
    assert " 0 " not in line + " "
    assert "Good: 0, Fair: 0" not in text
    assert (
        f"§ {GRADED}: not in force on 2025-12-31; replaced by recognition of a district or "
        "province learning unit (Circular 24/2023) under Thông tư 24/2023/TT-BGDĐT"
    ) in text.splitlines()
    assert (
        f"§ {RANKING}: not in force on 2025-12-31; replaced by commune-level learning community "
        "under Thông tư 25/2023/TT-BGDĐT"
    ) in text.splitlines()


def test_a_title_not_in_force_reads_not_in_force_in_vietnamese(of_2025: ls.Evaluation) -> None:
    """The same in Vietnamese, with the date as official text writes it."""
    text = of_2025.summary().to_text("vi")
    line = _line(text, "Xếp loại Đơn vị học tập cấp huyện, tỉnh (Thông tư 22/2020)")
    assert "không có hiệu lực vào ngày 31/12/2025" in line
    assert (
        "§ Xếp loại Cộng đồng học tập cấp xã (Thông tư 44/2014): không có hiệu lực vào ngày "
        "31/12/2025; đã được thay bằng Cộng đồng học tập cấp xã theo Thông tư 25/2023/TT-BGDĐT"
    ) in text.splitlines()


def test_the_html_and_the_plain_data_say_it_too(of_2025: ls.Evaluation) -> None:
    """HTML has the cell; to_dict (the JSON of `evaluate --out`) has a status field."""
    summary = of_2025.summary()
    assert "<td>not in force on 2025-12-31</td>" in summary.to_html("en")
    assert "§ " in summary.to_html("en")
    titles = {t["title"]: t for t in summary.to_dict()["titles"]}
    assert titles["learning_unit_graded"]["status"] == "not_in_force"
    assert titles["learning_unit_graded"]["in_force"] is False
    assert titles["learning_unit_graded"]["replaced_by"] == "learning_unit_level"
    assert titles["learning_unit_level"]["status"] != "not_in_force"
    assert titles["commune_community_ranking"]["status"] == "not_in_force"
    json.dumps(summary.to_dict())  # still plain data


def test_before_the_replacement_the_old_scheme_is_counted() -> None:
    """In 2022 Circular 22/2020 grades units; Circular 24/2023 is not in force yet."""
    summary = evaluate("2022-12-31").summary()
    rows = {r.title: r for r in summary.rows}
    assert rows["learning_unit_graded"].in_force
    assert rows["learning_unit_level"].status == "not_in_force"
    assert rows["learning_unit_level"].replaced_by is None
    text = summary.to_text("en")
    assert "not in force on 2022-12-31" not in _line(text, GRADED)
    assert (
        "§ recognition of a district or province learning unit (Circular 24/2023): not in force "
        "on 2022-12-31: nobody is assessed for it"
    ) in text.splitlines()


def test_the_demo_prints_no_zero_row(capsys: pytest.CaptureFixture[str]) -> None:
    """`learnsoc demo` (2025) printed "0 0 0 0 —" and "Good: 0, Fair: 0, Average: 0"."""
    assert main(["demo", "--persons", "3000", "--locale", "en"]) == 0
    out = capsys.readouterr().out
    assert "not in force on 2025-12-31" in _line(out, GRADED)
    assert "Good: 0, Fair: 0, Average: 0" not in out


BOOK = """\
[rulebook]
id = "t"
name = { vi = "Thử", en = "Test" }
issuer = "tests"
version = "1"
effective_from = 2016-01-01

[titles.old]
level = "person"
label = { vi = "Cũ", en = "Old" }
[[titles.old.versions]]
effective_from = 2016-01-01
[[titles.old.versions.criteria]]
id = "c0"
label = { vi = "c0", en = "c0" }
expr = "age >= 0"
[[titles.old.versions]]
effective_from = 2020-01-01
in_force = false
replaced_by = "%s"
[[titles.old.versions.criteria]]
id = "c0"
label = { vi = "c0", en = "c0" }
expr = "age < 0"

[titles.new]
level = "person"
label = { vi = "Mới", en = "New" }
[[titles.new.versions]]
effective_from = 2016-01-01
[[titles.new.versions.criteria]]
id = "c0"
label = { vi = "c0", en = "c0" }
expr = "age >= 0"
"""


def test_replaced_by_must_name_another_title() -> None:
    """A typo in replaced_by is refused with a suggestion, at its line."""
    assert parse_rulebook(BOOK % "new").title("old").versions[1].replaced_by == "new"
    with pytest.raises(RulebookError) as info:
        parse_rulebook(BOOK % "neww", file="b.toml")
    assert "replaced_by names 'neww', not another title; did you mean 'new'?" in str(info.value)
    assert str(info.value).startswith("b.toml:20:1 [titles.old.versions[1].replaced_by]: ")
    with pytest.raises(RulebookError, match="not another title"):
        parse_rulebook(BOOK % "old")


def test_replaced_by_needs_in_force_false() -> None:
    """replaced_by on a version in force is refused."""
    text = (BOOK % "new").replace("in_force = false\n", "")
    with pytest.raises(RulebookError, match="replaced_by only applies to a version with"):
        parse_rulebook(text)


def _of_2022() -> tuple[ls.Population, ls.Evaluation]:
    pop = ls.synthetic_population(persons=2_000, seed=3, hierarchy="vn-pre-2025")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pop, ls.evaluate(pop, ls.load_rulebook("vn-national"), "2022-12-31")


def _districts_progress(roll: ls.Rollup) -> ls.Progress:
    from learnsoc.targets import load_targets, progress

    targets = load_targets("hanoi-23-nq-tu").select(indicators=["learning_districts"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return progress([(2022, roll)], targets, year=2025, levels=["province"])


def test_a_target_on_a_title_not_in_force_reads_not_in_force() -> None:
    """In 2022 no learning district could be recognised (Circular 25/2023 came in 2024).

    The share of learning districts read "0.00%, 0 / 1, not met", then "no data" with the
    note "not in the data (needs the measures learning_districts)", as if a column were
    missing; it reads "not in force on DATE", as the titles table's row of the title does.
    """
    from learnsoc.targets import Status, standard_measures
    from learnsoc.targets import standard_titles as pick

    pop, ev = _of_2022()
    chosen = pick(ev)
    assert "district" not in chosen and "household" in chosen
    assert chosen.not_in_force["district"] == dt.date(2022, 12, 31)
    roll = ls.rollup(pop, standard_measures(pop, titles=chosen))
    assert roll.not_in_force["learning_districts"] == dt.date(2022, 12, 31)
    prog = _districts_progress(roll)
    assert prog.statuses() == [Status.NOT_IN_FORCE]
    from learnsoc.rules.summary import summary_cells

    summary = ev.summary()
    (row,) = [r for r in summary.rows if r.title == "learning_district"]
    for locale in ("en", "vi"):
        # The titles table's own cell for the title ("not in force on 2022-12-31").
        said = summary_cells(row, locale, summary.as_of)[2]
        assert said.startswith(("not in force on", "không có hiệu lực vào"))
        (cells,) = [r.cells for section in prog.report(locale).sections for r in section.rows]
        assert cells[-1] == said
        assert "0.00%" not in prog.to_text(locale) and "0,00%" not in prog.to_text(locale)
    assert (
        "- share of learning districts: the title it counts is not in force on 2022-12-31: "
        "nobody is assessed for it, so there is no share to report"
    ) in prog.to_text("en")
    assert "không có hiệu lực vào ngày 31/12/2022: không có ai được đánh giá" in prog.to_text("vi")
    assert "needs the measures learning_districts" not in prog.to_text("en")
    assert json.loads(prog.to_json() or "")["rows"][0]["status"] == "not_in_force"


def test_the_results_table_says_not_in_force_too() -> None:
    """``ls.results`` (no targets) notes the title not in force, not a missing measure."""
    from learnsoc.targets import standard_measures, standard_titles

    pop, ev = _of_2022()
    roll = ls.rollup(pop, standard_measures(pop, titles=standard_titles(ev)))
    res = ls.results(roll, ["learning_districts", "learning_families"])
    assert res.notes("en") == [
        "share of learning districts: the title it counts is not in force on 2022-12-31: "
        "nobody is assessed for it, so there is no share to report"
    ]
    (vi,) = res.notes("vi")
    assert "không có hiệu lực vào ngày 31/12/2022" in vi


@pytest.mark.parametrize("partition_by", ["province", "commune"])
def test_a_dataset_and_its_results_folder_say_it_as_the_files_do(
    partition_by: str, tmp_path: Path
) -> None:
    """The dataset path and results.json keep the titles not in force: the same report.

    Partitioned by commune, the districts and provinces are decided after the merge: their
    measures were zeros ("0.00%, 0 / 1, not met").
    """
    pytest.importorskip("pyarrow")
    from learnsoc.targets import standard_measures, standard_titles

    pop, ev = _of_2022()
    in_memory = ls.rollup(pop, standard_measures(pop, titles=standard_titles(ev)))
    try:
        ls.write_dataset(pop, tmp_path / "DS", partition_by=partition_by)
    except ls.io.DatasetError:
        pytest.skip("this seed puts a group across two partitions")
    book = ["--rulebook", "vn-national", "--as-of", "31/12/2022", "--locale", "en"]
    assert main(["evaluate", str(tmp_path / "DS"), *book, "--out", str(tmp_path / "res")]) == 0
    saved = json.loads((tmp_path / "res" / "results.json").read_text("utf-8"))
    assert list(saved["not_in_force"].items()) == [
        (k, v.isoformat()) for k, v in in_memory.not_in_force.items()
    ]
    from learnsoc.scale.results import read_results

    again = read_results(tmp_path / "res").standard_rollup()
    assert again.not_in_force == in_memory.not_in_force
    assert _districts_progress(again).to_text("vi") == _districts_progress(in_memory).to_text("vi")


LEAF_NOT_IN_FORCE = """\
[rulebook]
id = "leaf"
name = { vi = "Thử", en = "Leaf test" }
version = "1"
extends = "example"

[[titles.learning_community.versions]]
effective_from = 2030-01-01
in_force = false

[[titles.learning_community.versions.criteria]]
id = "none"
label = { vi = "Không", en = "none" }
expr = "count(households) < 0"
"""


def test_learning_communities_not_in_force_read_not_in_force(tmp_path: Path) -> None:
    """The lowest level's standard title counts ``learning_communities``, not
    ``learning_villages``: not in force, its target said "no data" with "needs the
    measures learning_communities"."""
    from learnsoc.rules.registry import read_rulebook
    from learnsoc.targets import Status, load_targets, progress, standard_measures

    (tmp_path / "leaf.toml").write_text(LEAF_NOT_IN_FORCE, encoding="utf-8")
    book = read_rulebook(tmp_path / "leaf.toml")
    pop = ls.synthetic_population(persons=1_500, seed=3)
    assert pop.hierarchy.leaf_level == "village"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ls.evaluate(pop, book, "2030-06-30")
    roll = ls.rollup(pop, standard_measures(pop, titles=ls.standard_titles(ev)))
    assert dict(roll.not_in_force) == {"learning_communities": dt.date(2030, 6, 30)}
    targets = load_targets("hanoi-23-nq-tu").select(indicators=["learning_communities"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prog = progress(roll, targets, year=2030, levels=["total"])
    assert prog.statuses() == [Status.NOT_IN_FORCE]
    assert "không có hiệu lực vào ngày 30/6/2030" in prog.to_text("vi")
    assert "needs the measures" not in prog.to_text("en")
