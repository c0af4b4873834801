"""``rollup_parquet`` on a folder reads each of its files once, and only its own files.

Arrow's dataset reader, which listed the folder, follows every symbolic link: one out of
the folder read another folder's files; one back into it (``again -> .``) read every
file again, up to 40 times (two such links make 2**40 paths: not tried here, as the
old code would not end).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.io.files import FileFormatError
from learnsoc.io.parquet import rollup_parquet

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

H = ls.synthetic_hierarchy(villages=3, seed=1)
VILLAGES = H.codes_at("village")


def folder_of_persons(root: Path) -> Path:
    """Two files of 3 and 2 persons under ``root/persons``; a third file elsewhere."""
    folder = root / "persons"
    (folder / "part=1").mkdir(parents=True)
    pq.write_table(
        pa.table({"unit_code": VILLAGES[[0, 0, 1]], "age": [30, 9, 70]}),
        folder / "part=1" / "a.parquet",
    )
    pq.write_table(pa.table({"unit_code": VILLAGES[[2, 2]], "age": [15, 40]}), folder / "b.parquet")
    (root / "elsewhere").mkdir()
    pq.write_table(
        pa.table({"unit_code": VILLAGES[[1] * 50], "age": [50] * 50}),
        root / "elsewhere" / "secret.parquet",
    )
    return folder


def persons_per_village(path: Path) -> list[int]:
    roll = rollup_parquet(path, H, {"persons": "person"})
    return [int(n) for n in roll.level("village").counts["persons"]]


def test_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    folder = folder_of_persons(tmp_path)
    (folder / "more").symlink_to(tmp_path / "elsewhere")
    assert persons_per_village(folder / "part=1") == [2, 1, 0]  # the folder read alone
    with pytest.raises(FileFormatError) as caught:
        persons_per_village(folder)
    assert caught.value.file == str(folder / "more")
    assert f"symbolic link to {(tmp_path / 'elsewhere').resolve()}" in str(caught.value)
    assert "liên kết tượng trưng" in caught.value.localized("vi")
    (folder / "more").unlink()
    (folder / "secret.parquet").symlink_to(tmp_path / "elsewhere" / "secret.parquet")
    with pytest.raises(FileFormatError, match="outside the folder"):
        persons_per_village(folder)


def test_links_inside_the_folder_read_each_file_once(tmp_path: Path) -> None:
    """Counted by hand: 2, 1 and 2 persons per village, whatever the links."""
    folder = folder_of_persons(tmp_path)
    assert persons_per_village(folder) == [2, 1, 2]
    (folder / "again").symlink_to(folder)  # a loop: was each file 40 times over
    (folder / "same.parquet").symlink_to(folder / "b.parquet")
    (folder / "part=2").symlink_to(folder / "part=1")
    assert persons_per_village(folder) == [2, 1, 2]
    # The folder itself may be a link.
    (tmp_path / "linked").symlink_to(folder)
    assert persons_per_village(tmp_path / "linked") == [2, 1, 2]


def test_hidden_files_are_skipped_as_before(tmp_path: Path) -> None:
    folder = folder_of_persons(tmp_path)
    (folder / "_SUCCESS").write_bytes(b"")
    (folder / ".b.parquet.crc").write_bytes(b"junk")
    assert persons_per_village(folder) == [2, 1, 2]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_or_a_dead_link_in_the_folder_is_named(tmp_path: Path) -> None:
    folder = folder_of_persons(tmp_path)
    os.mkfifo(folder / "c.parquet")
    with pytest.raises(FileFormatError, match="is not a regular file") as caught:
        persons_per_village(folder)
    assert caught.value.file == str(folder / "c.parquet")
    (folder / "c.parquet").unlink()
    (folder / "d.parquet").symlink_to(folder / "gone.parquet")
    with pytest.raises(FileFormatError, match="no such file"):
        persons_per_village(folder)


def test_a_single_file_is_read_as_before(tmp_path: Path) -> None:
    folder = folder_of_persons(tmp_path)
    counts = persons_per_village(folder / "b.parquet")
    assert np.array_equal(counts, [0, 0, 2])
