"""learnsoc.scale.results: the results folder of a dataset's evaluation, read back exactly."""

from __future__ import annotations

import hashlib
import json
import shutil
import stat
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.io.writers import OutputPathError, atomic_path
from learnsoc.scale.results import ResultsError, read_results, write_results
from tests.io.helpers import reseal
from tests.io.test_dataset import tree

pytest.importorskip("pyarrow")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    root = tmp_path_factory.mktemp("saved")
    pop = ls.synthetic_population(persons=1_200, seed=5, hierarchy=tree(2, "vn-pre-2025"))
    ls.write_dataset(pop, root / "d")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ls.evaluate_dataset(root / "d", "hanoi", "2025-12-31", standard_measures=True)
    write_results(ev, root / "r", warnings=[{"en": "careful", "vi": "cẩn thận"}])
    return ev, root / "r"


def test_the_rollup_read_back_is_the_evaluation_s(written: tuple[Any, Path]) -> None:
    """Every column, value and dtype of the standard rollup, and what it says of itself."""
    ev, folder = written
    saved = read_results(folder)
    a, b = saved.standard_rollup().to_columns(), ev.standard_rollup().to_columns()
    assert list(a) == list(b)
    for column in b:
        assert a[column].dtype == b[column].dtype, column
        assert np.array_equal(a[column], b[column], equal_nan=a[column].dtype.kind == "f")
    assert saved.rulebook == "hanoi" and saved.as_of.isoformat() == "2025-12-31"
    assert saved.rulebook_version == ev.rulebook.info.version
    assert saved.partition_by == "province" and saved.persons == 1_200
    assert saved.warnings == ({"en": "careful", "vi": "cẩn thận"},)
    assert saved.hierarchy.levels == ev.hierarchy.levels


@pytest.fixture
def copy(written: tuple[Any, Path], tmp_path: Path) -> Path:
    shutil.copytree(written[1], tmp_path / "r")
    return tmp_path / "r"


