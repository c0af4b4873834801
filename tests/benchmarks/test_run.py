"""``python -m benchmarks.run --smoke`` (what CI runs) covers every benchmark in benchmarks/."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the benchmarks are not an installed package
    sys.path.insert(0, str(ROOT))

from benchmarks import run  # noqa: E402


def _main(path: Path) -> ast.FunctionDef | None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "main"), None)


def test_every_benchmark_runs_in_the_smoke_run() -> None:
    """A benchmark (a benchmarks/*.py with a main) left out of run.py never runs in CI."""
    scripts = {
        f"benchmarks.{path.stem}"
        for path in (ROOT / "benchmarks").glob("*.py")
        if path.stem != "run" and _main(path) is not None
    }
    assert scripts == set(run.BENCHMARKS)


def test_every_benchmark_takes_smoke_and_returns_a_status() -> None:
    """run.py ORs the statuses together and passes --smoke to each."""
    for name in run.BENCHMARKS:
        path = ROOT / "benchmarks" / f"{name.split('.')[-1]}.py"
        main = _main(path)
        assert main is not None, name
        assert main.returns is not None and ast.unparse(main.returns) == "int", name
        assert '"--smoke"' in path.read_text(encoding="utf-8"), name
