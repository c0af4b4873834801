"""Breakdowns ("trong đó nữ"): by= on rollups, counts and results, in every renderer."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.aggregate.groups import AggregateError
from learnsoc.cli import main
from learnsoc.errors import SchemaError
from learnsoc.model.codes import Sex
from learnsoc.report.results import results
from learnsoc.targets import TargetError
from tests.trees import two_level

TREE = two_level(
    {"02": ["00001", "00002"]}, {"02": "Hà Giang", "00001": "Xã Một", "00002": "Xã Hai"}
)
#: "Tổng số" and "Trong đó: Nữ" for two communes, as on the reporting forms.
COUNTS: dict[str, list[Any]] = {
    "unit_code": ["00001", "00002"],
    "persons": [100, 50],
    "persons_female": [60, 20],
    "learning_citizens": [30, 10],
    "learning_citizens_female": [20, 8],
    "families": [30, 20],
    "learning_families": [20, 10],
}


def measures(pop: ls.Population) -> dict[str, Any]:
    """Person counts and a sum, plus a household count that has no breakdown by sex."""
    age = pop.column("person", "age")
    return {
        "persons": "person",
        "adults": ls.Count("person", age >= 15),
        "hours": ls.Sum("person", pop.column("person", "learning_hours")),
        "households": "household",
    }


def test_a_breakdown_by_sex_adds_up_to_the_total_of_the_unbroken_rollup() -> None:
    """Women + men = total for every person measure and row; the total is the plain rollup."""
    pop = ls.synthetic_population(persons=6_000, seed=11, hierarchy="vn-pre-2025")
    assert set(np.unique(pop.column("person", "sex")).tolist()) == {1, 2}  # none missing
    plain = ls.rollup(pop, measures(pop))
    roll = ls.rollup(pop, measures(pop), by="sex")
    assert [g.key for g in roll.groups()] == ["sex=male", "sex=female"]
    for name in plain.counts:
        assert roll.counts[name].tolist() == plain.counts[name].tolist()
    women, men = roll.part("female"), roll.part("sex=male")
    assert "households" not in women.counts
    for name in ("persons", "adults", "hours"):
        added = women.counts[name] + men.counts[name]
        assert added.tolist() == roll.counts[name].tolist(), name
        assert women.counts[name].dtype == roll.counts[name].dtype


def test_the_women_per_village_match_a_slow_reference() -> None:
    """A loop over persons counts the women, adult women and their hours in each village."""
    pop = ls.synthetic_population(persons=3_000, seed=4)
    roll = ls.rollup(pop, measures(pop), by="sex").part("female").level("village")
    village_of = pop.household_unit[pop.person_household]
    codes = pop.hierarchy.codes_at("village")
    sex, age = pop.column("person", "sex"), pop.column("person", "age")
    hours = pop.column("person", "learning_hours")
    persons: Counter[str] = Counter()
    adults: Counter[str] = Counter()
    summed: Counter[str] = Counter()
    for i in range(pop.n_persons):
        if int(sex[i]) == int(Sex.FEMALE):
            code = str(codes[village_of[i]])
            persons[code] += 1
            adults[code] += int(age[i]) >= 15
            summed[code] += int(hours[i])
    got = roll.codes().tolist()
    assert roll.counts["persons"].tolist() == [persons[c] for c in got]
    assert roll.counts["adults"].tolist() == [adults[c] for c in got]
    assert roll.counts["hours"].tolist() == [summed[c] for c in got]


def test_counts_with_female_columns_give_the_women_beside_the_total() -> None:
    """Hand sums: 80 women of 150 residents, 28 women of 40 learning citizens."""
    roll = ls.rollup_counts(COUNTS, TREE, by="sex")
    women = roll.part("female")
    assert roll.level("province").counts["persons"].tolist() == [150]
    assert women.level("province").counts["persons"].tolist() == [80]
    assert women.level("province").counts["learning_citizens"].tolist() == [28]
    assert "persons_female" not in roll.counts and "families" not in women.counts
    assert [g.key for g in roll.groups()] == ["sex=female"]
    res = results(roll, ["learning_citizens", "learning_families"], ["province"])
    cols = res.to_columns("vi")
    assert cols["group"].tolist() == ["", "sex=female", ""]
    assert cols["numerator"].tolist() == [40, 28, 30]
    assert cols["denominator"].tolist() == [150, 80, 50]
    rows = res.report("vi").sections[0].rows
    assert [r.cells[1] for r in rows] == [
        "Tỷ lệ Công dân học tập trên tổng số người dân *",
        "trong đó nữ",
        "Tỷ lệ Gia đình học tập",
    ]
    assert rows[1].cells[2:4] == ("28 / 80 người dân", "35,00%")


def test_men_and_women_columns_add_up_when_both_are_given() -> None:
    """With _male and _female columns the two parts add up to the total at every row."""
    table = dict(COUNTS, persons_male=[40, 30], learning_citizens_male=[10, 2])
    roll = ls.rollup_counts(table, TREE, by="sex")
    for name in ("persons", "learning_citizens"):
        added = roll.part("male").counts[name] + roll.part("female").counts[name]
        assert added.tolist() == roll.counts[name].tolist()


def test_a_part_larger_than_its_total_rejects_the_row() -> None:
    """60 women of 50 residents, or men + women above the total: the row is rejected."""
    table = dict(COUNTS, persons_female=[60, 51])
    roll = ls.rollup_counts(table, TREE, by="sex")
    assert roll.rejects is not None
    assert [(r.row, r.column, r.reason) for r in roll.rejects.records()] == [
        (1, "persons_female", "part_exceeds_total")
    ]
    assert "larger than its total persons" in roll.rejects.records("en")[0].message
    assert roll.part("female").level("province").counts["persons"].tolist() == [60]
    both = dict(COUNTS, persons_male=[41, 30], learning_citizens_male=[10, 2])
    rejected = ls.rollup_counts(both, TREE, by="sex").rejects
    assert rejected is not None
    assert [(r.row, r.reason) for r in rejected.records()] == [(0, "part_exceeds_total")]


def test_named_groups_of_any_column_in_counts() -> None:
    """by={"ethnicity": [...]}: columns such as persons_minority, for data that have them."""
    table = {"unit_code": ["00001", "00002"], "persons": [100, 50], "persons_minority": [70, 5]}
    roll = ls.rollup_counts(table, TREE, by={"ethnicity": ["minority"]})
    part = roll.part("ethnicity=minority")
    assert part.level("province").counts["persons"].tolist() == [75]
    assert roll.groups()[0].label("vi") == "minority"


def test_any_integer_person_column_breaks_microdata_down() -> None:
    """A coded column (qualification) gives a group per code; the parts add up."""
    pop = ls.synthetic_population(persons=2_000, seed=3)
    roll = ls.rollup(pop, {"persons": "person"}, by="qualification")
    assert [g.name for g in roll.groups()][:2] == ["none", "elementary"]
    qualification = pop.column("person", "qualification")
    known = int((qualification != 255).sum())
    added = sum(int(roll.part(g.key).level("total").counts["persons"][0]) for g in roll.groups())
    assert added == known <= pop.n_persons


def test_every_renderer_shows_the_breakdown_rows() -> None:
    """Text, Markdown, HTML, CSV, JSON and pandas carry the 'of which female' rows."""
    res = results(ls.rollup_counts(COUNTS, TREE, by="sex"), ["learning_citizens"], ["province"])
    assert "trong đó nữ" in res.to_text("vi")
    assert "| of which female |" in res.to_markdown("en")
    assert "<td>trong đó nữ</td>" in res.to_html("vi")
    csv_text = res.to_csv(locale="vi")
    assert csv_text is not None
    lines = csv_text.splitlines()
    header = lines[0].split(",")
    female = dict(zip(header, lines[2].split(","), strict=True))
    assert (female["group"], female["group_label"], female["numerator"]) == (
        "sex=female",
        "nữ",
        "28",
    )
    doc = json.loads(str(res.to_json(locale="en")))
    assert [r["group"] for r in doc["rows"]] == ["", "sex=female"]
    assert doc["rows"][1]["group_label"] == "female"
    frame = res.to_pandas("en")
    assert frame["group_label"].tolist() == ["", "female"]
    assert results(ls.rollup_counts(COUNTS, TREE, by="sex"), by=()).groups == ()


def test_bad_breakdowns_are_clear_errors() -> None:
    """Unknown columns and groups name the choices; a breakdown the rollup lacks is refused."""
    pop = ls.synthetic_population(persons=1_000, seed=2)
    with pytest.raises(SchemaError, match="ethnicity"):
        ls.rollup(pop, {"persons": "person"}, by="ethnicity")
    with pytest.raises(AggregateError, match="no person measure"):
        ls.rollup(pop, {"households": "household"}, by="sex")
    with pytest.raises(AggregateError, match=r"'femal' is not a group of 'sex'.*'female'"):
        ls.rollup_counts(COUNTS, TREE, by={"sex": ["femal"]})
    with pytest.raises(AggregateError, match="not a coded column"):
        ls.rollup_counts(COUNTS, TREE, by="ethnicity")
    with pytest.raises(SchemaError, match="no breakdown columns"):
        ls.rollup_counts({"unit_code": ["00001"], "persons": [3]}, TREE, by="sex")
    roll = ls.rollup_counts(COUNTS, TREE, by="sex")
    with pytest.raises(AggregateError, match="did you mean 'sex=female'"):
        roll.part("sex=femal")
    with pytest.raises(TargetError, match="no breakdown by 'qualification'; it has sex"):
        results(roll, by="qualification")


def test_cli_report_by_sex_from_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """learnsoc report --counts ... --by sex prints "trong đó nữ" under each total."""
    (tmp_path / "units.csv").write_text(
        "code,name,level,parent_code\n02,Hà Giang,province,\n"
        "00001,Xã Một,commune,02\n00002,Xã Hai,commune,02\n",
        "utf-8",
    )
    header = ",".join(COUNTS)
    body = "\n".join(",".join(str(v[i]) for v in COUNTS.values()) for i in range(2))
    (tmp_path / "counts.csv").write_text(f"{header}\n{body}\n", "utf-8")
    argv = [
        "report", "--counts", str(tmp_path / "counts.csv"), "--units", str(tmp_path / "units.csv"),
        "--levels", "province,commune", "--level", "province", "--by", "sex", "--locale", "vi",
        "--indicators", "learning_citizens",
    ]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    # Columns as wide as the indicator's name: spaces apart, whatever its length.
    assert re.search(r"Hà Giang \(02\) +trong đó nữ +28 / 80 người dân +35,00%", out)


def test_cli_rollup_by_sex_from_counts_writes_the_parts_beside_the_totals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """learnsoc rollup --counts ... --by sex: persons_female beside persons, as report --by."""
    (tmp_path / "units.csv").write_text(
        "code,name,level,parent_code\n02,Hà Giang,province,\n"
        "00001,Xã Một,commune,02\n00002,Xã Hai,commune,02\n",
        "utf-8",
    )
    header = ",".join(COUNTS)
    body = "\n".join(",".join(str(v[i]) for v in COUNTS.values()) for i in range(2))
    (tmp_path / "counts.csv").write_text(f"{header}\n{body}\n", "utf-8")
    argv = [
        "rollup", "--counts", str(tmp_path / "counts.csv"), "--units", str(tmp_path / "units.csv"),
        "--levels", "province,commune", "--out", str(tmp_path / "r.json"),
    ]  # fmt: skip
    assert main([*argv, "--by", "sex"]) == 0, capsys.readouterr().err
    rows = {r["code"]: r for r in json.loads((tmp_path / "r.json").read_text("utf-8"))}
    assert (rows["02"]["persons"], rows["02"]["persons_female"]) == (150, 80)
    assert (rows["02"]["learning_citizens"], rows["02"]["learning_citizens_female"]) == (40, 28)
    assert rows["00002"]["learning_citizens_female"] == 8
    assert "families_female" not in rows["02"] and "units_reporting_female" not in rows["02"]
    # --by reads persons_female as a part of persons: more women than residents is a
    # rejected row; without --by it is one more count, added up as it is.
    bad = body.replace(",60,", ",160,", 1)
    (tmp_path / "counts.csv").write_text(f"{header}\n{bad}\n", "utf-8")
    assert main([*argv, "--by", "sex"]) == 1
    assert "part_exceeds_total in persons_female: 1 row" in capsys.readouterr().err
    assert main(argv) == 0


def test_a_part_column_that_would_overwrite_a_measure_is_refused() -> None:
    """A measure persons_female beside persons by sex: two columns would share one name."""
    pop = ls.synthetic_population(persons=1_000, seed=3)
    women = pop.column("person", "sex") == 2
    roll = ls.rollup(
        pop, {"persons": "person", "persons_female": ls.Count("person", women)}, by="sex"
    )
    with pytest.raises(AggregateError, match="'persons_female', a column the rollup already has"):
        roll.to_columns()
