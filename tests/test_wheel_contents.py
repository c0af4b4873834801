"""What a new user installs: the wheel (and a wheel built from the sdist) holds the package.

``pip install learnsoc`` gets the wheel, or builds one from the sdist. Either must hold
every file of ``learnsoc/`` (modules, ``py.typed``, the bundled rulebooks and target sets,
the catalogs) and the compiled Vietnamese catalog, whose translations must be those of
the ``.po`` file: a missing ``.mo`` leaves ``--locale vi`` in English without a word.
Built with hatchling, the build backend, from a copy of the checkout (so that the
compiled ``.mo`` files are not left in it); skipped where hatchling is not installed.
"""

from __future__ import annotations

import gettext
import io
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import learnsoc as ls

pytest.importorskip("hatchling")
pytest.importorskip("babel")

ROOT = Path(__file__).resolve().parents[1]
# The files a build reads: the package, its metadata and the hook that compiles catalogs.
BUILD_FILES = ("pyproject.toml", "hatch_build.py", "README.md", "LICENSE", ".gitignore")
BUILT = shutil.ignore_patterns("__pycache__", "*.py[cod]", "*.mo")
# What the test suite reads besides the package: the sdist carries them so that it runs.
TEST_FILES = ("tests", "docs", "benchmarks", "scripts", "conftest.py", "CHANGELOG.md")


def _package_files(package: Path) -> set[str]:
    """The package's own files, as paths in a wheel (``learnsoc/...``), artefacts aside."""
    out = set()
    for path in package.rglob("*"):
        parts = path.relative_to(package.parent).parts
        if path.is_file() and "__pycache__" not in parts and path.suffix not in (".pyc", ".mo"):
            out.add("/".join(parts))
    return out


def _build(source: Path, target: str, dist: Path) -> Path:
    """Build ``target`` (wheel or sdist) of the project in ``source`` into ``dist``."""
    done = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", target, "-d", str(dist)],
        cwd=source,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    suffix = ".whl" if target == "wheel" else ".tar.gz"
    (built,) = dist.glob(f"learnsoc-*{suffix}")
    return built


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the checkout's package and build files, without compiled catalogs."""
    if not (ROOT / "pyproject.toml").is_file():
        pytest.skip("not run from a checkout or an sdist")
    src = tmp_path_factory.mktemp("src")
    shutil.copytree(ROOT / "learnsoc", src / "learnsoc", ignore=BUILT)
    for name in BUILD_FILES:
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, src / name)
    return src


@pytest.fixture(scope="module")
def checkout(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package's copy with what its tests need: tests, docs, benchmarks, scripts."""
    src = tmp_path_factory.mktemp("checkout")
    shutil.copytree(source, src, dirs_exist_ok=True)
    # What .gitignore keeps out of a checkout (a Sphinx build's pages and the files it
    # generates, benchmark results): not the project's files, so not the sdist's.
    ignore = shutil.ignore_patterns(
        "__pycache__", "*.py[cod]", "_build", "_generated", "generated", "results"
    )
    for name in TEST_FILES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=ignore)
        elif (ROOT / name).is_file():
            shutil.copy2(ROOT / name, src / name)
    return src


