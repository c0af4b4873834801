"""A FIFO, a folder or a device where a file should be: "not a regular file", never a wait.

A FIFO opened for reading waits for a writer, for ever if none comes: every test here
has a guard that, after a few seconds, opens the FIFO for writing and closes it, so
that a reader that did wait (the old code) gets an empty file and the test fails
instead of hanging.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import learnsoc as ls
from learnsoc.io.csv import read_csv
from learnsoc.io.dataset import DatasetError, partition_file, read_dataset, write_dataset
from learnsoc.io.files import FileFormatError, not_regular, open_regular
from tests.io.test_dataset import tree

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")

NOT_REGULAR = (
    "is not a regular file (a device, a pipe or a socket); learnsoc reads only files "
    "saved on a disk"
)


@contextlib.contextmanager
def unblocked(fifo: Path, after: float = 3.0) -> Iterator[None]:
    """After ``after`` seconds, open ``fifo`` for writing and close it, as long as the
    block runs: a reader waiting on it then reads an empty file and goes on."""
    done = threading.Event()

    def writer() -> None:
        if done.wait(after):
            return
        while not done.is_set():
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as exc:  # ENXIO: no reader has it open (yet)
                if exc.errno not in (errno.ENXIO, errno.ENOENT):
                    return
                time.sleep(0.05)
                continue
            os.close(fd)
            time.sleep(0.05)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def fifo_at(path: Path) -> Path:
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_a_fifo_as_an_input_file(tmp_path: Path, suffix: str) -> None:
    """A CSV or a workbook waited for a writer for ever; a Parquet file was "no such file"."""
    pytest.importorskip("openpyxl")
    pytest.importorskip("pyarrow")
    fifo = fifo_at(tmp_path / f"persons{suffix}")
    with unblocked(fifo), pytest.raises(FileFormatError) as caught:
        ls.read_population(fifo, households=fifo, units=fifo)
    assert str(caught.value) == f"{fifo}: {NOT_REGULAR}"
    assert caught.value.file == str(fifo)
    vi = caught.value.localized("vi")
    assert "không phải là một tệp thông thường" in vi


def test_reading_a_fifo_directly(tmp_path: Path) -> None:
    fifo = fifo_at(tmp_path / "persons.csv")
    with unblocked(fifo), pytest.raises(FileFormatError, match="is not a regular file"):
        read_csv(fifo)
    with unblocked(fifo), pytest.raises(FileFormatError, match="is not a regular file"):
        open_regular(fifo)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_or_a_folder_as_an_input_file(tmp_path: Path) -> None:
    """``/dev/zero`` was read up to the line-length limit (16 MiB) and called a long line."""
    device = tmp_path / "persons.csv"
    device.symlink_to("/dev/zero")
    with pytest.raises(FileFormatError) as caught:
        read_csv(device)
    assert str(caught.value) == f"{device}: {NOT_REGULAR}"
    folder = tmp_path / "households.csv"
    folder.mkdir()
    with pytest.raises(FileFormatError) as caught:
        read_csv(folder)
    assert str(caught.value) == f"{folder}: is a directory, not a file"
    assert not_regular(tmp_path / "none.csv") is None


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("pyarrow")
    pop = ls.synthetic_population(persons=2_000, seed=3, hierarchy=tree(2))
    folder = tmp_path_factory.mktemp("fifo") / "d"
    write_dataset(pop, folder)
    return folder


def _copy(written: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(written, tmp_path / "d"))


@pytest.mark.parametrize(
    ("name", "read"),
    [
        ("manifest.json", read_dataset),
        ("units.parquet", read_dataset),
        ("persons/province=01/part-0.parquet", lambda d: read_dataset(d).partition("01")),
        ("households/province=02/part-0.parquet", lambda d: read_dataset(d).partition("02")),
    ],
)
def test_a_fifo_in_a_dataset(
    written: Path, tmp_path: Path, name: str, read: Callable[[Path], Any]
) -> None:
    """It was "no dataset manifest here", "... is missing", "partition file missing"."""
    folder = _copy(written, tmp_path)
    fifo = fifo_at(folder / name)
    with unblocked(fifo), pytest.raises(DatasetError) as caught:
        read(folder)
    assert str(caught.value) == f"{fifo}: {NOT_REGULAR}"
    if name.startswith("persons"):
        assert caught.value.partition == "01"


def test_a_folder_in_place_of_a_partition_file(written: Path, tmp_path: Path) -> None:
    folder = _copy(written, tmp_path)
    path = partition_file(folder, "persons", "province", "01")
    path.unlink()
    path.mkdir()
    with pytest.raises(DatasetError) as caught:
        read_dataset(folder).partition("01")
    assert str(caught.value) == f"{path}: is a directory, not a file"


@pytest.mark.parametrize("name", ["results.json", "standard_counts.parquet"])
def test_a_fifo_in_a_results_folder(written: Path, tmp_path: Path, name: str) -> None:
    from learnsoc.scale.results import ResultsError, read_results, write_results

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ls.evaluate_dataset(written, "example", "2025-12-31", standard_measures=True)
    write_results(ev, tmp_path / "r")
    assert (tmp_path / "r" / name).is_file()
    fifo = fifo_at(tmp_path / "r" / name)
    with unblocked(fifo), pytest.raises(ResultsError) as caught:
        read_results(tmp_path / "r")
    assert str(caught.value) == f"{fifo}: {NOT_REGULAR}"
