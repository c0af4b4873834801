"""Fuzzing every reader: a mutated file ends in a learnsoc error or with every row counted.

Issue 14's contract, checked on deterministic mutations of valid seed files (CSV with both
engines, Excel, Parquet, mapping, rulebook and target files): the only outcomes allowed are
a :class:`learnsoc.errors.LearnsocError`, or success with accepted + rejected = read for
every table and "read" equal to the records the file holds (counted without learnsoc).
A hang, a crash, a ``MemoryError`` or any other exception is a finding. Each case runs in a
guarded worker process (:mod:`tests.fuzz.harness`).

Budget (environment): ``LEARNSOC_FUZZ_EXAMPLES`` cases per reader and mutation family
(default 3: about half a minute in all), ``LEARNSOC_FUZZ_SEED`` (another base seed
explores other files), ``LEARNSOC_FUZZ_TIMEOUT`` seconds per case (default 15) and
``LEARNSOC_FUZZ_SAVE``, a folder to copy violating files into. For a long local run use
``python -m tests.fuzz.run --minutes 15 --save /tmp/fuzz-found``.

The corpus (``tests/fuzz/corpus/<reader>/<role>--<name>.<ext>``) keeps every file that
found a bug; each is re-run on every test run. Known faults are expected failures
(``xfail(strict=True)``) naming the fault of issue 14 (or the finding) they show; when a
fix lands, its strict xfail fails and the marker is removed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fuzz import harness, mutate
from tests.fuzz.worker import csv_records

EXAMPLES = harness.env_int("LEARNSOC_FUZZ_EXAMPLES", 3)
BASE_SEED = harness.env_int("LEARNSOC_FUZZ_SEED", 0)
TIMEOUT = float(harness.env_int("LEARNSOC_FUZZ_TIMEOUT", 15))

#: (reader, family) pairs that break the contract at the default budget, and why. Empty:
#: every finding of issue 14 is fixed (the files that showed them are in the corpus). A
#: new finding that cannot be fixed at once goes here as an ``xfail(strict=True)``.
KNOWN: dict[tuple[str, str], str] = {}

#: Corpus files (``reader/file name``) that still break the contract, and why.
KNOWN_CORPUS: dict[str, str] = {}


@pytest.fixture(scope="module")
def worker() -> Iterator[harness.Worker]:
    """One guarded worker process for the module, restarted after each hang or crash."""
    w = harness.Worker(timeout=TIMEOUT)
    yield w
    w.close()


def _params() -> list[object]:
    out: list[object] = []
    for reader, spec in harness.READERS.items():
        for family in spec["families"]:
            marks = []
            if (reader, family) in KNOWN:
                marks.append(pytest.mark.xfail(strict=True, reason=KNOWN[reader, family]))
            out.append(pytest.param(reader, family, marks=marks, id=f"{reader}-{family}"))
    return out


def _report(outcomes: list[harness.Outcome]) -> str:
    lines = [o.summary() for o in outcomes]
    return f"{len(lines)} case(s) broke the contract:\n" + "\n".join(lines)


@pytest.mark.parametrize(("reader", "family"), _params())
def test_mutated_files_end_in_a_learnsoc_error_or_every_row_counted(
    worker: harness.Worker, tmp_path: Path, reader: str, family: str
) -> None:
    """Each mutated file: a LearnsocError, or accepted + rejected = read = the file's records."""
    bad = []
    for index in range(EXAMPLES):
        case = harness.make_case(reader, family, index, BASE_SEED, tmp_path)
        outcome = worker.run(case)
        if outcome.violation:
            bad.append(outcome)
            save = os.environ.get("LEARNSOC_FUZZ_SAVE")
            if save:
                harness.save(outcome, Path(save))
        shutil.rmtree(case.folder, ignore_errors=True)
    assert not bad, _report(bad)


def _corpus_params() -> list[object]:
    out: list[object] = []
    for reader, path in harness.corpus_files():
        key = f"{reader}/{path.name}"
        marks = []
        if key in KNOWN_CORPUS:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_CORPUS[key]))
        out.append(pytest.param(reader, path, marks=marks, id=key))
    return out


@pytest.mark.parametrize(("reader", "path"), _corpus_params())
def test_corpus_files_end_in_a_learnsoc_error_or_every_row_counted(
    worker: harness.Worker, tmp_path: Path, reader: str, path: Path
) -> None:
    """Every file that once found a bug keeps to the contract."""
    outcome = worker.run(harness.corpus_case(reader, path, tmp_path))
    assert not outcome.violation, _report([outcome])


def test_every_corpus_file_names_a_reader_and_a_role() -> None:
    """A corpus file in the wrong folder or without a role would never run."""
    for folder in harness.CORPUS.iterdir():
        assert folder.name in harness.READERS, folder
    for reader, path in harness.corpus_files():
        role = path.name.split("--", 1)[0]
        assert role in harness.READERS[reader]["files"], path
    names = {f"{r}/{p.name}" for r, p in harness.corpus_files()}
    assert set(KNOWN_CORPUS) <= names, set(KNOWN_CORPUS) - names


