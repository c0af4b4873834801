"""Datasets built to harm, or left as other tools leave them: each read stops with a named error.

A manifest of megabytes or nested 200,000 deep, a symbolic link that leads out of the
dataset (an archive can carry one to any file of the machine that opens it), a column of
lists, bytes that are not UTF-8 or a damaged page in the id columns or the units table
that the open reads: each is a :mod:`learnsoc.errors` error naming the file, never a
pyarrow traceback, a crash or a file read from elsewhere. The files Spark and macOS
leave beside the partitions are ignored, as other tools ignore them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import learnsoc as ls
from learnsoc import limits
from learnsoc.cli import main
from learnsoc.io.dataset import DatasetError, read_dataset, write_dataset
from learnsoc.io.files import FileFormatError
from tests.io.dataset_copies import evaluate, file_of, fresh_copy, good_dataset
from tests.io.helpers import reseal
from tests.io.test_dataset import tree

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return good_dataset(tmp_path_factory, "hostile", persons=3_000)


@pytest.fixture
def folder(written: Path, tmp_path: Path) -> Path:
    return fresh_copy(written, tmp_path)


def rewrite(folder: Path, table: str, key: str, edit: Callable[[Any], Any]) -> Path:
    """Rewrite one partition file with ``edit(table)`` (the same number of rows).

    The manifest is given the file's new fingerprint: what is read is the edit's doing.
    """
    path = file_of(folder, table, key)
    pq.write_table(edit(pq.read_table(path)), path)
    reseal(folder)
    return path


# -- the manifest: its size and its nesting --------------------------------------------------


def test_a_manifest_over_the_size_limit_is_refused_before_it_is_read(folder: Path) -> None:
    """A real manifest padded past 16 MiB: refused from its size (the old read took it).

    The limit is checked with ``stat``: a manifest of gigabytes costs nothing either.
    """
    path = folder / "manifest.json"
    text = path.read_text("utf-8")
    path.write_text(text + " " * limits.MAX_MANIFEST_BYTES, "utf-8")
    with pytest.raises(DatasetError) as caught:
        read_dataset(folder)
    assert str(caught.value) == (
        f"{path}: the file is {len(text) + limits.MAX_MANIFEST_BYTES:,} bytes; dataset "
        f"manifests are limited to {limits.MAX_MANIFEST_BYTES:,} bytes"
    )
    assert caught.value.file == str(path)
    assert "tệp có" in caught.value.localized("vi")


@pytest.mark.skipif(sys.platform == "win32", reason="NTFS allocates the 8 GiB")
def test_a_manifest_of_gigabytes_costs_nothing(folder: Path) -> None:
    """A sparse file of 8 GiB: refused from its size, nothing read."""
    path = folder / "manifest.json"
    with open(path, "r+b") as f:
        f.truncate(8 << 30)
    with pytest.raises(DatasetError, match=r"the file is 8,589,934,592 bytes; dataset manifests"):
        read_dataset(folder)


def test_a_manifest_nested_deep_is_refused_before_it_is_parsed(folder: Path) -> None:
    """Brackets nested 200,000 deep are counted, not parsed (the old read parsed them)."""
    (folder / "manifest.json").write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(DatasetError) as caught:
        read_dataset(folder)
    assert str(caught.value) == (
        f"{folder / 'manifest.json'}: not a learnsoc dataset manifest: arrays and objects "
        "nested 200,000 deep; a manifest nests them at most 20 deep"
    )
    assert "lồng nhau" in caught.value.localized("vi")


def test_a_manifest_nested_deep_does_not_crash_with_a_raised_recursion_limit(
    folder: Path,
) -> None:
    """With ``sys.setrecursionlimit(10**6)`` (as notebooks do for deep pickles), Python's
    JSON reader recursed 200,000 deep into the C stack: the process died of a
    segmentation fault. The brackets are now counted before anything is parsed."""
    (folder / "manifest.json").write_text("[" * 200_000 + "]" * 200_000)
    code = (
        "import sys; sys.setrecursionlimit(10**6)\n"
        "import learnsoc as ls\n"
        "try:\n"
        f"    ls.read_dataset({str(folder)!r})\n"
        "except ls.io.DatasetError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "nested 200,000 deep" in done.stdout


def test_brackets_inside_strings_do_not_count(folder: Path) -> None:
    """A rejects file name full of brackets is text, not nesting: the dataset reads."""
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    name = "[" * 50 + "{" * 50 + '"\\'
    manifest["rejects"]["file"] = name
    (folder / name).write_text("", "utf-8")
    path.write_text(json.dumps(manifest), "utf-8")
    assert read_dataset(folder).rejects.file == str(folder / name)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_in_a_manifest_is_not_json(folder: Path, constant: str) -> None:
    """Python reads NaN and Infinity in JSON; JSON has none. A column's NaN minimum was
    read as no bound at all: every value passed the check."""
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    manifest["columns"] = {
        "person": [{"name": "score", "kind": "int", "label": "", "dtype": "uint8", "minimum": 0}]
    }
    text = json.dumps(manifest).replace('"minimum": 0', f'"minimum": {constant}')
    path.write_text(text, "utf-8")
    with pytest.raises(DatasetError, match="not a learnsoc dataset manifest: it is not JSON"):
        read_dataset(folder)


def test_a_key_written_twice_in_a_manifest_is_refused(folder: Path) -> None:
    """Python keeps the last of two values silently (another reader the first): an
    edited manifest saying two things was read as one of them."""
    path = folder / "manifest.json"
    text = path.read_text("utf-8")
    manifest = json.loads(text)
    persons = manifest["partitions"][0]["rows"]["persons"]
    doubled = text.replace('"persons": ', f'"persons": {persons + 1}, "persons": ', 1)
    assert json.loads(doubled) == manifest  # what the old read took, without a word
    path.write_text(doubled, "utf-8")
    with pytest.raises(DatasetError) as caught:
        read_dataset(folder)
    assert str(caught.value) == (
        f"{path}: not a learnsoc dataset manifest: the key 'persons' is written twice in one "
        "object; a manifest has each key once"
    )
    vi = caught.value.localized("vi")
    assert "'persons'" in vi and "hai lần" in vi


def test_a_manifest_saved_by_notepad_is_read(folder: Path, written: Path) -> None:
    """A byte-order mark in front (Windows Notepad writes one): the same dataset.

    It was "not a learnsoc dataset manifest: it is not JSON".
    """
    path = folder / "manifest.json"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    ds = read_dataset(folder)
    assert ds.rows == read_dataset(written).rows
    assert ds.partition("02").n_persons == read_dataset(written).partition("02").n_persons


def test_a_manifest_too_large_to_read_back_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dataset whose manifest the reader would refuse is refused when written.

    With the limit lowered to 1 KB, three partitions' manifest (about 3 KB with the files'
    fingerprints) is over it.
    """
    monkeypatch.setattr(limits, "MAX_MANIFEST_BYTES", 1_000)
    pop = ls.synthetic_population(persons=500, seed=3, hierarchy=tree(3))
    with pytest.raises(DatasetError, match=r"the dataset manifest would be \d,\d{3} bytes \(3 "):
        write_dataset(pop, tmp_path / "d")
    assert not (tmp_path / "d" / "manifest.json").exists()


