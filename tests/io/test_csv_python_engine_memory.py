"""The standard-library CSV engine no longer holds the text a second time.

It read lines through an :class:`io.StringIO` of the decoded text, which CPython keeps
at four bytes a character: with the file's bytes and the text, a wide ASCII file
(unknown columns ignored) peaked at 6.2 times its size, now 2.3. Lines are cut from the
text as they are asked for, as ``io.StringIO(text, newline="")`` cut them: at ``\\n``,
``\\r\\n`` or a lone ``\\r``, also inside quoted cells.
"""

from __future__ import annotations

import csv
import io
import random
import tracemalloc
from pathlib import Path

from learnsoc.io.csv import read_csv
from tests.io.test_unknown_columns_unread import _read, _wide


def test_a_wide_file_costs_about_twice_its_size(tmp_path: Path) -> None:
    for name in ("small", "wide"):
        (tmp_path / name).mkdir()
    _read(_wide(tmp_path / "small", 3, 2), "python")  # the modules it imports, untraced
    paths = _wide(tmp_path / "wide", 2_000, 300)
    size = paths["persons"].stat().st_size
    tracemalloc.start()
    try:
        pop = _read(paths, "python")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert pop.rejects.counts()["person"] == (300, 300, 0)  # type: ignore[attr-defined]
    # The bytes, the text (one byte a character here) and the batches: not a third copy.
    assert peak < 3.5 * size, peak / size


def _cell(rng: random.Random) -> str:
    text = rng.choice(["a", "1", "x y", "Thôn Đông", "", "a\rb", "a\nb", "a\r\nb", "q,r"])
    return f'"{text}"' if any(c in text for c in '\r\n,"') else text


def _plain(cell: str) -> str:
    """A cell as compared: trimmed, its line breaks ``\n`` (as the readers give them)."""
    return cell.replace("\r\n", "\n").replace("\r", "\n").strip()


def test_lines_break_where_the_csv_module_breaks_them(tmp_path: Path) -> None:
    """Files mixing ``\\n``, ``\\r\\n`` and ``\\r``, with breaks inside quoted cells too,
    read as :mod:`csv` reads them from ``io.StringIO(text, newline="")`` (a break in a
    cell is ``\n``, whichever it was)."""
    rng = random.Random(14)  # noqa: S311 -- reproducible test files
    for k in range(60):
        breaks = rng.sample(["\n", "\r\n", "\r"], rng.randint(2, 3))
        lines = ["id,name,note"] + [
            ",".join([f"P{i}", _cell(rng), _cell(rng)]) for i in range(rng.randint(1, 8))
        ]
        text = "".join(line + rng.choice(breaks) for line in lines)
        path = tmp_path / f"{k}.csv"
        path.write_bytes(text.encode())
        raw = read_csv(path, engine="python")
        got = [list(t) for t in zip(*next(raw.iter_batches()).values(), strict=True)]
        want = list(csv.reader(io.StringIO(text, newline="")))[1:]
        assert [[_plain(c) for c in r] for r in got] == [[_plain(c) for c in r] for r in want], k
