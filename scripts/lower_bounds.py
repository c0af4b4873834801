"""Test learnsoc against the oldest versions of its dependencies that pyproject.toml allows.

Creates a fresh virtual environment, installs exactly the lower bound (``name>=X`` becomes
``name==X``) of the core dependencies (attrs, numpy, babel) and of the reader extras
(``parquet``: pyarrow; ``excel``: openpyxl), then learnsoc itself without dependencies
(editable, as the README installs it) plus pytest and hypothesis, and runs the tests that
need nothing else. A lower bound that fails here is wrong: raise it in pyproject.toml.

Usage::

    python scripts/lower_bounds.py [--python python3.11] [--keep DIR] [-- pytest args]

Not run: the benchmarks and the docs pages (they need the ``bench`` and ``docs`` extras),
the tests of the plot, progress-bar and units extras (they skip, or are left out when their
package is missing: ``IGNORED``), and two tests of how fast pyarrow imports (``DESELECTED``).
pandas, polars and narwhals are installed at current versions for the data-frame tests.
Takes about 5 minutes on an idle 2-core machine (most of it the test run), so CI does not run
it on every push; run it when a lower bound changes and before a release.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The extras whose lower bounds are tested with the core's.
EXTRAS = ("parquet", "excel")
#: Test tools and the data-frame packages tests/io/test_formats.py compares with: whatever
#: versions pip picks next to the pins (the bounds under test are the library's).
TOOLS = ("pytest>=8", "hypothesis>=6.100", "pandas", "polars", "narwhals>=2.0")
#: Test files that import a package of another extra at module level.
IGNORED = (
    "tests/benchmarks",  # the bench extra (polars, duckdb, pandas ...)
    "tests/io/test_vn_units.py",  # the units extra (vietnamadminunits)
    "tests/test_import.py",  # checks which optional packages `import learnsoc` avoids
)
#: Tests of a property newer versions give, not of a result: before pyarrow 26,
#: ``DataType.to_pandas_dtype`` imports pandas when it is installed (0.2 s, same values).
DESELECTED = (
    "tests/io/test_formats.py::test_reading_parquet_does_not_import_pandas",
    "tests/io/test_formats.py::test_reading_csv_does_not_import_pandas",
)


def lower_bounds(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """Return ``name==lowest`` for the core dependencies and the tested extras."""
    project = tomllib.loads(pyproject.read_text("utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in EXTRAS:
        requirements += project["optional-dependencies"][extra]
    pins = []
    for req in requirements:
        m = re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)\s*>=\s*([0-9][0-9A-Za-z.]*)", req.strip())
        if m is None:
            msg = f"{req!r}: a dependency needs a plain lower bound (name>=X) to be tested"
            raise SystemExit(msg)
        pins.append(f"{m.group(1)}=={m.group(2)}")
    return pins


def main(argv: list[str] | None = None) -> int:
    """Build the environment, run the tests, and return pytest's exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable, help="interpreter for the venv")
    parser.add_argument("--keep", type=Path, help="build the venv here and keep it")
    parser.add_argument("pytest_args", nargs="*", help="arguments for pytest (after --)")
    args = parser.parse_args(argv)
    pins = lower_bounds()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="learnsoc-lower-"))
    venv = folder / "venv"
    start = time.monotonic()
    try:
        if not (venv / "bin" / "python").exists():
            subprocess.run([args.python, "-m", "venv", str(venv)], check=True)
        py = str(venv / "bin" / "python")
        pip = [py, "-m", "pip", "install", "-q"]
        print("installing", " ".join(pins), flush=True)
        subprocess.run([*pip, *pins, *TOOLS], check=True)
        subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)
        # Fail if pip resolved anything above a pin (another package pulling it up).
        frozen = subprocess.run(
            [py, "-m", "pip", "freeze"], check=True, capture_output=True, text=True
        ).stdout.lower()
        for pin in pins:
            name = pin.split("==")[0].split("[")[0].lower()
            if pin.lower().replace("_", "-") not in frozen.replace("_", "-"):
                got = [ln for ln in frozen.splitlines() if ln.startswith(name + "==")]
                print(f"lower_bounds: wanted {pin}, installed {got}", file=sys.stderr)
                return 2
        ignore = [f"--ignore={p}" for p in IGNORED] + [f"--deselect={t}" for t in DESELECTED]
        test_args = args.pytest_args or ["tests", "learnsoc"]
        done = subprocess.run(
            [py, "-m", "pytest", "-q", "-p", "no:cacheprovider", *ignore, *test_args],
            cwd=ROOT,
            check=False,
        )
        took = time.monotonic() - start
        print(f"lower_bounds: {' '.join(pins)}: pytest exit {done.returncode} in {took:.0f} s")
        return done.returncode
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
