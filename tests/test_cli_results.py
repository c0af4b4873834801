"""`learnsoc report RESULTS`: reports from the folder of `evaluate DIR --out` (issue 13).

The report from the results folder is the report `learnsoc report DIR --rulebook ...
--as-of ...` prints after evaluating the dataset again, byte for byte.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import learnsoc as ls
from learnsoc.cli import main
from tests.io.helpers import reseal, write
from tests.io.test_dataset import tree
from tests.optional import needs

pytestmark = needs("pyarrow")

BOOK = ["--rulebook", "vn-national", "--as-of", "31/12/2025"]
FORMATS = ("text", "markdown", "html", "csv", "json")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Two datasets and their results: by province, and by commune (titles above it)."""
    root = tmp_path_factory.mktemp("results")
    out: dict[str, tuple[Path, Path]] = {}
    for by, pop in (
        ("province", ls.synthetic_population(persons=1_500, seed=9, hierarchy=tree(3))),
        ("commune", ls.synthetic_population(persons=2_000, seed=4, hierarchy=tree(2))),
    ):
        folder = root / f"by-{by}"
        ls.write_dataset(pop, folder, partition_by=by)
        results = root / f"results-{by}"
        code = main(["evaluate", str(folder), *BOOK, "--out", str(results), "--quiet"])
        assert code == 0
        out[by] = (folder, results)
    return out


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("by", ["province", "commune"])
@pytest.mark.parametrize(
    "extra",
    [
        [],
        ["--targets", "hanoi-23-nq-tu"],
        ["--level", "commune,total"],
        ["--targets", "hanoi-23-nq-tu", "--level", "province"],
    ],
)
def test_report_from_results_equals_report_from_the_dataset(
    by: str, extra: list[str], made: dict[str, tuple[Path, Path]], capsys: Any
) -> None:
    """Every format, in English and Vietnamese, with and without targets and --level."""
    folder, results = made[by]
    for locale in ("en", "vi"):
        for fmt in FORMATS:
            tail = [*extra, "--format", fmt, "--locale", locale, "--quiet"]
            code, expected, _ = run(["report", str(folder), *BOOK, *tail], capsys)
            assert code == 0
            code, got, err = run(["report", str(results), *tail], capsys)
            assert code == 0, err
            assert got == expected, (locale, fmt)
            assert got.strip()


def test_the_same_rulebook_and_date_may_be_given(
    made: dict[str, tuple[Path, Path]], capsys: Any
) -> None:
    """--rulebook and --as-of equal to the manifest's are taken (a script may keep them)."""
    folder, results = made["province"]
    code, expected, _ = run(["report", str(folder), *BOOK, "--format", "csv"], capsys)
    code, got, err = run(["report", str(results), *BOOK, "--format", "csv"], capsys)
    assert code == 0 and got == expected
    assert "results " in err and "vn-national" in err and "1,500 persons" in err
    assert "accepted + rejected = read: OK" in err


def test_rollup_from_results_equals_rollup_from_the_dataset(
    made: dict[str, tuple[Path, Path]], tmp_path: Path, capsys: Any
) -> None:
    """`learnsoc rollup RESULTS` writes the standard rollup `rollup DIR` writes."""
    folder, results = made["commune"]
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert main(["rollup", str(folder), *BOOK, "--out", str(a), "--quiet"]) == 0
    assert main(["rollup", str(results), "--out", str(b), "--quiet"]) == 0
    assert a.read_bytes() == b.read_bytes()


def test_the_manifest_says_what_was_evaluated(made: dict[str, tuple[Path, Path]]) -> None:
    """results.json: layout, version, rulebook, date, tree, files with their checksums."""
    folder, results = made["commune"]
    manifest = json.loads((results / "results.json").read_text("utf-8"))
    assert manifest["layout"] == "learnsoc-results" and manifest["version"] == 1
    assert manifest["rulebook"] == {
        "id": "vn-national",
        "version": ls.load_rulebook("vn-national").info.version,
    }
    assert manifest["as_of"] == "2025-12-31"
    assert manifest["partition_by"] == "commune"
    assert manifest["persons"] == 2_000
    assert manifest["dataset"] == str(folder)
    assert manifest["units"]["file"] == "units.parquet"
    assert len(manifest["counts"]["sha256"]) == 64
    # The upper units' verdicts are beside verdicts/, not a partition of it.
    assert (results / "verdicts_above.parquet").is_file()
    assert not (results / "verdicts" / "commune=above").exists()