def edit(folder: Path, change: Any) -> None:
    path = folder / "results.json"
    manifest = json.loads(path.read_text("utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest), "utf-8")


def field(*keys: str, value: Any) -> Any:
    def change(m: dict[str, Any]) -> None:
        for key in keys[:-1]:
            m = m[key]
        m[keys[-1]] = value

    return change


@pytest.mark.parametrize(
    "change",
    [
        field("rulebook", "id", value=1),
        field("hierarchy", value=3),
        field("rejected_rows", value=-1),
        field("inputs", value=[1]),
        field("warnings", value=[{"vi": "x"}]),
        field("measures", value=[]),
        field("absent_columns", value={"workers": [1]}),
        field("absent_columns", value=["workers"]),
        field("absent_columns", value={"workers": "employment"}),  # was read as 10 columns
        field("units", "file", value="other.parquet"),
        field("counts", "sha256", value=None),
        lambda m: m.pop("as_of"),
    ],
)
def test_a_field_missing_or_of_the_wrong_type(change: Any, copy: Path) -> None:
    edit(copy, change)
    with pytest.raises(ResultsError, match="a field is missing or has the wrong type") as caught:
        read_results(copy)
    assert caught.value.file == str(copy / "results.json")


def test_a_partition_level_the_tree_does_not_have(copy: Path) -> None:
    edit(copy, field("partition_by", value="hamlet"))
    with pytest.raises(ResultsError, match="its partition level is not a level of the tree"):
        read_results(copy)


def fixed_sha(folder: Path, name: str) -> None:
    digest = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    key = "units" if name == "units.parquet" else "counts"
    edit(folder, field(key, "sha256", value=digest))


def test_a_file_that_is_not_parquet_with_its_checksum(copy: Path) -> None:
    (copy / "units.parquet").write_bytes(b"not parquet at all")
    fixed_sha(copy, "units.parquet")
    with pytest.raises(ResultsError, match="not a readable Parquet file") as caught:
        read_results(copy)
    assert caught.value.file == str(copy / "units.parquet")


def test_rows_the_manifest_does_not_record(copy: Path) -> None:
    import pyarrow.parquet as pq

    table = pq.read_table(copy / "standard_counts.parquet")
    pq.write_table(table.slice(1), copy / "standard_counts.parquet")
    fixed_sha(copy, "standard_counts.parquet")
    with pytest.raises(ResultsError, match=r"the file has \d+ rows, results.json records"):
        read_results(copy)


def test_a_folder_is_written_with_its_manifest_last(copy: Path) -> None:
    """An interrupted write (no manifest) is told apart from a damaged one."""
    (copy / "results.json").unlink()
    with pytest.raises(ResultsError, match="an interrupted run leaves none"):
        read_results(copy)


def test_a_file_built_to_exhaust_memory_with_its_checksum(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A checksum edited with the file proves nothing: the file is checked before it is read.

    The old read decoded the 40 MiB name of a 6 KB units table.
    """
    from tests.io.test_dataset_bad import huge_name

    path = huge_name(copy / "units.parquet")
    fixed_sha(copy, "units.parquet")
    with pytest.raises(ls.io.FileFormatError) as caught:
        read_results(copy)
    assert caught.value.file == str(path)
    assert "column 'name' (row group 1 of 1) would decompress to" in str(caught.value)
    from learnsoc.cli import main

    capsys.readouterr()
    assert main(["report", str(copy)]) == 1
    err = capsys.readouterr().err
    assert "would decompress to" in err and "Traceback" not in err


def test_a_key_written_twice_in_the_manifest(copy: Path) -> None:
    """``"rejected_rows": 7, ... "rejected_rows": 0``: the old read kept the last value
    without a word, and reports said no row was rejected."""
    path = copy / "results.json"
    text = path.read_text("utf-8")
    assert json.loads(text)["rejected_rows"] == 0
    path.write_text(text.replace("{", '{"rejected_rows": 7, ', 1), "utf-8")
    with pytest.raises(ResultsError) as caught:
        read_results(copy)
    assert str(caught.value) == (
        f"{path}: not a learnsoc results manifest: the key 'rejected_rows' is written twice "
        "in one object; a manifest has each key once"
    )


def test_a_manifest_nested_thousands_deep(copy: Path) -> None:
    """Not JSON learnsoc wrote: an error naming it (the old read raised RecursionError).

    The nesting is counted before the file is parsed: with a raised recursion limit,
    parsing it crashed the process (see tests/io/test_dataset_hostile.py).
    """
    (copy / "results.json").write_text('{"a":' * 100_000 + "1" + "}" * 100_000, "utf-8")
    with pytest.raises(ResultsError) as caught:
        read_results(copy)
    assert str(caught.value) == (
        f"{copy / 'results.json'}: not a learnsoc results manifest: arrays and objects "
        "nested 100,000 deep; a manifest nests them at most 20 deep"
    )


def test_a_manifest_over_the_size_limit(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """results.json padded past 16 MiB: refused from its size before it is read (the old
    read parsed it whole), by ``learnsoc report`` too."""
    from learnsoc import limits
    from learnsoc.cli import main

    path = copy / "results.json"
    text = path.read_text("utf-8")
    path.write_text(text + "\n" * limits.MAX_MANIFEST_BYTES, "utf-8")
    size = len(text.encode("utf-8")) + limits.MAX_MANIFEST_BYTES
    with pytest.raises(ResultsError) as caught:
        read_results(copy)
    assert str(caught.value) == (
        f"{path}: the file is {size:,} bytes; results manifests are limited to "
        f"{limits.MAX_MANIFEST_BYTES:,} bytes"
    )
    capsys.readouterr()
    assert main(["report", str(copy), "--locale", "en"]) == 1
    err = capsys.readouterr().err
    assert "results manifests are limited to" in err and "Traceback" not in err


@pytest.mark.parametrize("name", ["results.json", "standard_counts.parquet", "units.parquet"])
def test_a_file_linked_out_of_the_folder(copy: Path, tmp_path: Path, name: str) -> None:
    """A file of the folder replaced by a link to one elsewhere: refused, naming the link
    (the old read followed it; a link with the right checksum read another folder's file)."""
    shutil.move(copy / name, tmp_path / name)
    (copy / name).symlink_to(tmp_path / name)
    with pytest.raises(ResultsError) as caught:
        read_results(copy)
    assert caught.value.file == str(copy / name)
    assert str(caught.value) == (
        f"{copy / name}: this is a symbolic link to {(tmp_path / name).resolve()}, outside the "
        "results folder; learnsoc reads the files of a results folder only inside it: copy "
        "the files into it, or link the whole folder instead"
    )


def test_the_results_folder_itself_may_be_a_link(copy: Path, tmp_path: Path) -> None:
    """The folder linked from elsewhere: read as it is."""
    (tmp_path / "linked").symlink_to(copy)
    a = read_results(tmp_path / "linked").standard_rollup().to_columns()
    b = read_results(copy).standard_rollup().to_columns()
    assert all(np.array_equal(a[c], b[c], equal_nan=a[c].dtype.kind == "f") for c in b)


def test_a_manifest_number_of_more_digits_than_python_reads(copy: Path) -> None:
    """Python's JSON reader stops at 4,300 digits: its ValueError was a traceback."""
    path = copy / "results.json"
    text = path.read_text("utf-8")
    path.write_text(text.replace('"layout"', '"huge": ' + "9" * 5_000 + ', "layout"', 1))
    with pytest.raises(ResultsError, match="not a learnsoc results manifest: it is not JSON"):
        read_results(copy)


def test_rejected_rows_past_any_number_of_rows(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """10³⁰ rejected rows: `learnsoc report` ended in a decimal.InvalidOperation traceback."""
    from learnsoc.cli import main

    edit(copy, field("rejected_rows", value=10**30))
    with pytest.raises(ResultsError, match="a field is missing or has the wrong type"):
        read_results(copy)
    capsys.readouterr()
    assert main(["report", str(copy)]) == 1
    err = capsys.readouterr().err
    assert "results.json: not a learnsoc results manifest" in err and "Traceback" not in err


def test_persons_the_counts_do_not_hold(copy: Path) -> None:
    """results.json edited to say 5 persons: the counts say otherwise (the old read said 5)."""
    persons = int(read_results(copy).standard.sums["persons"].sum())
    assert persons == json.loads((copy / "results.json").read_text("utf-8"))["persons"] == 1_200
    edit(copy, field("persons", value=5))
    with pytest.raises(ResultsError) as caught:
        read_results(copy)
    assert str(caught.value) == (
        f"{copy / 'results.json'}: results.json records 5 persons, standard_counts.parquet "
        "counts 1,200; the folder was changed after 'learnsoc evaluate' wrote it: run it again"
    )
    # Grouped as Vietnamese groups digits (the old message said 1,200 in Vietnamese too).
    said = caught.value.localized("vi")
    assert "standard_counts.parquet đếm được 1.200; thư mục" in said, said


@pytest.mark.parametrize("value", [-7, float("nan")])
def test_a_count_that_is_no_count(copy: Path, value: float) -> None:
    """A negative or NaN count with its checksum: named here, not in an indicator (exit 2)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = copy / "standard_counts.parquet"
    table = pq.read_table(path)
    j = table.column_names.index("adults")
    cells = table.column(j).to_numpy().astype(float if value != value else np.int64)
    cells[3] = value
    pq.write_table(table.set_column(j, "adults", pa.array(cells)), path)
    fixed_sha(copy, "standard_counts.parquet")
    with pytest.raises(ResultsError, match=r"column 'adults', row 4: (-7|nan) is not a count"):
        read_results(copy)


def test_both_rollups_give_byte_identical_reports(tmp_path: Path) -> None:
    """A dataset's rollup and its results folder's: the same reports, in en and vi.

    Both are built by one ``Rollup.from_partial(..., absent_columns=, not_in_force=,
    partial_members=)`` (they evolved the rollup each with its own copy of the code
    before). Here with measures absent (no employment column), not in force (districts,
    as of 2022) and decided on partial data, and equal to the rollup evolved as both did
    before.
    """
    import attrs
    import pyarrow.parquet as pq

    pop = ls.synthetic_population(persons=1_500, seed=21, hierarchy=tree(2, "vn-pre-2025"))
    ls.write_dataset(pop, tmp_path / "d", partition_by="commune")
    for path in (tmp_path / "d" / "persons").glob("*/part-0.parquet"):
        pq.write_table(pq.read_table(path).drop_columns(["employment"]), path)
    reseal(tmp_path / "d")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ls.evaluate_dataset(
            tmp_path / "d", "vn-national", "2022-12-31", standard_measures=True
        )
    write_results(ev, tmp_path / "r")
    saved = read_results(tmp_path / "r")
    live, back = ev.standard_rollup(), saved.standard_rollup()
    assert live.absent_columns["trained_workers"] == ("employment",)
    assert set(live.not_in_force) == {"learning_districts", "learning_provinces"}
    evolved = attrs.evolve(
        ls.Rollup.from_partial(saved.standard, saved.hierarchy),
        absent_columns=dict(saved.absent_columns),
        not_in_force=dict(saved.not_in_force),
        partial_members=dict(saved.partial_members or {}),
    )
    made = ls.Rollup.from_partial(
        saved.standard,
        saved.hierarchy,
        absent_columns=saved.absent_columns,
        not_in_force=saved.not_in_force,
        partial_members=saved.partial_members,
    )
    assert live.partial_members and live.partial_members == back.partial_members
    targets = ls.load_targets("hanoi-23-nq-tu")
    for locale in ("en", "vi"):
        texts = [ls.progress(r, targets).to_text(locale) for r in (live, back, evolved, made)]
        assert texts[1:] == texts[:1] * 3, locale
        pages = [ls.progress(r, targets).to_html(locale) for r in (live, back, evolved, made)]
        assert pages[1:] == pages[:1] * 3, locale
    assert "không có hiệu lực vào ngày 31/12/2022" in texts[0]  # the last locale: vi


@pytest.mark.parametrize("name", ["results.json", "standard_counts.parquet", "units.parquet"])
def test_a_link_planted_at_a_results_file_is_refused_not_replaced(
    written: tuple[Any, Path], tmp_path: Path, name: str
) -> None:
    """Writing results into a folder where a link stands at one of its files: refused,
    naming the link, before any file is written (the old writer replaced it silently)."""
    ev, _ = written
    out = tmp_path / "r"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep me", "utf-8")
    (out / name).symlink_to(elsewhere)
    with pytest.raises(OutputPathError) as caught:
        write_results(ev, out)
    assert caught.value.path == str(out / name)
    assert f"it is a symbolic link to {elsewhere}" in str(caught.value)
    assert (out / name).is_symlink() and elsewhere.read_text("utf-8") == "keep me"
    assert sorted(p.name for p in out.iterdir()) == [name]  # nothing else written


def test_a_file_replacing_a_link_does_not_take_the_link_targets_mode(tmp_path: Path) -> None:
    """atomic_path replaces a link at its target: the new file keeps its own mode, not the
    mode of the file the link named (which the old chmod copied, following the link)."""
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep me", "utf-8")
    elsewhere.chmod(0o606)
    link = tmp_path / "out.txt"
    link.symlink_to(elsewhere)
    plain = tmp_path / "plain.txt"
    for target in (link, plain):
        with atomic_path(target) as tmp:
            tmp.write_text("new", "utf-8")
    assert not link.is_symlink() and link.read_text("utf-8") == "new"
    assert elsewhere.read_text("utf-8") == "keep me"
    assert stat.S_IMODE(link.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode) != 0o606
