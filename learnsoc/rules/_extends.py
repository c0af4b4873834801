"""Reading a rulebook file and the files it ``extends``, merged key by key.

:func:`load_raw` reads a file within the limits (:func:`learnsoc._toml.read_toml`), checks
its tables (:mod:`learnsoc.rules._raw`) and, when it ``extends`` another rulebook (a bundled
id, or a file in its folder or a folder below), reads that one too and merges the variant
over it: key by key, versions by ``effective_from``, criteria by ``id``.
"""

from __future__ import annotations

import os
from pathlib import Path as FsPath
from typing import Any

from learnsoc._messages import N_, Message
from learnsoc._toml import read_file, read_toml
from learnsoc.errors import did_you_mean
from learnsoc.rules._raw import (
    RULEBOOK_ID,
    At,
    Entry,
    RawBook,
    RawTitle,
    RawVersion,
    RuleFile,
    read_entries,
)
from learnsoc.rules.rulebook import MAX_EXTENDS, bundled_directory

__all__ = ["load_raw", "merge", "read_bytes"]

_INHERITED = ("format", "issuer", "effective_from", "effective_to", "last_checked", "levels")


def merge(parent: RawBook, child: RawBook) -> RawBook:
    """Merge a variant over its parent: same key merged key by key, new keys added."""
    meta_values = {k: v for k, v in parent.meta.values.items() if k in _INHERITED}
    base_meta = Entry.__new__(Entry)
    base_meta.values = meta_values
    base_meta.at = {k: parent.meta.at[k] for k in meta_values}
    base_meta.home = parent.meta.home
    out = RawBook(child.file, base_meta.merged(child.meta))
    out.chain = [*child.chain, *parent.chain]
    for name in ("sources", "inputs", "parameters", "derived"):
        mine: dict[Any, Entry] = dict(getattr(parent, name))
        for key, entry in getattr(child, name).items():
            mine[key] = mine[key].merged(entry) if key in mine else entry
        setattr(out, name, mine)
    out.titles = dict(parent.titles)
    for tid, title in child.titles.items():
        if tid not in out.titles:
            for version in title.versions:
                if version.remove:
                    remove_at = version.remove[0][1]
                    msg = Message(
                        N_(
                            "remove applies to a version of the parent rulebook; "
                            "title {tid!r} is new"
                        ),
                        tid=tid,
                    )
                    raise remove_at.error(msg)
            out.titles[tid] = title
            continue
        out.titles[tid] = _merge_title(out.titles[tid], title, tid)
    return out


def _merge_title(parent: RawTitle, child: RawTitle, tid: str) -> RawTitle:
    versions = {v.start: v for v in parent.versions}
    for version in child.versions:
        base = versions.get(version.start)
        if base is None:
            if version.remove:
                msg = Message(
                    N_(
                        "remove applies to a version of the parent rulebook, but title {tid!r} has "
                        "no version starting {start}"
                    ),
                    tid=tid,
                    start=version.start,  # a date: 01/01/2021 in Vietnamese
                )
                raise version.remove[0][1].error(msg)
            versions[version.start] = version
            continue
        criteria = {c.values["id"]: c for c in base.criteria}
        for criterion_id, at in version.remove:
            if criterion_id not in criteria:
                msg = Message(
                    N_(
                        "cannot remove {criterion_id!r}: the parent's version has no such "
                        "criterion{hint}"
                    ),
                    criterion_id=criterion_id,
                    hint=did_you_mean(criterion_id, criteria),
                )
                raise at.error(msg)
            del criteria[criterion_id]
        for criterion in version.criteria:
            cid = criterion.values["id"]
            criteria[cid] = criteria[cid].merged(criterion) if cid in criteria else criterion
        merged = RawVersion(
            base.entry.merged(version.entry), version.start, list(criteria.values())
        )
        versions[version.start] = merged
    ordered = [versions[k] for k in sorted(versions)]
    return RawTitle(parent.entry.merged(child.entry), ordered)


# ------------------------------------------------------------------------------- reading


def read_bytes(path: FsPath, name: str) -> bytes:
    return read_file(path, file=name, what="rulebook")


def load_raw(data: bytes, name: str, directory: FsPath | None, seen: tuple[str, ...]) -> RawBook:
    parsed, locator = read_toml(data, name)
    file = RuleFile(name, locator, directory)
    raw = read_entries(parsed, file)
    extends = raw.meta.get("extends")
    if extends is None:
        return raw
    at = raw.meta.place("extends")
    if not isinstance(extends, str) or not extends.strip():
        msg = Message(N_("extends must name a rulebook: a bundled id or a path to a .toml file"))
        raise at.error(msg)
    if len(seen) >= MAX_EXTENDS:
        msg = Message(
            N_("the chain of extends is deeper than {limit}: {chain}"),
            limit=MAX_EXTENDS,
            chain=" -> ".join(seen),
        )
        raise at.error(msg)
    parent_data, parent_name, parent_dir = _resolve_parent(extends, directory, at)
    key = os.path.normcase(os.path.abspath(parent_name)) if parent_dir is not None else parent_name
    if key in seen:
        msg = Message(N_("extends makes a cycle: {chain}"), chain=" -> ".join((*seen, key)))
        raise at.error(msg)
    parent = load_raw(parent_data, parent_name, parent_dir, (*seen, key))
    return merge(parent, raw)


_OUTSIDE = N_(
    "extends = {extends!r} is refused: extends must name a bundled rulebook (such as "
    "'vn-national') or a .toml file beside this one: in its folder or a folder below, "
    "written relative to it"
)


def _resolve_parent(
    extends: str, directory: FsPath | None, at: At
) -> tuple[bytes, str, FsPath | None]:
    looks_like_path = extends.endswith(".toml") or "/" in extends or os.sep in extends
    if looks_like_path:
        return _read_beside(extends, directory, at)
    bundled = bundled_directory() / f"{extends}.toml"
    if not RULEBOOK_ID.match(extends) or not bundled.is_file():
        known = [p.name[:-5] for p in bundled_directory().iterdir() if p.name.endswith(".toml")]
        hint = did_you_mean(extends, known)
        msg = Message(
            N_("extends names {extends!r}, which is not a bundled rulebook{hint}"),
            extends=extends,
            hint=hint,
        )
        raise at.error(msg)
    return bundled.read_bytes(), f"{extends}.toml", None


def _read_beside(extends: str, directory: FsPath | None, at: At) -> tuple[bytes, str, FsPath]:
    """Read a parent named by path, confined to the child's folder and the folders below.

    Symlinks are resolved before the check, so a link in the folder that points outside
    is refused too. Whatever lies outside, the error is the same sentence: it must not
    tell whether a file exists there, is readable or is TOML.
    """
    written = FsPath(extends)
    refused = at.error(Message(_OUTSIDE, extends=extends))
    if directory is None or written.is_absolute() or written.drive or written.root:
        raise refused
    try:
        folder = directory.resolve()
        path = (folder / written).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        raise refused from None
    if path == folder or not path.is_relative_to(folder):
        raise refused
    shown = directory / written
    if not path.exists():
        msg = Message(
            N_("extends names {extends!r}, but there is no such file ({shown})"),
            extends=extends,
            shown=shown,
        )
        raise at.error(msg)
    return read_bytes(path, str(shown)), str(shown), path.parent