@pytest.fixture
def results(made: dict[str, tuple[Path, Path]], tmp_path: Path) -> Path:
    """A copy of the results to damage."""
    copy = tmp_path / "results"
    shutil.copytree(made["province"][1], copy)
    return copy


def edit_manifest(folder: Path, **changes: Any) -> None:
    path = folder / "results.json"
    manifest = json.loads(path.read_text("utf-8"))
    manifest.update(changes)
    path.write_text(json.dumps(manifest), "utf-8")


def damage_units(folder: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(folder / "units.parquet")
    names = table.column("name").to_pylist()
    names[0] = "Renamed"
    pq.write_table(table.set_column(1, "name", pa.array(names)), folder / "units.parquet")


@pytest.mark.parametrize(
    ("damage", "file", "english"),
    [
        (
            lambda f: (f / "results.json").unlink(),
            "results.json",
            "no results manifest here; 'learnsoc evaluate DATASET --out FOLDER' writes one",
        ),
        (
            lambda f: (f / "standard_counts.parquet").unlink(),
            "standard_counts.parquet",
            "file missing: the results manifest lists it",
        ),
        (
            lambda f: (f / "units.parquet").unlink(),
            "units.parquet",
            "file missing: the results manifest lists it",
        ),
        (
            damage_units,
            "units.parquet",
            "the file was changed after 'learnsoc evaluate' wrote it",
        ),
        (
            lambda f: (f / "standard_counts.parquet").write_bytes(b"PAR1 not parquet"),
            "standard_counts.parquet",
            "the file was changed after 'learnsoc evaluate' wrote it",
        ),
        (
            lambda f: (f / "results.json").write_text("{not json", "utf-8"),
            "results.json",
            "not a learnsoc results manifest: it is not JSON",
        ),
        (
            lambda f: edit_manifest(f, layout="learnsoc-dataset"),
            "results.json",
            "not a learnsoc results manifest: its layout is not 'learnsoc-results'",
        ),
        (
            lambda f: edit_manifest(f, version=2),
            "results.json",
            "results layout version 2; this learnsoc reads version 1",
        ),
        (
            lambda f: edit_manifest(f, persons="many"),
            "results.json",
            "a field is missing or has the wrong type",
        ),
        (
            lambda f: edit_manifest(f, as_of="31/12/2025"),
            "results.json",
            "a field is missing or has the wrong type",
        ),
        (
            lambda f: edit_manifest(f, measures=["persons", "learning_citizens"]),
            "standard_counts.parquet",
            "its columns are not unit_code, level and the measures results.json lists",
        ),
        (
            lambda f: edit_manifest(f, hierarchy="vn-pre-2025"),
            "units.parquet",
            "not the units table of these results",
        ),
    ],
    ids=[
        "no-manifest",
        "no-counts",
        "no-units",
        "units-edited",
        "counts-replaced",
        "manifest-not-json",
        "manifest-layout",
        "manifest-version",
        "manifest-field",
        "manifest-date",
        "manifest-measures",
        "manifest-tree",
    ],
)
def test_a_damaged_results_folder(
    damage: Any, file: str, english: str, results: Path, capsys: Any
) -> None:
    """A damaged folder is a data error (exit 1) naming the file, in English and Vietnamese."""
    damage(results)
    code, out, err = run(["report", str(results), "--locale", "en"], capsys)
    assert code == 1 and out == ""
    assert err.startswith(f"learnsoc: error: {results / file}: ")
    assert english in err
    code, out, err = run(["report", str(results), "--locale", "vi"], capsys)
    assert code == 1 and out == ""
    assert err.startswith(f"learnsoc: lỗi: {results / file}: ")
    assert english not in err


def test_read_results_raises_a_typed_error(results: Path) -> None:
    """The Python API raises ResultsError (a DatasetError) with the file."""
    from learnsoc.io.dataset import DatasetError
    from learnsoc.scale.results import ResultsError, read_results

    (results / "standard_counts.parquet").unlink()
    with pytest.raises(ResultsError) as caught:
        read_results(results)
    assert isinstance(caught.value, DatasetError)
    assert caught.value.file == str(results / "standard_counts.parquet")


@pytest.mark.parametrize(
    ("extra", "english", "words"),
    [
        (
            ["--rulebook", "example"],
            "--rulebook example: the results in {path} were evaluated with rulebook "
            "'vn-national' version",
            "--rulebook example",
        ),
        (
            ["--as-of", "30/06/2025"],
            "--as-of 2025-06-30: the results in {path} were evaluated as of 2025-12-31",
            "30/6/2025",
        ),
        (["--inputs", "commune=c.csv"], "--inputs: a results folder holds the data", "--inputs"),
        (["--households", "h.csv"], "--households: a results folder holds", "--households"),
        (["--counts", "c.csv"], "--counts: a results folder holds the data", "--counts"),
        (["--workers", "2"], "--workers: a results folder holds the data", "--workers"),
        (["--by", "sex"], "--by: a results folder holds the data", "--by"),
    ],
)
def test_options_a_results_folder_does_not_take(
    extra: list[str],
    english: str,
    words: str,
    made: dict[str, tuple[Path, Path]],
    capsys: Any,
) -> None:
    """Another rulebook or date, or data options: a usage error (exit 2), en and vi."""
    _, results = made["province"]
    code, out, err = run(["report", str(results), *extra, "--locale", "en"], capsys)
    assert code == 2 and out == ""
    assert english.format(path=results) in err
    code, out, err = run(["report", str(results), *extra, "--locale", "vi"], capsys)
    assert code == 2 and out == ""
    assert words in err and "results folder holds" not in err and "were evaluated" not in err


def test_another_date_for_a_results_folder_is_said_with_vietnamese_dates(
    made: dict[str, tuple[Path, Path]], capsys: Any
) -> None:
    """The Vietnamese usage error wrote both dates in ISO (2025-06-30) and 'bộ quy tắc'."""
    _, results = made["province"]
    code, _, err = run(["report", str(results), "--as-of", "30/06/2025", "--locale", "vi"], capsys)
    assert code == 2
    assert (
        f"--as-of 30/6/2025: các kết quả trong {results} được đánh giá tính đến ngày 31/12/2025; "
        "hãy bỏ --as-of, hoặc đánh giá lại bộ dữ liệu tính đến ngày 30/6/2025"
    ) in err
    code, out, err = run(["report", str(results), "--locale", "vi"], capsys)
    assert code == 0
    assert f"kết quả {results}: bộ tiêu chí vn-national phiên bản" in err + out
    assert "tính đến ngày 31/12/2025" in err + out


def test_a_folder_that_is_neither(tmp_path: Path, capsys: Any) -> None:
    """A folder without manifest.json or results.json: a usage error naming both, en and vi."""
    (tmp_path / "notes.txt").write_text("x")
    code, _, err = run(["report", str(tmp_path), "--locale", "en"], capsys)
    assert code == 2
    assert "manifest.json" in err and "results.json" in err and "has neither" in err
    code, _, err = run(["report", str(tmp_path), "--locale", "vi"], capsys)
    assert code == 2
    assert "manifest.json" in err and "results.json" in err and "has neither" not in err


def test_evaluate_does_not_take_a_results_folder(
    made: dict[str, tuple[Path, Path]], capsys: Any
) -> None:
    _, results = made["province"]
    code, _, err = run(["evaluate", str(results), *BOOK, "--locale", "en"], capsys)
    assert code == 2
    assert f"'learnsoc report {results}'" in err
    code, _, err = run(["evaluate", str(results), *BOOK, "--locale", "vi"], capsys)
    assert code == 2 and f"'learnsoc report {results}'" in err and "not a dataset" not in err


def test_rows_rejected_at_evaluation_are_said_again(tmp_path: Path, capsys: Any) -> None:
    """A report from results whose --inputs lost rows says so and exits 1, as evaluate did."""
    pop = ls.synthetic_population(persons=1_000, seed=9, hierarchy=tree(2))
    folder = tmp_path / "d"
    ls.write_dataset(pop, folder)
    codes = pop.hierarchy.codes_at("province").tolist()
    rows = "".join(f"{c},1\n" for c in codes) + "99,1\n"  # 99: no such province
    inputs = write(tmp_path, "province.csv", "code,unesco_gnlc_member\n" + rows)
    out = tmp_path / "r"
    argv = ["evaluate", str(folder), *BOOK, "--inputs", f"province={inputs}", "--out", str(out)]
    code, _, err = run(argv, capsys)
    assert code == 1 and "rejected" in err
    code, report, err = run(["report", str(out), "--format", "csv", "--locale", "en"], capsys)
    assert code == 1 and report
    assert "the evaluation of these results rejected 1 row of its --inputs files" in err
    manifest = json.loads((out / "results.json").read_text("utf-8"))
    assert manifest["inputs"] == [str(inputs)] and manifest["rejected_rows"] == 1
    code, _, err = run(["report", str(out), "--format", "csv", "--locale", "vi"], capsys)
    assert code == 1 and "rejected 1 row" not in err


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_the_evaluation_warnings_are_given_again(
    locale: str, made: dict[str, tuple[Path, Path]], capsys: Any
) -> None:
    """Inputs without data, an abolished procedure: the warnings a dataset report gives."""
    folder, results = made["commune"]
    tail = ["--format", "csv", "--locale", locale]
    _, _, expected = run(["report", str(folder), *BOOK, *tail], capsys)
    _, _, got = run(["report", str(results), *tail], capsys)

    def said(err: str) -> list[str]:
        return [line for line in err.splitlines() if line.startswith("learnsoc: ")]

    assert said(got) == said(expected)
    assert len(said(got)) >= 2  # the abolished procedure, the inputs without data


def test_a_report_is_not_written_over_the_results(results: Path, capsys: Any) -> None:
    """--out naming a file of the results folder is a usage error; the file is kept."""
    before = (results / "results.json").read_bytes()
    argv = ["report", str(results), "--format", "json", "--out", str(results / "results.json")]
    code, _, err = run([*argv, "--locale", "en"], capsys)
    assert code == 2 and "--out" in err
    assert (results / "results.json").read_bytes() == before


def test_measures_the_data_cannot_count_stay_no_data(tmp_path: Path, capsys: Any) -> None:
    """A dataset without employment: its targets are "no data" from the results too."""
    import pyarrow.parquet as pq

    pop = ls.synthetic_population(persons=1_500, seed=9, hierarchy=tree(2))
    folder = tmp_path / "d"
    ls.write_dataset(pop, folder)
    for path in (folder / "persons").glob("*/part-0.parquet"):
        pq.write_table(pq.read_table(path).drop_columns(["employment"]), path)
    reseal(folder)  # the files as written without the column
    out = tmp_path / "r"
    assert main(["evaluate", str(folder), *BOOK, "--out", str(out), "--quiet"]) == 0
    absent = json.loads((out / "results.json").read_text("utf-8"))["absent_columns"]
    assert absent["trained_workers"] == ["employment"]
    for locale in ("en", "vi"):
        tail = ["--targets", "hanoi-23-nq-tu", "--locale", locale, "--quiet"]
        _, expected, _ = run(["report", str(folder), *BOOK, *tail], capsys)
        code, got, _ = run(["report", str(out), *tail], capsys)
        assert code == 0 and got == expected
        assert "employment" in got


def rewrite_counts(folder: Path, change: Any) -> None:
    """Rewrite standard_counts.parquet and record its new checksum, as a careful edit would."""
    import hashlib

    import pyarrow.parquet as pq

    path = folder / "standard_counts.parquet"
    pq.write_table(change(pq.read_table(path)), path)
    manifest = json.loads((folder / "results.json").read_text("utf-8"))
    manifest["counts"]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / "results.json").write_text(json.dumps(manifest), "utf-8")


def as_text(table: Any) -> Any:
    import pyarrow as pa

    return table.set_column(2, "persons", table.column("persons").cast(pa.string()))


@pytest.mark.parametrize(
    ("change", "english"),
    [
        (as_text, "column 'persons' is not a count per unit (int64 or float64, no empty cell)"),
        (lambda t: t.take(list(range(t.num_rows))[::-1]), "its unit codes are not those of"),
    ],
    ids=["text-counts", "rows-reordered"],
)
def test_counts_edited_with_their_checksum(
    change: Any, english: str, results: Path, capsys: Any
) -> None:
    """Counts that are not counts per unit in the tree's order: an error naming the file."""
    rewrite_counts(results, change)
    code, out, err = run(["report", str(results), "--locale", "en"], capsys)
    assert code == 1 and out == ""
    assert err.startswith(f"learnsoc: error: {results / 'standard_counts.parquet'}: ")
    assert english in err
    code, _, err = run(["report", str(results), "--locale", "vi"], capsys)
    assert code == 1 and english not in err
