"""``written_by`` of a dataset tells apart two checkouts of the same version."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc._build import build_name, source_digest

pytest.importorskip("pyarrow")


def test_the_manifest_names_the_version_and_the_source(tmp_path: Path) -> None:
    """Development checkouts all say 0.1.0.dev0: the manifest says which source too, the
    digest of the package's files, computed here again from them."""
    import hashlib

    ls.write_dataset(ls.synthetic_population(persons=300, seed=1), tmp_path / "d")
    manifest = json.loads((tmp_path / "d" / "manifest.json").read_text("utf-8"))
    found = re.fullmatch(r"learnsoc (\S+) \(source ([0-9a-f]{12})\)", manifest["written_by"])
    assert found is not None, manifest["written_by"]
    assert found[1] == ls.__version__
    package = Path(ls.__file__).parent
    sha = hashlib.sha256()
    for path in sorted(package.rglob("*"), key=lambda p: p.relative_to(package).as_posix()):
        built = "__pycache__" in path.parts or path.suffix in (".pyc", ".pyo", ".mo")
        if path.is_file() and not built:
            name, data = path.relative_to(package).as_posix(), path.read_bytes()
            sha.update(f"{len(name)}:{name}{len(data)}:".encode() + data)
    assert found[2] == sha.hexdigest()[:12]
    assert manifest["written_by"] == build_name()


def test_the_digest_follows_the_source_not_where_it_is(tmp_path: Path) -> None:
    """A copy of the package (another checkout, a wheel's files) has the same digest;
    one line changed, another; compiled files count for nothing."""
    package = Path(ls.__file__).parent
    ignore = shutil.ignore_patterns("__pycache__", "*.mo")
    same = shutil.copytree(package, tmp_path / "a" / "learnsoc", ignore=ignore)
    edited = shutil.copytree(package, tmp_path / "b" / "learnsoc", ignore=ignore)
    with (edited / "limits.py").open("a", encoding="utf-8") as fh:
        fh.write("\n# a local change\n")
    (same / "__pycache__").mkdir(exist_ok=True)
    (same / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"compiled")
    assert source_digest(same) == source_digest()
    assert source_digest(edited) != source_digest()
