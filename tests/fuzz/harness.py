"""The fuzz harness: builds cases from the seeds and runs them in a guarded worker process.

A *case* is a folder holding one reader's files, the seeds with one of them mutated. The
:class:`Worker` runs cases in a child process (:mod:`tests.fuzz.worker`) and turns a hang
(no answer within the time limit), a crash (the process dies: a native abort or a
segfault) and a memory blow-up into :class:`Outcome` findings, then starts a fresh child.

Everything is deterministic: case ``i`` of a family is the same file on every machine,
seeded by ``reader/family/i/base seed``.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from tests.fuzz import mutate

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
SEEDS = HERE / "seeds"
CORPUS = HERE / "corpus"

#: Per reader: its seed folder, its files by role, and the roles a mutation may hit
#: (with weights: most bugs are in the big persons file, but every file gets its turn).
READERS: dict[str, dict[str, Any]] = {
    "csv-pyarrow": {
        "seeds": "csv",
        "files": {
            "persons": "persons.csv",
            "households": "households.csv",
            "units": "units.csv",
            "clans": "clans.csv",
            "organisations": "organisations.csv",
            "memberships": "memberships.csv",
        },
        "targets": {
            "persons": 5,
            "households": 2,
            "units": 2,
            "clans": 1,
            "organisations": 1,
            "memberships": 1,
        },
        "families": mutate.CSV_FAMILIES,
    },
    "xlsx": {
        "seeds": "xlsx",
        "files": {
            "persons": "persons.xlsx",
            "households": "households.xlsx",
            "units": "units.xlsx",
        },
        "targets": {"persons": 3, "households": 1, "units": 1},
        "families": mutate.XLSX_FAMILIES,
    },
    "parquet": {
        "seeds": "parquet",
        "files": {
            "persons": "persons.parquet",
            "households": "households.parquet",
            "units": "units.parquet",
        },
        "targets": {"persons": 3, "households": 1, "units": 1},
        "families": mutate.PARQUET_FAMILIES,
    },
    "mapping": {
        "seeds": "mapping",
        "files": {
            "mapping": "mapping.toml",
            "persons": "persons.csv",
            "households": "households.csv",
            "units": "units.csv",
        },
        "targets": {"mapping": 1},
        "families": mutate.TOML_FAMILIES,
    },
    "rulebook": {
        "seeds": "rulebook",
        "files": {"rulebook": "rulebook.toml"},
        "targets": {"rulebook": 1},
        "families": mutate.TOML_FAMILIES,
    },
    "targets": {
        "seeds": "targets",
        "files": {"targets": "targets.toml"},
        "targets": {"targets": 1},
        "families": mutate.TOML_FAMILIES,
    },
}
READERS["csv-python"] = READERS["csv-pyarrow"]


def env_int(name: str, default: int) -> int:
    """Read a whole number from the environment (the fuzz budget knobs)."""
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


@attrs.frozen
class Case:
    """One reader's files in a folder, ``role`` being the mutated one (or None)."""

    reader: str
    folder: Path
    files: Mapping[str, str]
    role: str | None
    label: str

    def mutated(self) -> Path | None:
        """Return the mutated file, if any."""
        return None if self.role is None else self.folder / self.files[self.role]

    def to_json(self, memory_mib: int) -> str:
        """The line the worker reads."""
        case = {
            "reader": self.reader,
            "dir": str(self.folder),
            "files": dict(self.files),
            "memory_mib": memory_mib,
        }
        return json.dumps(case)


@attrs.frozen
class Outcome:
    """What a case ended in: ``ok``, ``error`` (a learnsoc error) or ``violation``."""

    case: Case
    status: str
    result: Mapping[str, Any]

    @property
    def violation(self) -> bool:
        """Whether the case broke the contract."""
        return self.status == "violation"

    def summary(self) -> str:
        """One paragraph for a failure message or the long run's report."""
        r = self.result
        head = f"{self.case.label}: {r.get('kind', self.status)}"
        if "type" in r:
            head += f" {r['type']}"
        if r.get("where"):
            head += f" at {r['where']}"
        detail = str(r.get("detail", ""))[:300]
        return f"{head}: {detail}"

    def signature(self) -> tuple[str, ...]:
        """What tells two findings apart (the same bug found twice has one signature)."""
        r = self.result
        kind = str(r.get("kind"))
        if kind in ("foreign exception", "memory"):
            return (self.case.reader, kind, str(r.get("type", "")), str(r.get("where", "")))
        # Hangs, crashes and losses carry no frame: tell them apart by file and mutation.
        family = self.case.label.split("/")[1]
        return (self.case.reader, kind, str(self.case.role), family)


def _seed_files(reader: str, folder: Path) -> dict[str, str]:
    spec = READERS[reader]
    src = SEEDS / spec["seeds"]
    for name in spec["files"].values():
        shutil.copyfile(src / name, folder / name)
    return dict(spec["files"])