@pytest.fixture(scope="module")
def wheel(source: Path, tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    return zipfile.ZipFile(_build(source, "wheel", tmp_path_factory.mktemp("wheel")))


def _check_catalogs(names: set[str], read: dict[str, bytes], package: Path) -> None:
    """Each .po has its .mo, and the .mo says what the .po says, message by message."""
    from babel.messages.pofile import read_po

    pos = sorted(package.glob("locale/*/LC_MESSAGES/*.po"))
    assert {p.parent.parent.name for p in pos} >= {"en", "vi"}
    for po in pos:
        name = po.with_suffix(".mo").relative_to(package.parent).as_posix()
        assert name in names, f"the wheel has no {name}"
        mo = gettext.GNUTranslations(io.BytesIO(read[name]))
        with po.open("rb") as fh:
            catalog = read_po(fh)
        checked = 0
        for message in catalog:
            if not message.id or message.fuzzy or not message.string:
                continue
            if isinstance(message.id, (tuple, list)):
                msgid, plural = message.id[0], message.id[1]
                assert isinstance(message.string, (tuple, list))
                assert mo.ngettext(msgid, plural, 1) == message.string[0], msgid
            else:
                assert isinstance(message.id, str)
                if message.context:
                    found = mo.pgettext(message.context, message.id)
                else:
                    found = mo.gettext(message.id)
                assert found == message.string, message.id
            checked += 1
        assert checked > 1000, (po, checked)


def test_the_wheel_holds_every_file_of_the_package(wheel: zipfile.ZipFile, source: Path) -> None:
    names = set(wheel.namelist())
    missing = _package_files(source / "learnsoc") - names
    assert not missing, sorted(missing)
    # What the brief of an installed package needs, named: typed, rulebooks, targets.
    assert "learnsoc/py.typed" in names
    for info in ls.list_rulebooks():
        assert f"learnsoc/data/rulebooks/{info.file}" in names
    for target_id in ls.list_targets():
        assert f"learnsoc/data/targets/{target_id}.toml" in names
    # Nothing but the package and its metadata: no tests, docs or build files installed.
    outside = {n for n in names if not n.startswith(("learnsoc/", "learnsoc-"))}
    assert not outside, sorted(outside)


def test_the_wheel_carries_the_compiled_catalogs(wheel: zipfile.ZipFile, source: Path) -> None:
    names = set(wheel.namelist())
    read = {n: wheel.read(n) for n in names if n.endswith(".mo")}
    _check_catalogs(names, read, source / "learnsoc")


def test_the_wheel_declares_the_command_and_the_core_dependencies(
    wheel: zipfile.ZipFile,
) -> None:
    (entry,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    assert "learnsoc = learnsoc.cli:main" in wheel.read(entry).decode()
    (meta,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    requires = [
        line.split(":", 1)[1].strip()
        for line in wheel.read(meta).decode().splitlines()
        if line.startswith("Requires-Dist:")
    ]
    core = sorted(r.split(">")[0] for r in requires if ";" not in r)
    assert core == ["attrs", "babel", "numpy"]
    assert any(r.startswith("openpyxl") and "extra == 'excel'" in r for r in requires)


def test_a_wheel_built_from_the_sdist_compiles_the_catalogs(source: Path, tmp_path: Path) -> None:
    """``pip install learnsoc`` from the sdist: the hook that compiles .po to .mo ships too."""
    sdist = _build(source, "sdist", tmp_path / "sdist")
    with tarfile.open(sdist) as tar:
        tar.extractall(tmp_path / "unpacked", filter="data")
    (unpacked,) = (tmp_path / "unpacked").iterdir()
    # The sdist carries .mo files compiled when it was built; without them (an sdist of
    # another tool), the wheel still has them: the hook that compiles them is shipped.
    for mo in unpacked.rglob("*.mo"):
        mo.unlink()
    assert _package_files(unpacked / "learnsoc") == _package_files(source / "learnsoc")
    with zipfile.ZipFile(_build(unpacked, "wheel", tmp_path / "wheel")) as rebuilt:
        names = set(rebuilt.namelist())
        read = {n: rebuilt.read(n) for n in names if n.endswith(".mo")}
    _check_catalogs(names, read, source / "learnsoc")


def test_the_sdist_carries_what_the_tests_need(checkout: Path, tmp_path: Path) -> None:
    """The sdist ships the tests: their conftest.py (the doctests' ``ls``) and the scripts
    they run (scripts/import_graph.py, scripts/catalogs.py) too; before, neither."""
    sdist = _build(checkout, "sdist", tmp_path)
    with tarfile.open(sdist) as tar:
        (top,) = {n.split("/", 1)[0] for n in tar.getnames()}
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    wanted = set()
    for name in TEST_FILES:
        path = checkout / name
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        wanted |= {f.relative_to(checkout).as_posix() for f in files}
    assert {"conftest.py", "scripts/import_graph.py", "scripts/catalogs.py"} <= wanted
    missing = wanted - names
    assert not missing, (top, sorted(missing)[:20])
