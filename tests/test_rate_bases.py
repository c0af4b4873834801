"""Every printed rate says what it is a rate of, and what its denominator leaves out.

A small population is written to files here and its rates are computed by hand from the
rows; every format of `learnsoc report` (text, Markdown, HTML, CSV, JSON, in both
languages), the Python objects (reports, tidy columns, pandas) and the summaries must show
the same counts and say that the unknown ones are left out of the denominator.
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.report.tables import progress_columns, results_columns
from learnsoc.rules.entries import RulebookWarning
from learnsoc.targets import load_targets
from tests.optional import needs

UNITS = (
    "code,name,level,parent_code\n"
    "01,Hà Nội,province,\n"
    "00004,Xã Minh Phú,commune,01\n"
    "00004001,Thôn Đông,village,00004\n"
    "00004002,Thôn Đoài,village,00004\n"
)
HOUSEHOLDS = "household_id,unit_code\nH1,00004001\nH2,00004001\nH3,00004002\n"
# Ages 15-60: P1, P2, P4 (Thôn Đông), P6, P7, P8 (Thôn Đoài); P3 (5) and P5 (61) are not.
# Literate among them: P1, P2, P7, P8; P4 is not; P6's literacy is not recorded.
PERSONS = (
    "person_id,household_id,age,literate\n"
    "P1,H1,30,1\nP2,H1,28,1\nP3,H1,5,\nP4,H2,45,0\n"
    "P5,H2,61,0\nP6,H3,15,\nP7,H3,60,1\nP8,H3,20,1\n"
)
# By hand, for the province (and the commune): 6 persons aged 15-60, 1 without a record,
# so the rate is 4 literate of the 5 with data = 80%; Thôn Đoài: 2 of 2, 1 left out.
ELIGIBLE, MISSING, KNOWN, LITERATE = 6, 1, 5, 4
RATE = 100 * LITERATE / KNOWN

BOOK = ["--rulebook", "vn-national", "--as-of", "31/12/2025", "--quiet"]
TARGETS = ["--targets", "hanoi-23-nq-tu"]
ONE = ["--indicators", "literacy_15_60", "--level", "province"]

#: What the counts and basis cells say, per language.
SAID = {
    "en": (
        "4 / 5 persons aged 15-60 (excluding 1 without data)",
        "all persons aged 15-60 with data",
    ),
    "vi": (
        "4 / 5 người trong độ tuổi 15-60 (không tính 1 trường hợp thiếu số liệu)",
        "tổng số người trong độ tuổi 15-60, trừ số thiếu số liệu",
    ),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("rate-bases")
    for name, text in (
        ("units.csv", UNITS),
        ("households.csv", HOUSEHOLDS),
        ("persons.csv", PERSONS),
    ):
        (folder / name).write_text(text, encoding="utf-8")
    return [
        str(folder / "persons.csv"),
        "--households",
        str(folder / "households.csv"),
        "--units",
        str(folder / "units.csv"),
    ]


def report(files: list[str], capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main(["report", *files, *BOOK, *args]) == 0
    return capsys.readouterr().out


def pop(files: list[str]) -> ls.Population:
    """The population of the files, read as the command line reads it."""
    persons, _, households, _, units = files
    return ls.read_population(persons, households=households, units=units)


@pytest.mark.parametrize("locale", ["en", "vi"])
@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
@pytest.mark.parametrize("targets", [True, False], ids=["progress", "results"])
def test_readable_formats_say_the_unknown_are_left_out(
    files: list[str], capsys: pytest.CaptureFixture[str], locale: str, fmt: str, targets: bool
) -> None:
    """Text, Markdown and HTML: 4 / 5, 1 left out, the basis "with data", 80% (by hand)."""
    args = [*ONE, "--format", fmt, "--locale", locale, *(TARGETS if targets else [])]
    out = report(files, capsys, *args)
    counts, basis = SAID[locale]  # both tables name the denominator's members
    assert counts in out
    assert basis in out
    assert f"{RATE:.2f}%".replace(".", "," if locale == "vi" else ".") in out
    # Never the old ambiguous form, where the unknown ones read as part of the 5.
    assert "(1 missing)" not in out
    assert "(1 thiếu số liệu)" not in out


@pytest.mark.parametrize("targets", [True, False], ids=["progress", "results"])
def test_machine_formats_carry_every_count_of_the_rate(
    files: list[str], capsys: pytest.CaptureFixture[str], targets: bool
) -> None:
    """CSV and JSON: numerator, denominator, missing, eligible and the basis recompute the rate."""
    extra = TARGETS if targets else []
    rows = list(csv.DictReader(io.StringIO(report(files, capsys, *ONE, *extra, "--format", "csv"))))
    doc = json.loads(report(files, capsys, *ONE, *extra, "--format", "json"))
    for row in (*rows, *doc["rows"]):
        assert int(row["numerator"]) == LITERATE
        assert int(row["denominator"]) == KNOWN
        assert int(row["missing"]) == MISSING
        assert int(row["eligible"]) == ELIGIBLE == KNOWN + MISSING
        assert float(row["value"]) == pytest.approx(RATE)
        assert row["denominator_measure"] == "persons_15_60"
        assert row["denominator_label"] == "all persons aged 15-60 with data"
    assert len(rows) == len(doc["rows"]) == 1
    meta = {ind["id"]: ind for ind in doc["indicators"]}["literacy_15_60"]
    assert (meta["denominator"], meta["missing"]) == ("persons_15_60", "literate_15_60_missing")


def test_a_unit_without_unknowns_keeps_its_plain_basis(
    files: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Thôn Đông has a record for all 3: its basis is the whole group; Thôn Đoài's is not."""
    args = ["--indicators", "literacy_15_60", "--level", "village", "--format", "csv"]
    rows = {r["unit_code"]: r for r in csv.DictReader(io.StringIO(report(files, capsys, *args)))}
    east, west = rows["00004001"], rows["00004002"]
    assert (east["numerator"], east["denominator"], east["missing"], east["eligible"]) == (
        "2",
        "3",
        "0",
        "3",
    )
    assert east["denominator_label"] == "all persons aged 15-60"
    assert (west["numerator"], west["denominator"], west["missing"], west["eligible"]) == (
        "2",
        "2",
        "1",
        "3",
    )
    assert west["denominator_label"] == "all persons aged 15-60 with data"


