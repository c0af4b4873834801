"""The command line on a dataset folder: evaluate (here, --workers) and report (issue 13)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.report.results import results
from tests.io.helpers import csv_text, write
from tests.io.test_dataset import tree
from tests.optional import needs

pytestmark = needs("pyarrow")

BOOK = ["--rulebook", "vn-national", "--as-of", "31/12/2025"]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[ls.Population, Path]:
    pop = ls.synthetic_population(persons=1_500, seed=9, hierarchy=tree(3))
    folder = tmp_path_factory.mktemp("cli") / "national"
    ls.write_dataset(pop, folder)
    return pop, folder


def whole(pop: ls.Population) -> ls.Evaluation:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ls.evaluate(pop, ls.load_rulebook("vn-national"), "2025-12-31")


def test_evaluate_writes_the_results_folder(
    dataset: tuple[ls.Population, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Summary, title counts, rollup and the verdicts of every partition, as in memory."""
    pop, folder = dataset
    out = tmp_path / "results"
    assert main(["evaluate", str(folder), *BOOK, "--out", str(out), "--locale", "en"]) == 0
    captured = capsys.readouterr()
    ev = whole(pop)
    assert captured.out.strip() == ev.summary().to_text("en").strip()
    assert "1,500 persons in 3 partitions by province" in captured.err
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    # The rows of the population the dataset was written from, none rejected, and of the
    # units table written with it (as the files' units table is counted when read).
    assert summary.pop("rejects_file") is None
    units = len(pop.hierarchy)
    assert {
        t: (c["read"], c["accepted"], c["rejected"]) for t, c in summary.pop("rows").items()
    } == {"unit": (units, units, 0), **pop.rejects.counts()}
    assert summary == json.loads(json.dumps(ev.summary().to_dict()))
    counts = (out / "title_counts.csv").read_text("utf-8-sig").splitlines()
    assert counts[0] == "title,level,unit_code,entities,assessed,passed,unknown,status"
    assert any(line.endswith(",not_in_force") for line in counts[1:])
    assert len(counts) == 1 + len(ev.title_counts()) * len(pop.hierarchy)
    rollup = (out / "rollup.csv").read_text("utf-8-sig").splitlines()
    assert len(rollup) == 1 + len(ev.rollup().to_columns()["code"])
    for key in ("01", "02", "03"):
        assert (out / "verdicts" / f"province={key}" / "part-0.parquet").is_file()