@pytest.mark.parametrize("reader", sorted(harness.READERS))
def test_the_seeds_read_cleanly(worker: harness.Worker, tmp_path: Path, reader: str) -> None:
    """The unmutated seeds load with nothing rejected: a finding is the mutation's doing."""
    folder = tmp_path / reader
    folder.mkdir()
    spec = harness.READERS[reader]
    for name in spec["files"].values():
        shutil.copyfile(harness.SEEDS / spec["seeds"] / name, folder / name)
    case = harness.Case(reader, folder, dict(spec["files"]), None, f"seeds {reader}")
    outcome = worker.run(case)
    assert outcome.status == "ok", outcome.summary()
    for read, accepted, rejected in outcome.result.get("counts", {}).values():
        assert (read, accepted, rejected) == (read, read, 0)
    if reader.startswith("csv") or reader in ("xlsx", "parquet", "mapping"):
        assert outcome.result["counts"]["person"] == [300, 300, 0]
        assert outcome.result["unverified"] == []


def test_mutations_are_deterministic(tmp_path: Path) -> None:
    """Case i of a family is the same file every time (CI findings can be replayed)."""
    for reader in ("csv-python", "xlsx", "parquet", "rulebook"):
        family = next(iter(harness.READERS[reader]["families"]))
        a = harness.make_case(reader, family, 7, 0, tmp_path / "a")
        b = harness.make_case(reader, family, 7, 0, tmp_path / "b")
        c = harness.make_case(reader, family, 8, 0, tmp_path / "c")
        assert a.role == b.role
        pa, pb, pc = a.mutated(), b.mutated(), c.mutated()
        assert pa is not None and pb is not None and pc is not None
        assert pa.read_bytes() == pb.read_bytes()
        assert pa.read_bytes() != pc.read_bytes() or a.role != c.role


def test_both_csv_engines_get_the_same_files(tmp_path: Path) -> None:
    """The two engines are fed identical mutations, so their outcomes can be compared."""
    a = harness.make_case("csv-pyarrow", "havoc", 2, 0, tmp_path / "a")
    b = harness.make_case("csv-python", "havoc", 2, 0, tmp_path / "b")
    pa, pb = a.mutated(), b.mutated()
    assert pa is not None and pb is not None
    assert pa.read_bytes() == pb.read_bytes()


# -- the record count the contract is checked against ------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a,b\n1,2\n3,4\n", (2, 2)),
        ("a,b\r\n1,2\r\n\r\n3,4", (2, 2)),  # a blank line is no record; no final break
        ("a,b\r1,2\r3,4\r", (2, 2)),  # old-Mac line breaks
        ('a,b\n1,"x\ny"\n3,4\n', (2, 3)),  # a quoted line break joins two lines
        ('a,b\n1,"x""y"\n', (1, 1)),  # a doubled quote inside quotes
        ('a,b\n1,x"y\n2,3\n', (2, 2)),  # a quote inside a cell opens nothing
        ('a,b\n1,"x\n2,3\n4,5\n', (3, 3)),  # unclosed: resume on the next line
        ('a,b\n1,"x\n2,"y\n4,5\n', (2, 3)),  # the second quote closes the first
        ('a,"b\nc"\n1,2\n', (1, 2)),  # a header spanning two lines
        ("\n\na,b\n1,2\n", (1, 1)),  # blank lines before the header
        ("", (0, 0)),
    ],
)
def test_csv_records_counts_what_a_file_holds(text: str, expected: tuple[int, int]) -> None:
    """The independent count: (fewest, most) records after the header."""
    assert csv_records(text, ",") == expected


def test_csv_records_agrees_with_the_csv_module_on_closed_quotes() -> None:
    """Where every quote closes, the fewest is what Python's csv module reads."""
    import csv
    import io
    import random

    rng = random.Random(3)  # noqa: S311 -- reproducible test texts
    alphabet = ['"', ",", "\n", "\r\n", "a", "1", " "]
    for _ in range(300):
        text = "h1,h2\n" + "".join(rng.choice(alphabet) for _ in range(40))
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=False))
        try:
            list(csv.reader(io.StringIO(text, newline=""), strict=True))
        except csv.Error:
            continue  # an unclosed quote or a stray one: the count differs on purpose
        expected = sum(1 for r in rows if r) - 1
        assert csv_records(text, ",")[0] == expected, repr(text)


# -- the guard itself --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("runner", "kind"),
    [
        ("_hang", "hang"),
        ("_crash", "crash"),
        ("_memory", "memory"),
        ("_foreign", "foreign exception"),
    ],
)
def test_the_worker_turns_hangs_crashes_and_blowups_into_findings(
    tmp_path: Path, runner: str, kind: str
) -> None:
    """A hang is stopped, a dead process restarted, an allocation beyond the limit caught."""
    w = harness.Worker(timeout=3)
    try:
        outcome = w.run(harness.Case(runner, tmp_path, {}, None, runner))
        assert outcome.violation and outcome.result["kind"] == kind, outcome.summary()
        # The next case runs in a working process.
        ok = w.run(harness.Case("_ok", tmp_path, {}, None, "ok"))
        assert ok.status == "ok", ok.summary()
    finally:
        w.close()


def test_the_mutation_families_cover_what_issue_14_asks() -> None:
    """Byte flips, truncation, quotes, separators, BOM, NUL, huge numbers, deep brackets,
    repeated lines, odd Unicode, and zip-level damage for workbooks."""
    wanted = {"flip", "truncate", "quote", "separator", "bom", "nul", "number", "deep"}
    wanted |= {"dup_line", "unicode"}
    assert wanted <= set(mutate.CSV_FAMILIES)
    assert wanted <= set(mutate.TOML_FAMILIES)
    assert {"zip_member", "xml_sheet", "flip", "truncate"} <= set(mutate.XLSX_FAMILIES)
    assert {"footer", "table", "flip", "truncate"} <= set(mutate.PARQUET_FAMILIES)