# -- symbolic links ------------------------------------------------------------------------


def move_out(folder: Path, inside: Path, outside: Path) -> Path:
    """Move ``inside`` to ``outside`` and leave a link to it in its place."""
    shutil.move(inside, outside)
    inside.symlink_to(outside)
    return inside


def test_a_partition_folder_linked_out_of_the_dataset(folder: Path, tmp_path: Path) -> None:
    """Province 02's persons elsewhere on the machine: refused, naming the link and its
    target. The old read counted the file the link led to as the partition's."""
    link = move_out(folder, folder / "persons" / "province=02", tmp_path / "elsewhere")
    for attempt in (lambda: read_dataset(folder), lambda: evaluate(folder)):
        with pytest.raises(DatasetError) as caught:
            attempt()
        assert caught.value.file == str(link)
        assert caught.value.partition == "02"
        assert str(caught.value) == (
            f"{link}: this is a symbolic link to {(tmp_path / 'elsewhere').resolve()}, outside "
            "the dataset's folder; learnsoc reads a dataset's files only inside its folder: "
            "copy the files into it, or link (or mount) the whole dataset folder instead"
        )


@pytest.mark.parametrize(
    "inside",
    [
        "clans/province=01/part-0.parquet",
        "units.parquet",
        "manifest.json",
        "households",
    ],
)
def test_any_file_linked_out_of_the_dataset(folder: Path, tmp_path: Path, inside: str) -> None:
    """A file, the units table, the manifest, a whole table's folder: the same refusal."""
    link = move_out(folder, folder / inside, tmp_path / "elsewhere")
    with pytest.raises(
        DatasetError, match=r"symbolic link to .*outside the dataset's folder"
    ) as caught:
        read_dataset(folder)
    assert caught.value.file == str(link)