@pytest.mark.parametrize("runner", [["--workers", "2"], ["--threads", "2"], ["--threads", "1"]])
def test_report_on_a_dataset_equals_in_memory_with_workers(
    dataset: tuple[ls.Population, Path], capsys: pytest.CaptureFixture[str], runner: list[str]
) -> None:
    """`learnsoc report DIR` gives the results table of the whole population, with
    --workers or --threads."""
    pop, folder = dataset
    code = main(["report", str(folder), *BOOK, "--format", "csv", "--quiet", *runner])
    assert code == 0
    ev = whole(pop)
    roll = ls.rollup(pop, ls.standard_measures(pop, titles=ls.standard_titles(ev)))
    assert capsys.readouterr().out == results(roll).to_csv(None, locale="en")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--households", "h.csv"], "--households: a dataset folder holds its own tables"),
        (["--units", "u.csv"], "--units: a dataset folder holds its own tables"),
        (["--by", "sex"], "--by is not supported on a dataset folder yet"),
    ],
)
def test_options_a_dataset_does_not_take(
    extra: list[str],
    message: str,
    dataset: tuple[ls.Population, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, folder = dataset
    assert main(["report", str(folder), *BOOK, *extra, "--locale", "en"]) == 2
    assert message in capsys.readouterr().err


def test_usage_errors(
    dataset: tuple[ls.Population, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A results folder in use, runners without a dataset, a folder that is not one: exit 2."""
    _, folder = dataset
    used = tmp_path / "used"
    used.mkdir()
    (used / "keep.txt").write_text("x")
    assert main(["evaluate", str(folder), *BOOK, "--out", str(used), "--locale", "en"]) == 2
    assert "is not a new or empty folder" in capsys.readouterr().err
    assert (used / "keep.txt").read_text() == "x"
    assert main(["evaluate", "p.csv", *BOOK, "--workers", "2", "--locale", "en"]) == 2
    assert "--workers runs the partitions of a dataset folder" in capsys.readouterr().err
    assert main(["evaluate", str(tmp_path), *BOOK, "--locale", "en"]) == 2
    assert "(with a manifest.json)" in capsys.readouterr().err
    assert main(["evaluate", str(folder), *BOOK, "--workers", "0"]) == 2
    assert main(["evaluate", str(folder), *BOOK, "--workers", "2", "--dask", "x"]) == 2
    assert main(["evaluate", str(folder), *BOOK, "--threads", "2", "--workers", "2"]) == 2
    assert "not allowed with argument" in capsys.readouterr().err
    assert main(["evaluate", str(folder), *BOOK, "--threads", "0"]) == 2
    assert main(["evaluate", "p.csv", *BOOK, "--threads", "2", "--locale", "en"]) == 2
    assert "--threads runs the partitions of a dataset folder" in capsys.readouterr().err


def test_usage_error_in_vietnamese(
    dataset: tuple[ls.Population, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, folder = dataset
    assert main(["report", str(folder), *BOOK, "--by", "sex", "--locale", "vi"]) == 2
    err = capsys.readouterr().err
    assert "--by" in err and "not supported" not in err


def test_inputs_of_units_from_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--inputs of communes and provinces decide their titles as evaluate(inputs=) does."""
    pop = ls.synthetic_population(persons=1_500, seed=3, hierarchy=tree(2))
    folder = tmp_path / "d"
    ls.write_dataset(pop, folder)
    book = ls.load_rulebook("vn-national")
    drawn = ls.synthetic_inputs(pop, book, seed=3)
    argv = ["evaluate", str(folder), *BOOK, "--locale", "en", "--quiet", "--out", "out"]
    for level in ("commune", "province"):
        cols: dict[str, object] = {"code": pop.hierarchy.codes_at(level)}
        for name, values in drawn[level].items():
            spec = next(s for s in book.inputs if s.level == level and s.name == name)
            bools = spec.kind == "bool"
            cols[name] = np.asarray(values).astype(int) if bools else np.asarray(values)
        write(tmp_path, f"{level}.csv", csv_text(cols))
        argv += ["--inputs", f"{level}={tmp_path / f'{level}.csv'}"]
    argv[argv.index("out")] = str(tmp_path / "out")
    assert main(argv) == 0, capsys.readouterr().err
    summary = json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))
    del summary["rows"], summary["rejects_file"]  # the dataset's rows (tested above)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        levels = {"commune", "province"}
        ev = ls.evaluate(pop, book, "2025-12-31", inputs={lv: drawn[lv] for lv in levels})
    expected = json.loads(json.dumps(ev.summary().to_dict()))
    assert summary == expected
    assert any(r["level"] == "province" and r["unknown"] == 0 for r in summary["titles"])
    # Inputs of entities would need every partition's ids: refused, with the levels it takes.
    write(tmp_path, "clan.csv", "clan_id,clan_promotes_learning\n1,1\n")
    clan = ["evaluate", str(folder), *BOOK, "--inputs", f"clan={tmp_path / 'clan.csv'}"]
    assert main([*clan, "--locale", "en"]) == 2
    assert "inputs of clans are not read from a file with a dataset folder" in (
        capsys.readouterr().err
    )


def test_the_dataset_line_names_the_partition_level_in_vietnamese(
    dataset: tuple[ls.Population, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The partition level is said as people say it ("cấp tỉnh"), not learnsoc's id."""
    _, folder = dataset
    out = tmp_path / "results"
    assert main(["evaluate", str(folder), *BOOK, "--out", str(out), "--locale", "vi"]) == 0
    assert "1.500 người trong 3 phân vùng theo cấp tỉnh" in capsys.readouterr().err


def test_evaluate_some_titles(
    dataset: tuple[ls.Population, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--titles: those titles and what they are decided from, counted as in the whole book."""
    pop, folder = dataset
    out = tmp_path / "results"
    argv = ["evaluate", str(folder), *BOOK, "--titles", "learning_family", "--out", str(out)]
    assert main([*argv, "--locale", "en", "--quiet"]) == 0
    capsys.readouterr()
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    got = {row["title"]: row for row in summary["titles"]}
    assert sorted(got) == ["learning_citizen", "learning_citizen_proxy", "learning_family"]
    expected = {row["title"]: row for row in whole(pop).summary().to_dict()["titles"]}
    assert all(got[t] == json.loads(json.dumps(expected[t])) for t in got)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--titles", "learning_famly"], "--titles: rulebook 'vn-national' has no title"),
        (["--titles", " , "], "select at least one title"),
    ],
)
def test_bad_titles_exit_2(
    dataset: tuple[ls.Population, Path],
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, folder = dataset
    assert main(["evaluate", str(folder), *BOOK, *argv, "--locale", "en"]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1


def test_titles_without_a_rulebook_exit_2(
    dataset: tuple[ls.Population, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, folder = dataset
    assert main(["report", str(folder), "--titles", "learning_family", "--locale", "en"]) == 2
    assert "--titles selects titles of a rulebook: give --rulebook too" in capsys.readouterr().err


def test_report_of_titles_not_in_force_above_the_partitions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As of 31/12/2022 learning districts and provinces (Circular 25/2023) are not in force.

    Partitioned by commune, they are decided after the merge: the report of the dataset,
    and of its results folder, says "not in force on 31/12/2022" as the report of the same
    population's files does, in every format, in English and Vietnamese (it said "0.00%,
    0 / 2, not met").
    """
    pop = ls.synthetic_population(persons=1_500, seed=21, hierarchy=tree(2, "vn-pre-2025"))
    files = tmp_path / "files"
    ls.io.write_population(pop, files)
    read = [str(files / "persons.csv"), "--levels", "vn-pre-2025"]
    for option, name in (
        ("--households", "households"),
        ("--units", "units"),
        ("--clans", "clans"),
        ("--organisations", "organisations"),
        ("--memberships", "memberships"),
    ):
        read += [option, str(files / f"{name}.csv")]
    folder, results = tmp_path / "by-commune", tmp_path / "results"
    ls.write_dataset(pop, folder, partition_by="commune")
    book = ["--rulebook", "vn-national", "--as-of", "31/12/2022"]
    assert main(["evaluate", str(folder), *book, "--out", str(results), "--quiet"]) == 0
    capsys.readouterr()
    for locale, status in (
        ("en", "not in force on 2022-12-31"),
        ("vi", "không có hiệu lực vào ngày 31/12/2022"),
    ):
        for fmt in ("csv", "markdown", "html", "text"):
            tail = ["--targets", "hanoi-23-nq-tu", "--format", fmt, "--locale", locale]
            outputs = []
            for argv in (
                [*read, *book, *tail],
                [str(folder), *book, *tail],
                [str(results), *tail],
            ):
                assert main(["report", *argv, "--quiet"]) == 0
                outputs.append(capsys.readouterr().out)
            assert outputs[1] == outputs[0], (locale, fmt)
            assert outputs[2] == outputs[0], (locale, fmt)
        rows = [  # of the text, the last format: one row per province
            line.rstrip()
            for line in outputs[0].splitlines()
            if line.startswith("0")
            and ("learning districts" in line or "học tập cấp huyện" in line)
        ]
        assert len(rows) == 2, locale
        assert all(row.endswith(status) for row in rows), rows


@pytest.mark.parametrize(
    ("locale", "note"),
    [
        ("en", "(partition province={key} of the dataset {path})"),
        ("vi", "(phân vùng province={key} của bộ dữ liệu {path})"),
    ],
)
def test_an_error_prints_its_notes_under_it(
    dataset: tuple[ls.Population, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    locale: str,
    note: str,
) -> None:
    """The notes an error gets on its way up (the partition; on Dask, the worker) print.

    The command line printed the error's message alone, so that "No space left on
    device" did not say for which partition (nor, with --dask, on which machine).
    """
    from learnsoc.io.dataset import read_dataset
    from learnsoc.scale import local

    _, folder = dataset
    ds = read_dataset(folder)

    tried: list[str] = []

    def full_disk(pop: ls.Population, *args: object, key: str, **kw: object) -> object:
        tried.append(key)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(local, "evaluate_partition", full_disk)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code = main(["evaluate", str(folder), *BOOK, "--threads", "1", "--locale", locale])
    assert code == 1
    lines = capsys.readouterr().err.splitlines()
    error = next(i for i, line in enumerate(lines) if "No space left on device" in line)
    assert tried and tried[0] in ds.partitions
    assert lines[error + 1] == "  " + note.format(key=tried[0], path=ds.path)
