"""Every form of `learnsoc report` says how many verdicts were decided on partial data.

The titles table says "3 of the 8 villages were decided on the families with data; 5 on
all" (aggregates leave out the members whose data are missing). A report is made from a
rollup, from files, from a dataset or from the results folder of its evaluation (which
holds no verdicts): it said nothing of it. The standard measures now count each title's
decided verdicts and those on partial data per unit, the results folder keeps them, and
every format says the same, byte for byte, from the three, before and after the 2025
reform, in English and Vietnamese; the figure is the one counted by hand from the
households' own columns.
"""

from __future__ import annotations

import contextlib
import io
import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.cli import main
from tests._workbooks import column_ids, headings
from tests.io.test_dataset import tree
from tests.optional import needs, require

pytestmark = needs("pyarrow")
require("openpyxl")

#: Each tree with the last year-end it was in force (the demo's default years).
TREES = {"vn-2025": "2025-12-31", "vn-pre-2025": "2024-12-31"}
FORMATS = ("text", "markdown", "html", "csv", "json")
NOTE = {
    "en": "share of learning communities: {n} of the {decided} villages were decided on the "
    "families with data; {rest} other villages on complete data",
    "vi": "Tỷ lệ Cộng đồng học tập: {n} trong số {decided} thôn, tổ dân phố được quyết định "
    "chỉ dựa trên các gia đình có dữ liệu; {rest} thôn, tổ dân phố còn lại dựa trên đầy đủ "
    "dữ liệu",
}


def _population(levels: str) -> ls.Population:
    return ls.synthetic_population(persons=3_000, seed=7, hierarchy=tree(2, levels))


def _village_inputs(pop: ls.Population) -> dict[str, Any]:
    book = ls.load_rulebook("vn-national")
    return {"village": ls.synthetic_inputs(pop, book, seed=7)["village"]}