def test_python_objects_say_the_same(files: list[str]) -> None:
    """Report objects, tidy columns, pandas and the notebook HTML of progress and results."""
    population = pop(files)
    roll = ls.rollup(population, ls.standard_measures(population))
    prog = ls.progress(
        roll,
        load_targets("hanoi-23-nq-tu").select(indicators=["literacy_15_60"]),
        year=2025,
        levels=["province"],
    )
    res = ls.results(roll, ["literacy_15_60"], ["province"])
    for locale, (counts, basis) in SAID.items():
        cells = prog.report(locale).sections[0].rows[0].cells
        assert (cells[3], cells[4]) == (counts, basis)
        assert counts in prog.to_html(locale=locale)
        assert basis in res.report(locale).sections[0].rows[0].cells[4]
    for cols in (progress_columns(prog, "vi"), results_columns(res, "vi")):
        assert cols["eligible"].tolist() == [ELIGIBLE]
        assert cols["denominator"].tolist() == [KNOWN]
        assert cols["denominator_label"].tolist() == [SAID["vi"][1]]
    frame = prog.to_pandas()
    assert frame[["numerator", "denominator", "missing", "eligible"]].values.tolist() == [
        [LITERATE, KNOWN, MISSING, ELIGIBLE]
    ]
    assert SAID["en"][0] in prog._repr_html_()


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_population_summary_says_who_the_literacy_rate_leaves_out(
    files: list[str], locale: str
) -> None:
    """The literacy line of the summary (demo, validate): 4 / 5, the one without a record out."""
    summary = pop(files).summary()
    said = {
        "en": "Literacy, ages 15-60: 80.00% (4 / 5 persons aged 15-60, excluding 1 without data)",
        "vi": (
            "Tỷ lệ người biết chữ trong độ tuổi 15-60: 80,00% "
            "(4 / 5 người trong độ tuổi 15-60, không tính 1 trường hợp thiếu số liệu)"
        ),
    }[locale]
    assert said in summary.to_text(locale)
    assert said.split(": ", 1)[1] in summary.to_html(locale)


