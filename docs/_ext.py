"""Pages generated at build time from the code, so the docs cannot drift from it."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path


def _table(rows: Sequence[Sequence[str]], head: Sequence[str]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def write_generated(folder: Path) -> None:
    """Write the glossary and CLI tables as Markdown fragments included by the pages."""
    from learnsoc.i18n import gettext
    from learnsoc.model.codes import Education, Employment, OrganisationType, Qualification, Sex
    from learnsoc.model.hierarchy import PRESETS
    from learnsoc.vocabulary import TERMS

    folder.mkdir(exist_ok=True)
    terms = [(f"`{k}`", gettext(v, "en"), gettext(v, "vi")) for k, v in TERMS.items()]
    levels = {lv.name: lv for spec in PRESETS.values() for lv in spec.levels}
    level_rows = [(f"`{name}`", lv.display("en"), lv.display("vi")) for name, lv in levels.items()]
    code_rows = [
        (f"`{enum.__name__}.{m.name}` = {int(m)}", m.label("en"), m.label("vi"))
        for enum in (Sex, Education, Qualification, Employment, OrganisationType)
        for m in enum
    ]
    (folder / "glossary_terms.inc.md").write_text(
        _table(terms, ("id", "English", "Tiếng Việt")), encoding="utf-8"
    )
    (folder / "glossary_levels.inc.md").write_text(
        _table(level_rows, ("level", "English", "Tiếng Việt")), encoding="utf-8"
    )
    (folder / "glossary_codes.inc.md").write_text(
        _table(code_rows, ("code", "English", "Tiếng Việt")), encoding="utf-8"
    )
    from learnsoc.targets.progress import Status

    status_rows = [(f"`{s.id}`", s.display("en"), s.display("vi")) for s in Status]
    (folder / "glossary_statuses.inc.md").write_text(
        _table(status_rows, ("status", "English", "Tiếng Việt")), encoding="utf-8"
    )
    from learnsoc.model.schema import STANDARD_SCHEMA

    schema_rows = []
    for table in STANDARD_SCHEMA.tables.values():
        for c in table.columns:
            what: str = c.kind
            if c.kind == "code" and c.codes is not None:
                what = f"code ({c.codes.__name__})"
            elif c.minimum is not None or c.maximum is not None:
                what = f"{c.kind} {c.expected()}"
            storage = c.dtype if c.kind in ("bool", "int", "float", "code") else "id / text"
            req = "yes" if c.required else ""
            schema_rows.append(
                (table.name, f"`{c.name}`", what, storage, req, gettext(c.label, "en"),
                 gettext(c.label, "vi"))
            )  # fmt: skip
    (folder / "schema.inc.md").write_text(
        _table(
            schema_rows, ("table", "column", "kind", "storage", "required", "English", "Tiếng Việt")
        ),
        encoding="utf-8",
    )
    from learnsoc.cli import build_parser

    parser = build_parser()
    (folder / "cli_help.inc.md").write_text(
        "```text\n" + parser.format_help() + "```\n", encoding="utf-8"
    )
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    parts = []
    for action in subparsers:
        for name, sub in action.choices.items():
            parts.append(f"## `learnsoc {name}`\n\n```text\n{sub.format_help()}```\n")
    (folder / "cli_commands.inc.md").write_text("\n".join(parts), encoding="utf-8")