@pytest.fixture(scope="module", params=list(TREES))
def folder(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Files, the dataset of the same population and its results folder, one tree each."""
    levels = request.param
    root = tmp_path_factory.mktemp(levels)
    pop = _population(levels)
    given = _village_inputs(pop)["village"]
    codes = pop.hierarchy.codes_at("village").tolist()
    activities = np.asarray(given["village_learning_activities"]).tolist()
    rows = "".join(f"{c},{int(v)}\n" for c, v in zip(codes, activities, strict=True))
    (root / "village.csv").write_text("code,village_learning_activities\n" + rows, "utf-8")
    ls.io.write_population(pop, root / "files")
    ls.write_dataset(pop, root / "DIR", partition_by="commune")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        assert main(["evaluate", "DIR", *_book(levels), "--out", "results", "--quiet"]) == 0
    (root / "tree").write_text(levels, "utf-8")
    return root


def _book(levels: str) -> list[str]:
    return [
        "--rulebook",
        "vn-national",
        "--as-of",
        TREES[levels],
        "--inputs",
        "village=village.csv",
    ]


def _files(levels: str) -> list[str]:
    out = ["files/persons.csv", "--levels", levels]
    for table in ("households", "units", "clans", "organisations", "memberships"):
        out += [f"--{table}", f"files/{table}.csv"]
    return out


def _report(root: Path, args: list[str]) -> str:
    out = io.StringIO()
    with (
        pytest.MonkeyPatch.context() as mp,
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(io.StringIO()),
    ):
        mp.chdir(root)
        assert main(["report", *args, "--quiet"]) == 0
    return out.getvalue()


def _by_hand(levels: str) -> tuple[int, int]:
    """Villages decided on partial data, and decided, counted from the households' columns.

    A village's share of learning families is over its registered families: a family whose
    registration is unknown, or registered whose verdict is unknown, is left out. Counted
    here from those columns and the family verdicts, not from the engine's record of the
    aggregates.
    """
    pop = _population(levels)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ls.evaluate(pop, "vn-national", TREES[levels], inputs=_village_inputs(pop))
    family = ev.verdicts("learning_family")
    registered = pop.column("household", "registered")
    left_out = (registered == 1) & ~family.known | ((registered != 0) & (registered != 1))
    n_villages = pop.hierarchy.n_units("village")
    some = np.bincount(pop.household_unit, weights=left_out, minlength=n_villages) > 0
    village = ev.verdicts("learning_community")
    decided = village.assessed & village.known
    return int((decided & some).sum()), int(decided.sum())


@pytest.mark.parametrize("locale", ["en", "vi"])
@pytest.mark.parametrize("targets", [False, True])
def test_every_format_says_it_the_same_from_files_dataset_and_results(
    folder: Path, locale: str, targets: bool
) -> None:
    """Text, Markdown, HTML, CSV and JSON: byte for byte the same from the three sources."""
    levels = (folder / "tree").read_text("utf-8")
    n, decided = _by_hand(levels)
    assert 0 < n < decided  # the population has both kinds
    note = NOTE[locale].format(n=n, decided=decided, rest=decided - n)
    extra = ["--targets", "hanoi-23-nq-tu"] if targets else []
    for fmt in FORMATS:
        tail = [*extra, "--format", fmt, "--locale", locale]
        from_files = _report(folder, [*_files(levels), *_book(levels), *tail])
        from_dataset = _report(folder, ["DIR", *_book(levels), *tail])
        from_results = _report(folder, ["results", *tail])
        assert from_dataset == from_files, fmt
        assert from_results == from_files, fmt
        if fmt == "csv":
            continue  # per row: below
        assert from_files.count(note) == 1, (fmt, from_files[-3000:])


def test_the_tidy_rows_count_the_decided_and_partial_per_unit(folder: Path) -> None:
    """CSV/JSON rows of learning communities: per unit, summing to the note's figures."""
    levels = (folder / "tree").read_text("utf-8")
    n, decided = _by_hand(levels)
    doc = json.loads(_report(folder, ["results", "--format", "json", "--locale", "en"]))
    rows = [r for r in doc["rows"] if r["indicator"] == "learning_communities"]
    by_level: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        by_level.setdefault(str(row["level"]), []).append(row)
    for level, level_rows in by_level.items():
        assert sum(int(r["partial_data"]) for r in level_rows) == n, level  # type: ignore[call-overload]
        assert sum(int(r["decided"]) for r in level_rows) == decided, level  # type: ignore[call-overload]
    persons = [r for r in doc["rows"] if r["indicator"] == "literacy_15_60"]
    assert persons
    assert all(r["decided"] is None and r["partial_data"] is None for r in persons)


def test_the_workbook_has_the_columns_and_the_note(folder: Path) -> None:
    """The .xlsx report: decided and partial_data columns, and a notes sheet with the note."""
    from openpyxl import load_workbook

    levels = (folder / "tree").read_text("utf-8")
    n, decided = _by_hand(levels)
    _report(folder, ["results", "--out", "report.xlsx", "--locale", "vi"])
    book = load_workbook(folder / "report.xlsx")
    assert book.sheetnames[:2] == ["kết quả", "ghi chú"]
    header = column_ids(book["kết quả"])
    assert "decided" in header
    assert "partial_data" in header
    assert headings(book["kết quả"])[header.index("partial_data")] == (
        "trong đó quyết định trên dữ liệu chưa đầy đủ"
    )
    notes = [row[0].value for row in book["ghi chú"].iter_rows(min_row=2)]
    note = NOTE["vi"].format(n=n, decided=decided, rest=decided - n)
    assert notes.count(note) == 1


def test_a_results_folder_of_an_earlier_learnsoc_is_read_and_says_it_lacks_the_counts(
    folder: Path, tmp_path: Path
) -> None:
    """A folder without the counts (written before them) is read; its report says so.

    Its manifest has no ``partial_members`` and its counts file no ``_decided`` or
    ``_partial_data`` columns: the report says the figure is not recorded, never nothing.
    """
    import hashlib
    import shutil

    import pyarrow.parquet as pq

    old = tmp_path / "old-results"
    shutil.copytree(folder / "results", old)
    manifest = json.loads((old / "results.json").read_text("utf-8"))
    counts = pq.read_table(old / "standard_counts.parquet")
    kept = [c for c in counts.column_names if not c.endswith(("_decided", "_partial_data"))]
    pq.write_table(counts.select(kept), old / "standard_counts.parquet")
    digest = hashlib.sha256((old / "standard_counts.parquet").read_bytes()).hexdigest()
    manifest["counts"]["sha256"] = digest
    manifest["measures"] = kept[2:]
    for key in ("partial_members", "inputs_rejects"):
        del manifest[key]
    (old / "results.json").write_text(json.dumps(manifest), "utf-8")
    from learnsoc.scale.results import read_results

    saved = read_results(old)
    assert saved.partial_members is None
    titles = {
        "en": "share of learning families, share of learning clans, share of learning "
        "communities, share of learning units",
        "vi": "Tỷ lệ Gia đình học tập, Tỷ lệ Dòng họ học tập, Tỷ lệ Cộng đồng học tập, "
        "Tỷ lệ Đơn vị học tập",
    }
    words = {
        "en": ": how many of the verdicts were decided on partial data (some members' data "
        "missing) is not recorded in these results",
        "vi": ": số kết quả được quyết định chỉ dựa trên một phần dữ liệu (thiếu số liệu của "
        "một số thành viên) không được ghi trong kết quả này",
    }
    for locale in ("en", "vi"):
        for targets in ([], ["--targets", "hanoi-23-nq-tu"]):
            tail = [*targets, "--format", "text", "--locale", locale]
            text = _report(old, [".", *tail])
            # One note for the titles whose counts the folder lacks, said once.
            assert text.count(words[locale]) == 1, text[-2000:]
            (line,) = [line for line in text.splitlines() if words[locale] in line]
            # Every title counted from verdicts is named (districts too, before the reform).
            assert line.startswith(f"- {titles[locale]}"), line
            assert "decided on the families with data" not in text


def test_json_rows_read_of_a_dataset_written_in_memory_has_its_units(folder: Path) -> None:
    """ls.write_dataset(pop) counts the units table written, as reading its file counts it.

    The JSON of a report from the files had a ``unit`` entry in ``rows_read``; the one from
    a dataset written from a population in memory had every table but that one.
    """
    levels = (folder / "tree").read_text("utf-8")
    tail = ["--format", "json", "--locale", "en"]
    from_files = json.loads(_report(folder, [*_files(levels), *_book(levels), *tail]))
    from_dataset = json.loads(_report(folder, ["DIR", *_book(levels), *tail]))
    assert from_dataset["rows_read"] == from_files["rows_read"]
    assert from_dataset["rows_read"]["unit"]["read"] == len(_population(levels).hierarchy)
    assert ls.io.read_dataset(folder / "DIR").rejects.n_read("unit") == len(
        _population(levels).hierarchy
    )


def test_residents_with_digital_skills_are_out_of_all_residents() -> None:
    """The share of residents with digital skills names its denominator as the learning
    citizens' share over the same count does: residents, not "persons" beside "residents"."""
    from learnsoc.targets import INDICATORS

    digital, citizens = INDICATORS["digital_skills"], INDICATORS["learning_citizens"]
    assert digital.denominator == citizens.denominator == "persons"
    for locale, basis in (("en", "all residents"), ("vi", "tổng số người dân")):
        assert digital.basis_display(locale) == citizens.basis_display(locale) == basis
        assert digital.denominator_display(locale) == citizens.denominator_display(locale)