def make_case(reader: str, family: str, index: int, base: int, root: Path) -> Case:
    """Write case ``index`` of ``reader``/``family`` into a new folder under ``root``."""
    spec = READERS[reader]
    label = f"{reader}/{family}/{index}" + (f"/seed{base}" if base else "")
    # Not for security: a reproducible stream of mutations.
    rng = random.Random(f"{reader.split('-')[0]}/{family}/{index}/{base}")  # noqa: S311
    folder = root / label.replace("/", "-")
    folder.mkdir(parents=True)
    files = _seed_files(reader, folder)
    roles = list(spec["targets"])
    role = rng.choices(roles, [spec["targets"][r] for r in roles])[0]
    path = folder / files[role]
    path.write_bytes(spec["families"][family](rng, path.read_bytes()))
    return Case(reader, folder, files, role, label)


def corpus_case(reader: str, corpus_file: Path, root: Path) -> Case:
    """A case of the seeds with the corpus file in place of its role's file.

    Corpus files are named ``<role>--<what it is>.<ext>``: ``persons--unclosed-quote.csv``.
    """
    role = corpus_file.name.split("--", 1)[0]
    folder = root / f"{reader}-{corpus_file.stem}"
    folder.mkdir(parents=True)
    files = _seed_files(reader, folder)
    if role not in files:
        msg = f"{corpus_file}: no role {role!r} for {reader}; roles are {sorted(files)}"
        raise ValueError(msg)
    shutil.copyfile(corpus_file, folder / files[role])
    return Case(reader, folder, files, role, f"corpus {reader}/{corpus_file.name}")


def corpus_files() -> list[tuple[str, Path]]:
    """Every (reader, file) of the corpus, sorted."""
    out: list[tuple[str, Path]] = []
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.exists() else []:
        out.extend(
            (folder.name, f)
            for f in sorted(folder.iterdir())
            if "--" in f.name and f.suffix != ".outcome"
        )
    return out


class Worker:
    """A child process that runs cases, restarted after a hang or a crash.

    Parameters
    ----------
    timeout : float
        Seconds one case may take; longer is a hang.
    memory_mib : int
        Address space a case may add beyond its input (see :mod:`tests.fuzz.worker`).
    """

    def __init__(self, timeout: float = 15.0, memory_mib: int = 768) -> None:
        self.timeout = timeout
        self.memory_mib = memory_mib
        self.proc: subprocess.Popen[bytes] | None = None
        self._buffer = b""
        self._stderr = Path(tempfile.mkstemp(prefix="learnsoc-fuzz-", suffix=".stderr")[1])

    def _start(self) -> None:
        env = dict(os.environ)
        # Not measured by coverage: the fuzz cases would slow down several times, and
        # coverage is earned by the targeted tests.
        env.pop("COVERAGE_PROCESS_CONFIG", None)
        env.pop("COVERAGE_PROCESS_START", None)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
        with self._stderr.open("wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tests.fuzz.worker"],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                env=env,
            )
        self._buffer = b""
        ready = self._read(time.monotonic() + 120)
        if ready is None or ready.get("status") != "ready":
            self.stop()
            msg = f"the fuzz worker did not start: {self._stderr_tail()}"
            raise RuntimeError(msg)

    def _stderr_tail(self) -> str:
        try:
            return self._stderr.read_text("utf-8", "replace")[-1500:]
        except OSError:
            return ""

    def _read(self, deadline: float) -> dict[str, Any] | None:
        """Return the next answer, or None on a timeout; raise EOFError if the child died."""
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                return None
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                raise EOFError
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        answer: dict[str, Any] = json.loads(line)
        return answer

    def stop(self) -> None:
        """End the child (only the process this worker started)."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()
        self.proc = None

    def close(self) -> None:
        """Stop the child and remove the stderr file."""
        self.stop()
        self._stderr.unlink(missing_ok=True)

    def run(self, case: Case) -> Outcome:
        """Run one case and return its outcome (a hang or a crash is a violation)."""
        if self.proc is None or self.proc.poll() is not None:
            self.stop()
            self._start()
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write(case.to_json(self.memory_mib).encode() + b"\n")
        self.proc.stdin.flush()
        start = time.monotonic()
        try:
            answer = self._read(start + self.timeout)
        except EOFError:
            self.proc.wait()
            code = self.proc.returncode
            name = signal.Signals(-code).name if code < 0 else f"exit {code}"
            self.stop()
            detail = f"the process died ({name}); stderr: {self._stderr_tail()[-600:]}"
            return Outcome(case, "violation", {"kind": "crash", "detail": detail})
        if answer is None:
            self.stop()
            detail = f"no answer within {self.timeout:g} s"
            return Outcome(case, "violation", {"kind": "hang", "detail": detail})
        answer["seconds"] = round(time.monotonic() - start, 3)
        if answer.get("kind") == "memory":
            self.stop()  # a fresh process for the next case, whatever the allocator kept
        return Outcome(case, str(answer.pop("status")), answer)


def save(outcome: Outcome, folder: Path) -> Path | None:
    """Copy a violating case's mutated file into ``folder/<reader>/`` with its outcome."""
    path = outcome.case.mutated()
    if path is None or not path.exists():
        return None
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:8]
    family = outcome.case.label.split("/")[1]
    name = f"{outcome.case.role}--{family}-{digest}{path.suffix}"
    target = folder / outcome.case.reader / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    text = outcome.summary() + "\n\n" + str(outcome.result.get("traceback", ""))
    target.with_name(target.name + ".outcome").write_text(text, "utf-8")
    return target