def test_title_summary_heading_says_what_the_share_is_of(files: list[str]) -> None:
    """The title table's share is granted / (assessed - unknown): its heading says both."""
    population = pop(files)
    # The evaluators' inputs are not given, and the commune procedure ended in 2025.
    with pytest.warns(RulebookWarning):
        ev = ls.evaluate(population, ls.load_rulebook("vn-national"), as_of="2025-12-31")
    summary = ev.summary()
    row = next(r for r in summary.rows if r.title == "learning_citizen")
    decided = row.assessed - row.unknown
    assert decided == row.passed + row.failed
    en = summary.to_text("en").splitlines()[1]
    vi = summary.to_text("vi").splitlines()[1]
    assert en.endswith("share granted (of assessed, excluding unknown)")
    assert vi.endswith("tỷ lệ đạt (trên số được đánh giá, không tính số chưa rõ)")


def test_evaluation_rollup_rate_is_the_summary_share(files: list[str]) -> None:
    """ev.rollup()'s title rate leaves unknown verdicts out, as the summary's share does.

    It was granted / assessed, an unknown verdict counted as a refusal: the same run printed
    two shares for one title. The rollup now carries the decided count and the unknown one.
    """
    population = pop(files)
    with pytest.warns(RulebookWarning):
        ev = ls.evaluate(population, ls.load_rulebook("vn-national"), as_of="2025-12-31")
    total = ev.rollup().level("total")
    for row in ev.summary().rows:
        rate = total.rate(row.title)
        decided = row.passed + row.failed
        assert (int(rate.numerator[0]), int(rate.denominator[0]), int(rate.missing[0])) == (
            row.passed,
            decided,
            row.unknown,
        )
        assert int(total.counts[f"{row.title}_decided"][0]) == decided
    # Learning citizens: P6's literacy is unknown, so is her verdict; the rollup's notebook
    # table says the rate leaves her out.
    citizen = total.rate("learning_citizen")
    assert int(citizen.missing[0]) >= 1
    assert "without data" in ev.rollup()._repr_html_(locale="en")


SEXES = "P1,male P2,female P3,female P4,male P5,female P6,female P7,male P8,female"


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_a_breakdown_row_is_a_rate_among_its_group(
    files: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path, locale: str
) -> None:
    """The row "of which female": 2 literate of the 2 women with data (P6 unknown), by hand.

    Its basis was the indicator's ("all persons aged 15-60") as if the share were among
    everyone; it now names the group, in the text and in the CSV.
    """
    sex = dict(pair.split(",") for pair in SEXES.split())
    lines = PERSONS.splitlines()
    rows = [lines[0] + ",sex"] + [f"{line},{sex[line.split(',')[0]]}" for line in lines[1:]]
    persons = tmp_path / "persons.csv"
    persons.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with_sex = [str(persons), *files[1:]]
    args = ["--indicators", "literacy_15_60", "--level", "province", "--by", "sex"]
    text = report(with_sex, capsys, *args, "--locale", locale)
    table = list(csv.DictReader(io.StringIO(report(with_sex, capsys, *args, "--format", "csv"))))
    female = next(r for r in table if r["group"] == "sex=female")
    male = next(r for r in table if r["group"] == "sex=male")
    assert [female[k] for k in ("numerator", "denominator", "missing", "eligible")] == [
        "2",
        "2",
        "1",
        "3",
    ]
    assert [male[k] for k in ("numerator", "denominator", "missing", "eligible")] == [
        "2",
        "3",
        "0",
        "3",
    ]
    assert female["denominator_label"] == "all persons aged 15-60 (female only) with data"
    assert male["denominator_label"] == "all persons aged 15-60 (male only)"
    said = {
        "en": "all persons aged 15-60 (female only) with data",
        "vi": "tổng số người trong độ tuổi 15-60 (chỉ tính nữ), trừ số thiếu số liệu",
    }[locale]
    assert said in text


