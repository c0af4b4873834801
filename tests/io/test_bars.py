"""Progress bars: tqdm's when installed and wanted, a silent stand-in otherwise."""

from __future__ import annotations

import io
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from learnsoc._bars import tqdm_bar
from tests.optional import needs


def test_without_tqdm_reading_still_works_silently(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The progress extra is optional: without tqdm the bar is a silent stand-in."""
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # import fails
    with tqdm_bar(3, "reading", enabled=True) as bar:
        bar.update(3)
    assert type(bar).__module__ == "learnsoc._bars"
    assert capsys.readouterr() == ("", "")


@needs("tqdm")
def test_a_wanted_bar_is_tqdm_and_counts(capsys: pytest.CaptureFixture[str]) -> None:
    with tqdm_bar(4, "reading", enabled=True) as bar:
        bar.update(3)
        bar.update()
        assert bar.n == 4
    assert "reading" in capsys.readouterr().err


# -- bars on long work: parsing, evaluating, writing (issue 16, item 11) -------------------


class Recorder:
    """Stands in for :func:`~learnsoc._bars.tqdm_bar`: records every bar and its updates."""

    def __init__(self) -> None:
        self.bars: list[FakeBar] = []

    def __call__(
        self, total: int | None, desc: str, enabled: bool | None = None, *, unit: str = "it"
    ) -> FakeBar:
        bar = FakeBar(total, desc, enabled, unit)
        self.bars.append(bar)
        return bar

    def unit(self, unit: str) -> list[FakeBar]:
        return [b for b in self.bars if b.unit == unit]


class FakeBar:
    def __init__(self, total: int | None, desc: str, enabled: bool | None, unit: str) -> None:
        self.total, self.desc, self.enabled, self.unit = total, desc, enabled, unit
        self.updates: list[int] = []
        self.labels: list[str] = []

    def update(self, n: int = 1) -> None:
        self.updates.append(n)

    def set_description_str(self, desc: str | None = None, refresh: bool = True) -> None:
        self.labels.append(str(desc))

    def __enter__(self) -> FakeBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


@pytest.fixture
def bars(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    import learnsoc.io.convert
    import learnsoc.io.csv
    import learnsoc.io.writers
    import learnsoc.rules.engine

    recorder = Recorder()
    for module in (
        learnsoc.io.csv,
        learnsoc.io.writers,
        learnsoc.rules.engine,
        learnsoc.io.convert,
    ):
        monkeypatch.setattr(module, "tqdm_bar", recorder)
    return recorder


def _persons_csv(n: int, bad_age_at: int | None = None) -> bytes:
    rows = [f"P{i},H{i % 97},{20 + i % 60},{'x' if i == bad_age_at else 1}\n" for i in range(n)]
    return ("person_id,household_id,age,sex\n" + "".join(rows)).encode()


def test_the_pyarrow_parse_counts_bytes_block_by_block(
    bars: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    import learnsoc.io.csv as csv_mod

    monkeypatch.setattr(csv_mod, "_BLOCK_BYTES", 1 << 12)
    data = _persons_csv(5_000)
    table = csv_mod.read_csv_bytes(data, "p.csv", engine="pyarrow")
    assert table.layout.n_rows == 5_000
    assert bars.bars == []  # no bar unless asked for
    table = csv_mod._read_csv_bytes(
        data, "p.csv", delimiter=None, encoding="utf-8", engine="pyarrow", dictionary=(),
        numbers=None, include=None, bars=True,
    )  # fmt: skip
    (bar,) = bars.bars
    assert (bar.desc, bar.unit, bar.total, bar.enabled) == ("p.csv", "B", len(data), True)
    assert len(bar.updates) > 10  # one per 4 KiB block, not one at the end
    assert sum(bar.updates) == len(data)
    assert table.layout.n_rows == 5_000


def test_a_second_parse_as_text_is_not_counted_twice(bars: Recorder, tmp_path: Path) -> None:
    """Numbers first, then text (a word in a number column): the bytes add up once."""
    from learnsoc.io.csv import read_csv

    path = tmp_path / "p.csv"
    path.write_bytes(_persons_csv(3_000, bad_age_at=2_500))
    table = read_csv(path, engine="pyarrow", numbers=lambda h: "int16", bars=True)
    (bar,) = bars.bars
    assert sum(bar.updates) == bar.total == path.stat().st_size
    assert table.layout.n_rows == 3_000


def test_the_python_engine_counts_lines(bars: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    import learnsoc.io.csv as csv_mod

    monkeypatch.setattr(csv_mod, "_LINES_SHOWN", 100)
    data = _persons_csv(1_050)
    csv_mod._read_csv_bytes(
        data, "p.csv", delimiter=None, encoding="utf-8", engine="python", dictionary=(),
        numbers=None, include=None, bars=None,
    )  # fmt: skip
    (bar,) = bars.bars
    assert (bar.unit, bar.total, bar.enabled) == ("lines", 1_051, None)  # the header too
    assert bar.updates[:2] == [101, 100]  # every 100 records (line 101 is the 100th)
    assert len(bar.updates) == 11
    assert sum(bar.updates) == 1_051


@pytest.mark.parametrize(
    ("text", "lines"),
    [("", 0), ("a\n", 1), ("a\nb", 2), ("a\r\nb\r\n", 2), ("a\rb\r", 2), ("a\n\nb\n", 3)],
)
def test_lines_are_counted_as_the_reader_counts_them(text: str, lines: int) -> None:
    from learnsoc.io.csv import _n_lines

    assert _n_lines(text) == lines


def test_read_population_shows_the_parse_and_the_conversion(bars: Recorder, tmp_path: Path) -> None:
    from tests.io.helpers import files, read

    paths = files(tmp_path)
    read(paths, bars=True, engine="pyarrow")
    parsed = bars.unit("B")
    assert {b.desc for b in parsed} == {p.name for p in paths.values() if p.suffix == ".csv"}
    for bar in parsed:
        assert bar.total
        assert sum(bar.updates) == bar.total


def test_evaluation_is_one_step_per_title(bars: Recorder) -> None:
    import learnsoc as ls
    from learnsoc.rules.registry import load_rulebook

    pop = ls.synthetic_population(persons=500, seed=2)
    book = load_rulebook("example")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # inputs the example rulebook reads are not given
        ev = ls.evaluate(pop, book, "2025-12-31", bars=True)
    (bar,) = bars.bars
    titles = list(ev.verdicts_by_title)
    assert (bar.unit, bar.total, bar.desc) == ("titles", len(titles), "example")
    assert bar.updates == [1] * len(titles)
    assert bar.labels == titles


def test_writers_count_rows_chunk_by_chunk(bars: Recorder, tmp_path: Path) -> None:
    import numpy as np

    from learnsoc.io.writers import CHUNK_ROWS, write_chunks, write_table

    n = 2 * CHUNK_ROWS + 17
    table = {"n": np.arange(n)}
    for ext in ("csv", "json", "parquet"):
        write_table(table, tmp_path / f"t.{ext}", bars=True)
    write_chunks(({"n": np.arange(k)} for k in (5, 7)), tmp_path / "c.csv", bars=True, total=12)
    csv_bar, json_bar, parquet_bar, chunks_bar = bars.bars
    assert csv_bar.updates == json_bar.updates == [CHUNK_ROWS, CHUNK_ROWS, 17]
    assert parquet_bar.updates == [n]  # one table, one step
    assert chunks_bar.updates == [5, 7]
    for bar in bars.bars:
        assert bar.unit == "rows"
        assert sum(bar.updates) == bar.total
    assert chunks_bar.desc == "c.csv"


def test_verdicts_and_rejects_writers_know_their_totals(bars: Recorder, tmp_path: Path) -> None:
    import learnsoc as ls
    from learnsoc.io.verdicts import write_verdicts
    from learnsoc.io.writers import write_rejects
    from learnsoc.rejects import RejectBatch, Rejects
    from learnsoc.rules.registry import load_rulebook

    pop = ls.synthetic_population(persons=300, seed=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # inputs the example rulebook reads are not given
        ev = ls.evaluate(pop, load_rulebook("example"), "2025-12-31")
    write_verdicts(ev, tmp_path / "v.csv", bars=True)
    rej = Rejects((RejectBatch("person", "age", "out_of_range", [4, 6], ["300", "999"], "0..120"),),
                  read={"person": 10})  # fmt: skip
    write_rejects(rej, tmp_path / "r.csv", bars=True)
    verdicts_bar, rejects_bar = bars.unit("rows")
    assert verdicts_bar.total == sum(len(v) for v in ev.verdicts_by_title.values())
    assert sum(verdicts_bar.updates) == verdicts_bar.total
    assert (rejects_bar.total, rejects_bar.updates) == (2, [2])


def test_no_bar_is_asked_for_by_default(bars: Recorder, tmp_path: Path) -> None:
    """Library calls stay silent unless asked (``bars=False`` is never a tqdm)."""
    import numpy as np

    from learnsoc.io.writers import write_table

    write_table({"n": np.arange(3)}, tmp_path / "t.csv")
    assert [b.enabled for b in bars.bars] == [False]


def test_without_tqdm_parsing_evaluating_and_writing_work(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import numpy as np

    from learnsoc.io.csv import read_csv
    from learnsoc.io.writers import write_table

    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    path = tmp_path / "p.csv"
    path.write_bytes(_persons_csv(50))
    for engine in ("pyarrow", "python"):
        assert read_csv(path, engine=engine, bars=True).layout.n_rows == 50
    write_table({"n": np.arange(3)}, tmp_path / "t.csv", bars=True)
    assert capsys.readouterr() == ("", "")


# -- the command line: bars on a terminal only, never with --quiet ---------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _evaluate_cli(tmp_path: Path, *extra: str) -> None:
    from learnsoc.cli import main
    from tests.io.helpers import files

    paths = files(tmp_path)
    argv = [
        "evaluate", str(paths["persons"]), "--households", str(paths["households"]),
        "--units", str(paths["units"]), "--rulebook", "example", "--as-of", "2025-12-31",
        "--out", str(tmp_path / "v.csv"), *extra,
    ]  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        main(argv)


@needs("tqdm")
def test_the_cli_shows_bars_on_a_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    err = _Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    _evaluate_cli(tmp_path)
    shown = err.getvalue()
    assert "persons.csv" in shown  # the parse (and the conversion)
    assert "titles" in shown  # the evaluation
    assert "v.csv" in shown and "rows" in shown  # the verdicts written


@pytest.mark.parametrize(("terminal", "extra"), [(True, ("--quiet",)), (False, ())])
def test_the_cli_shows_no_bar_with_quiet_or_off_a_terminal(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, terminal: bool, extra: tuple[str, ...]
) -> None:
    err = _Terminal() if terminal else io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    _evaluate_cli(tmp_path, *extra)
    shown = err.getvalue()
    assert "\r" not in shown
    assert "titles" not in shown and "rows/s" not in shown and "B/s" not in shown


@needs("tqdm")
def test_a_bar_tqdm_turned_off_keeps_the_zero_copy_parse(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Off a terminal (``bars=None``) pyarrow reads the buffer itself, not through Python."""
    import learnsoc.io.csv as csv_mod

    def watched(*args: object) -> None:
        raise AssertionError("read through Python without a bar to show")

    monkeypatch.setattr(csv_mod, "_Watched", watched)
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal
    path = tmp_path / "p.csv"
    path.write_bytes(_persons_csv(20))
    assert csv_mod.read_csv(path, engine="pyarrow", bars=None).layout.n_rows == 20
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # no tqdm: no bar either
    assert csv_mod.read_csv(path, engine="pyarrow", bars=True).layout.n_rows == 20


# -- "progress" means progress towards targets; bars are ``bars=`` (issue 15, part 6) -----


def test_the_old_progress_keyword_still_shows_bars_with_a_deprecation(
    bars: Recorder, tmp_path: Path
) -> None:
    """``progress=`` keeps working for one release; the warning names ``bars=``."""
    import numpy as np

    import learnsoc as ls
    from learnsoc.io.csv import read_csv
    from learnsoc.io.writers import write_table

    path = tmp_path / "t.csv"
    with pytest.warns(
        DeprecationWarning,
        match=r"write_table\(progress=...\) is deprecated; use write_table\(bars=...\)",
    ):
        write_table({"n": np.arange(3)}, path, progress=True)
    with pytest.warns(DeprecationWarning, match=r"read_csv\(bars=...\)"):
        read_csv(path, engine="python", progress=True)
    pop = ls.synthetic_population(persons=200, seed=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # inputs the rulebook reads are not given
        with pytest.warns(DeprecationWarning, match=r"use evaluate\(bars=...\)"):
            ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31", progress=True)
    assert [b.unit for b in bars.bars] == ["rows", "lines", "titles"]
    assert all(b.enabled is True for b in bars.bars)
    with (
        pytest.warns(DeprecationWarning, match="read_population"),
        pytest.raises(ls.FileFormatError, match="no such file"),
    ):
        ls.read_population(tmp_path / "none.csv", households=path, progress=False)


def test_the_old_bar_module_still_imports_with_a_deprecation() -> None:
    """``learnsoc.io.progress.progress_bar`` is ``learnsoc._bars.tqdm_bar``, with a warning."""
    import learnsoc.io.progress as old

    with pytest.warns(DeprecationWarning, match="tqdm_bar"):
        assert old.progress_bar is tqdm_bar


def test_the_rules_engine_needs_no_io_to_show_bars() -> None:
    """The bars live on floor 0: importing the engine loads nothing from learnsoc.io."""
    import json
    import subprocess

    probe = (
        "import json, sys, learnsoc.rules.engine; "
        "print(json.dumps([m for m in sys.modules if m.startswith('learnsoc.io')]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == []


def test_the_deprecation_points_at_the_callers_line(tmp_path: Path) -> None:
    """The warning names the user's file, so Python's default filters show it there."""
    import numpy as np

    import learnsoc as ls
    from learnsoc.rejects import RejectBatch, Rejects

    rej = Rejects((RejectBatch("person", "age", "out_of_range", [4], ["300"], "0..120"),),
                  read={"person": 10})  # fmt: skip
    pop = ls.synthetic_population(persons=100, seed=5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # inputs the rulebook reads are not given
        ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    calls: dict[str, Callable[[], object]] = {
        "write_table": lambda: ls.write_table(
            {"n": np.arange(2)}, tmp_path / "t.csv", progress=False
        ),
        "write_rejects": lambda: ls.write_rejects(rej, tmp_path / "r.csv", progress=False),
        "write_verdicts": lambda: ls.write_verdicts(ev, tmp_path / "v.csv", progress=False),
    }
    for name, call in calls.items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            call()
        (warning,) = [w for w in caught if w.category is DeprecationWarning]
        assert str(warning.message).startswith(f"{name}(progress=...)"), warning.message
        assert warning.filename == __file__, (name, warning.filename)


# -- bars in the reader's language -------------------------------------------------------


@needs("tqdm")
def test_the_cli_in_vietnamese_counts_in_vietnamese_words(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """tqdm wrote "titles/s" and "rows/s" under --locale vi: the words are the reader's."""
    err = _Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    _evaluate_cli(tmp_path, "--locale", "vi")
    shown = err.getvalue()
    assert "danh hiệu/s" in shown or "s/danh hiệu" in shown  # the evaluation
    assert "dòng/s" in shown or "s/dòng" in shown  # the verdicts written
    assert "titles" not in shown and "rows" not in shown


@needs("tqdm")
@pytest.mark.parametrize(
    ("unit", "vi"),
    [("rows", "dòng"), ("lines", "dòng"), ("titles", "danh hiệu"), ("partitions", "phân vùng")],
)
def test_every_unit_a_bar_counts_in_has_its_vietnamese_word(unit: str, vi: str) -> None:
    from learnsoc.i18n import use_locale

    with use_locale("vi"), tqdm_bar(2, "x", enabled=True, unit=unit) as bar:
        assert bar.unit == vi
    with tqdm_bar(2, "x", enabled=True, unit=unit) as bar:
        assert bar.unit == unit
    with use_locale("vi"), tqdm_bar(2, "x", enabled=True, unit="B") as bar:
        assert bar.unit == "B"  # bytes keep tqdm's symbol, scaled to kB and MB


def test_every_unit_the_library_passes_has_a_word() -> None:
    """A new unit passed to tqdm_bar without a catalog word would show in English."""
    import ast

    import learnsoc
    from learnsoc._bars import UNIT_WORDS

    used = set()
    for path in Path(learnsoc.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "tqdm_bar":
                units = [k.value for k in node.keywords if k.arg == "unit"]
                assert units, f"{path.name}:{node.lineno}: tqdm_bar without unit= counts 'it'"
                assert isinstance(units[0], ast.Constant)
                used.add(units[0].value)
    assert used - {"B"} <= set(UNIT_WORDS)
    assert used >= {"rows", "lines", "titles", "partitions", "B"}