def test_a_link_to_a_device_is_refused_as_a_link(folder: Path) -> None:
    """A partition file linked to /dev/zero: named as a link, never opened."""
    path = file_of(folder, "persons", "03")
    path.unlink()
    path.symlink_to("/dev/zero")
    with pytest.raises(DatasetError, match="symbolic link to /dev/zero") as caught:
        read_dataset(folder)
    assert caught.value.file == str(path)


def test_a_rejects_file_linked_out_of_the_dataset(folder: Path, tmp_path: Path) -> None:
    """The rejects file the manifest names, linked elsewhere: refused too."""
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    manifest["rejects"]["file"] = "rejects.csv"
    path.write_text(json.dumps(manifest), "utf-8")
    (tmp_path / "theirs.csv").write_text("", "utf-8")
    (folder / "rejects.csv").symlink_to(tmp_path / "theirs.csv")
    with pytest.raises(DatasetError, match="symbolic link") as caught:
        read_dataset(folder)
    assert caught.value.file == str(folder / "rejects.csv")


def test_the_dataset_folder_itself_may_be_a_link(written: Path, tmp_path: Path) -> None:
    """On a cluster, ``/data/national`` linked to the shared storage: read as it is."""
    (tmp_path / "national").symlink_to(written)
    linked = read_dataset(tmp_path / "national")
    assert linked.rows == read_dataset(written).rows
    assert evaluate(tmp_path / "national").summary() == evaluate(written).summary()


def test_a_link_that_stays_inside_the_dataset_is_followed(folder: Path) -> None:
    """A partition's folder moved elsewhere in the dataset, linked by a relative link."""
    before = read_dataset(folder).partition("01")
    inside = folder / "persons" / "province=01"
    shutil.move(inside, folder / "kept-01")
    inside.symlink_to(Path("..") / "kept-01")
    after = read_dataset(folder).partition("01")
    assert after.n_persons == before.n_persons
    assert (after.person_ids == before.person_ids).all()