@needs("matplotlib")
def test_chart_labels_say_the_rate_is_of_those_with_data(files: list[str]) -> None:
    """The charts' axis names the basis as the tables do: "with data" when some are left out."""
    population = pop(files)
    roll = ls.rollup(population, ls.standard_measures(population))
    prog = ls.progress(
        roll,
        load_targets("hanoi-23-nq-tu").select(indicators=["literacy_15_60"]),
        year=2025,
        levels=["province"],
    )
    res = ls.results(roll, ["literacy_15_60"], ["province"])
    name = "share of persons aged 15-60 who are literate (of all persons aged 15-60 with data)"
    assert prog.plot(locale="en").get_xlabel() == name
    assert res.plot(locale="en").get_xlabel() == name
    assert res.plot(locale="vi").get_xlabel() == (
        "Tỷ lệ người biết chữ trong độ tuổi 15-60 "
        "(trên tổng số người trong độ tuổi 15-60, trừ số thiếu số liệu)"
    )


# -- the 2025 reform: the tree and the date of the titles ---------------------------------------


def test_titles_on_the_new_tree_before_it_began_are_said(files: list[str]) -> None:
    """Titles as of 31/12/2024 on the 2-level tree are of communes that did not exist yet.

    Nothing said so: the report printed their rates as if they were 2024's. Now a
    HierarchyDateWarning names the tree, its start and the tree of that date, in Vietnamese
    too; on the tree of that date, or on the new tree after 1/7/2025, nothing is said.
    """
    persons, _, households, _, units = files
    new = ls.read_population(persons, households=households, units=units, levels="vn-2025")
    old = ls.synthetic_population(persons=300, seed=1, hierarchy="vn-pre-2025")
    book = ls.load_rulebook("vn-national")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ls.HierarchyDateWarning)
        warnings.simplefilter("ignore", RulebookWarning)
        ls.evaluate(new, book, as_of="2024-12-31")
    (said,) = [w.message for w in caught if isinstance(w.message, ls.HierarchyDateWarning)]
    assert str(said) == (
        "the titles as of 2024-12-31 are on the tree 'vn-2025', valid from 2025-07-01: its "
        "units did not exist on that date; use the tree of that date ('vn-pre-2025' until "
        "2025-06-30)"
    )
    assert said.localized("vi").startswith(
        "Kết quả đánh giá danh hiệu tính đến ngày 31/12/2024 đang dùng hệ thống đơn vị hành "
        "chính 'vn-2025' (có hiệu lực từ 01/7/2025), nhưng các đơn vị này chưa tồn tại"
    )
    for pop_, day in ((old, "2024-12-31"), (new, "2025-12-31")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RulebookWarning)
            warnings.simplefilter("error", ls.HierarchyDateWarning)
            ls.evaluate(pop_, book, as_of=day)


def test_a_title_rate_never_takes_the_place_of_its_count(files: list[str]) -> None:
    """The rollup's wide table: a title's column is its count, the rate beside it.

    The title's rate is named like its count: the table wrote the rate (0.48) into the
    count's column and the count was lost from `learnsoc evaluate --out`'s rollup.csv.
    """
    population = pop(files)
    with pytest.warns(RulebookWarning):
        ev = ls.evaluate(population, ls.load_rulebook("vn-national"), as_of="2025-12-31")
    roll = ev.rollup()
    cols = roll.level("total").to_columns()
    decided = [r for r in ev.summary().rows if r.passed + r.failed]
    assert decided  # the families, at least, are decided
    for row in decided:
        assert int(cols[row.title][0]) == row.passed
        assert cols[row.title].dtype.kind == "i"
        share = row.passed / (row.passed + row.failed)
        assert float(cols[f"{row.title}_rate"][0]) == pytest.approx(share)
        assert cols[f"{row.title}_rate_status"][0] == "ok"
        assert roll.unit("01")[row.title] == row.passed


@pytest.mark.parametrize(
    ("locale", "cell"), [("en", "<td>all residents</td>"), ("vi", "<td>tổng số người dân</td>")]
)
def test_a_target_sets_table_says_what_each_goal_is_a_share_of(locale: str, cell: str) -> None:
    """The notebook table of a target set: "≥ 50%" of whom, in an "out of" column."""
    html = load_targets("hanoi-23-nq-tu").select(indicators=["learning_citizens"]).to_html(locale)
    assert cell in html
    assert ("<th>out of</th>" if locale == "en" else "<th>tính trên</th>") in html
