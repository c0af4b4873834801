"""``learnsoc synth``: a synthetic partitioned dataset from the command line."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest

import learnsoc as ls
from learnsoc.cli import main

pytest.importorskip("pyarrow")


pytestmark = pytest.mark.usefixtures("neutral_locale")


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_writes_a_dataset_that_evaluates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The dataset opens, holds the persons asked for, and evaluate_dataset runs on it."""
    out = tmp_path / "national"
    assert main(["synth", "--persons", "5000", "--out", str(out), "--seed", "3"]) == 0
    err = capsys.readouterr().err
    assert f"wrote {out}: 5,000 persons," in err
    assert "partitions by province: 1;" in err
    ds = ls.read_dataset(out)
    assert ds.n_persons == 5_000
    assert ds.partition_by == "province"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ls.evaluate_dataset(out, "vn-national", "2025-12-31")
    assert ev.summary().rows[0].entities == 5_000


def test_the_same_seed_writes_the_same_files(tmp_path: Path) -> None:
    """Deterministic by seed, byte for byte; another seed writes other values."""
    argv = ["synth", "--persons", "4000", "--partition-by", "commune", "--quiet"]
    assert main([*argv, "--out", str(tmp_path / "a"), "--seed", "11"]) == 0
    assert main([*argv, "--out", str(tmp_path / "b"), "--seed", "11"]) == 0
    assert main([*argv, "--out", str(tmp_path / "c"), "--seed", "12"]) == 0
    a, b, c = (files(tmp_path / k) for k in "abc")
    assert a == b
    assert set(a) == set(c)
    assert a != c
    assert ls.read_dataset(tmp_path / "a").partition_by == "commune"


def test_same_files_as_the_library_call(tmp_path: Path) -> None:
    """The command writes what ls.synth.write_synthetic_dataset writes."""
    assert main(["synth", "--persons", "3000", "--out", str(tmp_path / "cli"), "--quiet"]) == 0
    ls.synth.write_synthetic_dataset(tmp_path / "lib", persons=3_000, seed=7)
    assert files(tmp_path / "cli") == files(tmp_path / "lib")


def test_the_older_tree(tmp_path: Path) -> None:
    out = tmp_path / "d"
    argv = ["synth", "--persons", "3000", "--out", str(out), "--hierarchy", "vn-pre-2025"]
    assert main([*argv, "--partition-by", "district", "--quiet"]) == 0
    ds = ls.read_dataset(out)
    assert ds.hierarchy.levels == ("province", "district", "commune", "village")
    assert ds.partition_by == "district"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--persons", "0"], "--persons: give at least 1, not 0"),
        (["--persons", "10", "--partition-by", "district"], "'district' is not a level"),
        (["--persons", "10", "--partition-by", "provinces"], "did you mean 'province'"),
    ],
)
def test_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    """Bad options exit 2 with one line, and nothing is written."""
    assert main(["synth", "--out", str(tmp_path / "x"), *extra]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert not (tmp_path / "x").exists()


def test_a_folder_that_is_not_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "keep.txt").write_text("x")
    assert main(["synth", "--persons", "10", "--out", str(tmp_path)]) == 2
    assert "a dataset is written into a new or empty folder" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_required_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["synth", "--persons", "10"]) == 2
    assert "--out" in capsys.readouterr().err


def test_help_and_messages_in_vietnamese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--locale", "vi", "synth", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("cách dùng: learnsoc synth")
    assert "thư mục mới hoặc thư mục trống cho bộ dữ liệu" in out
    assert "Ghi một dân số mô phỏng theo Việt Nam" in out
    target = tmp_path / "d"
    assert main(["synth", "--persons", "2000", "--out", str(target), "--locale", "vi"]) == 0
    err = capsys.readouterr().err
    assert f"đã ghi {target}: 2.000 người," in err
    assert main(["synth", "--persons", "0", "--out", str(tmp_path / "e"), "--locale", "vi"]) == 2
    assert "--persons: cần ít nhất 1, không phải 0" in capsys.readouterr().err


def test_one_partition_in_memory_at_a_time(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Memory is that of the largest partition: no population of the whole is ever built."""
    import learnsoc.synth

    sizes: list[int] = []
    real = learnsoc.synth.synthetic_population

    def spy(persons: int, *args: Any, **kwargs: Any) -> ls.Population:
        sizes.append(persons)
        return real(persons, *args, **kwargs)

    monkeypatch.setattr(learnsoc.synth, "synthetic_population", spy)
    argv = ["synth", "--persons", "6000", "--out", str(tmp_path / "d"), "--quiet"]
    assert main([*argv, "--partition-by", "village"]) == 0
    assert sum(sizes) == 6_000
    assert len(sizes) == len(ls.read_dataset(tmp_path / "d").partitions) > 1
    assert max(sizes) < 6_000


def test_partition_by_takes_the_level_in_vietnamese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--partition-by xã`` is ``commune``; an unknown level is refused in Vietnamese."""
    out = tmp_path / "d"
    assert (
        main(["synth", "--persons", "2000", "--out", str(out), "--partition-by", "xã", "--quiet"])
        == 0
    )
    assert ls.read_dataset(out).partition_by == "commune"
    argv = ["--locale", "vi", "synth", "--persons", "10", "--out", str(tmp_path / "x")]
    argv += ["--partition-by", "trường"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "--partition-by: 'trường'" in err and "'commune' (cấp xã)" in err
    assert "expected" not in err


def test_the_rows_written_are_the_rows_read_as_a_built_dataset_says_them(tmp_path: Path) -> None:
    """A synthetic dataset records its rows read, as ``learnsoc dataset`` records a build's.

    Its manifest had no rows read, so a report of it said none (no ``rows_read``).
    """
    out = tmp_path / "synth"
    assert main(["synth", "--persons", "3000", "--out", str(out), "--quiet", "--seed", "2"]) == 0
    ds = ls.read_dataset(out)
    # Counted another way: the rows of every partition's files, and the units file.
    written: dict[str, int] = {}
    for key in ds.partitions:
        for table, n in ds.rows[key].items():
            written[table.removesuffix("s")] = written.get(table.removesuffix("s"), 0) + n
    assert ds.rejects.read == {"unit": len(ds.hierarchy), **written}
    assert ds.rejects.read["person"] == 3_000
    assert len(ds.rejects) == 0 and ds.rejects.file is None
    report = tmp_path / "report.json"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        argv = ["report", str(out), "--rulebook", "vn-national", "--as-of", "31/12/2025"]
        assert main([*argv, "--out", str(report), "--quiet"]) == 0
    doc = json.loads(report.read_text("utf-8"))
    person = doc["rows_read"]["person"]
    assert person == {"read": 3000, "accepted": 3000, "rejected": 0, "skipped": 0}