def test_the_command_line_names_the_link(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``learnsoc evaluate DIR``: exit code 1 and the link named, no traceback."""
    link = move_out(folder, folder / "persons" / "province=03", tmp_path / "elsewhere")
    args = ["evaluate", str(folder), "--rulebook", "example", "--as-of", "30/06/2025"]
    assert main([*args, "--out", str(tmp_path / "r"), "--locale", "en"]) == 1
    err = capsys.readouterr().err
    assert f"{link}: this is a symbolic link to" in err
    assert "Traceback" not in err


# -- columns that the open reads: ids and the units table ------------------------------------


def test_a_column_of_lists_for_ids_is_named(folder: Path) -> None:
    """Household ids written as lists: the reader's error (it was pyarrow's
    ArrowNotImplementedError, "Unsupported cast from list<element: int64> to utf8")."""
    path = rewrite(
        folder,
        "households",
        "02",
        lambda t: t.set_column(0, "household_id", pa.array([[i] for i in t.column(0).to_pylist()])),
    )
    with pytest.raises(FileFormatError) as caught:
        read_dataset(folder)
    assert caught.value.file == str(path)
    assert "column 'household_id' holds lists of values" in str(caught.value)


def test_ids_in_bytes_that_are_not_utf8_are_named(folder: Path) -> None:
    """Binary ids (as older tools write text) with a byte that is no UTF-8: named (it was
    pyarrow's ArrowInvalid "Invalid UTF8 payload")."""
    path = rewrite(
        folder,
        "persons",
        "01",
        lambda t: t.set_column(
            0, "person_id", pa.array([b"\xff" + str(i).encode() for i in t.column(0).to_pylist()])
        ),
    )
    with pytest.raises(FileFormatError) as caught:
        read_dataset(folder)
    assert caught.value.file == str(path)
    assert "column 'person_id' (row group 1 of 1) holds bytes that are not UTF-8" in str(
        caught.value
    )


def test_binary_ids_that_are_text_are_read_as_text(folder: Path, written: Path) -> None:
    """Binary ids of UTF-8 text, in every partition: the same dataset, the same checks."""
    for key in ("01", "02", "03"):
        rewrite(
            folder,
            "persons",
            key,
            lambda t: t.set_column(
                0, "person_id", pa.array([str(i).encode() for i in t.column(0).to_pylist()])
            ),
        )
    for key in ("01", "02", "03"):
        got = read_dataset(folder).partition(key)
        assert sorted(got.person_ids.tolist()) == sorted(
            read_dataset(written).partition(key).person_ids.tolist()
        )


def test_date_ids_are_no_range_to_compare(folder: Path) -> None:
    """Person ids written as dates: the open compared the dates' statistics as numbers
    and stopped with a TypeError; now the partition's read names what is wrong."""
    import datetime

    day = datetime.date(2000, 1, 1)
    path = rewrite(
        folder,
        "persons",
        "02",
        lambda t: t.set_column(
            0,
            "person_id",
            pa.array([day + datetime.timedelta(days=i) for i in t.column(0).to_pylist()]),
        ),
    )
    ds = read_dataset(folder)
    assert pq.read_table(path).column("person_id").type == pa.date32()
    with pytest.raises(DatasetError, match="rows were rejected when read") as caught:
        ds.partition("02")
    assert caught.value.partition == "02"


def damage_pages(path: Path, compression: str) -> None:
    """Rewrite with ``compression`` and flip bytes of the first column's pages (the footer
    kept whole, so the file opens)."""
    pq.write_table(pq.read_table(path), path, compression=compression)
    chunk = pq.ParquetFile(path).metadata.row_group(0).column(0)
    data = bytearray(path.read_bytes())
    start = chunk.data_page_offset
    for i in range(start + 30, start + chunk.total_compressed_size - 4, 5):
        data[i] ^= 0xA5
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("compression", ["none", "snappy"])
def test_damaged_pages_of_the_units_table_are_named(folder: Path, compression: str) -> None:
    """The old read stopped with pyarrow's OSError "Couldn't deserialize thrift"."""
    path = folder / "units.parquet"
    damage_pages(path, compression)
    with pytest.raises(FileFormatError, match=r"not a readable Parquet file \(row group 1 of 1\)"):
        read_dataset(folder)


@pytest.mark.parametrize("compression", ["none", "snappy"])
def test_damaged_pages_of_an_id_column_read_at_the_open_are_named(
    folder: Path, compression: str
) -> None:
    """Text ids (their statistics give no range) are read by the open: a damaged page
    was pyarrow's OSError ("Corrupt snappy compressed data"), naming no file."""
    for key in ("01", "02", "03"):
        rewrite(
            folder,
            "persons",
            key,
            lambda t: t.set_column(0, "person_id", t.column(0).cast(pa.string())),
        )
    path = file_of(folder, "persons", "02")
    damage_pages(path, compression)
    with pytest.raises(FileFormatError) as caught:
        read_dataset(folder)
    assert caught.value.file == str(path)
    assert "not a readable Parquet file (row group 1 of 1)" in str(caught.value)


def test_a_units_code_column_of_lists_is_named(folder: Path) -> None:
    """It was read as the text "[1]" and refused as codes used twice."""
    path = folder / "units.parquet"
    table = pq.read_table(path)
    pq.write_table(table.set_column(0, "code", pa.array([[1]] * table.num_rows)), path)
    with pytest.raises(FileFormatError, match="column 'code' holds lists of values"):
        read_dataset(folder)


# -- what other tools leave in the folders --------------------------------------------------


def test_files_spark_and_macos_leave_are_ignored(folder: Path, written: Path) -> None:
    """Spark's _SUCCESS, its hidden .crc files and _temporary folder, macOS's ._ and
    .DS_Store files: every hive reader skips names starting with '.' or '_', so does
    learnsoc; the evaluation is the same."""
    part = folder / "persons" / "province=01"
    for name in ("._part-0.parquet", ".part-0.parquet.crc", "_SUCCESS", "._SUCCESS.crc"):
        (part / name).write_bytes(b"\x00\x05\x16\x07 not parquet")
    (folder / "persons" / "_temporary" / "0").mkdir(parents=True)
    (folder / "persons" / "_temporary" / "0" / "part-1.parquet").write_bytes(b"PAR1")
    (folder / "households" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (folder / "_SUCCESS").write_text("", "utf-8")
    assert evaluate(folder).summary() == evaluate(written).summary()


@pytest.mark.parametrize(
    "name",
    ["province=", "province=%2F..", "province=01 ", "province=\uff10\uff11", "Province=01"],
)
def test_a_partition_folder_of_an_odd_name_is_named(folder: Path, name: str) -> None:
    """Not a partition the manifest lists (a hive reader would count its rows): named."""
    stray = folder / "persons" / name
    shutil.copytree(folder / "persons" / "province=02", stray)
    with pytest.raises(DatasetError, match="not a partition file the manifest lists") as caught:
        read_dataset(folder)
    assert caught.value.file == str(stray)


def test_a_visible_crc_file_is_named(folder: Path) -> None:
    """A checksum file not hidden (Hadoop hides its own): tools reading the folder would
    try it as Parquet, so it is named rather than skipped."""
    stray = file_of(folder, "persons", "01").with_name("part-0.parquet.crc")
    stray.write_bytes(b"crc")
    with pytest.raises(DatasetError, match="not a partition file the manifest lists") as caught:
        read_dataset(folder)
    assert caught.value.file == str(stray)


def test_partition_folders_renamed_in_decomposed_unicode(tmp_path: Path) -> None:
    """A level named ``vùng`` (the user's own: ``tỉnh`` is the province), its folders
    copied back with the accents as separate marks (NFD): the folder is there and named,
    with how to rename it. It said "partition file missing" of a folder the user could see."""
    h = ls.Hierarchy.from_units(
        {
            "code": ["01", "02", "0101", "0201"],
            "level": ["vùng", "vùng", "điểm", "điểm"],
            "parent_code": ["", "", "01", "02"],
        },
        levels=["vùng", "điểm"],
    )
    pop = ls.synthetic_population(persons=300, seed=1, hierarchy=h)
    ds = write_dataset(pop, tmp_path / "d", partition_by="vùng")
    for entry in list((ds.path / "clans").iterdir()):
        entry.rename(entry.with_name(unicodedata.normalize("NFD", entry.name)))
    decomposed = ds.path / "clans" / unicodedata.normalize("NFD", "vùng=01")
    with pytest.raises(DatasetError, match="accents written as separate marks") as caught:
        read_dataset(ds.path)
    assert caught.value.file == str(decomposed)
    assert "rename it to 'vùng=01'" in str(caught.value)
    assert os.path.isdir(decomposed)
