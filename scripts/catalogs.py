"""Maintain learnsoc's message catalogs (learnsoc/locale).

Usage::

    python scripts/catalogs.py update   # re-extract messages, merge into en and vi .po files
    python scripts/catalogs.py check    # fail if the .pot is stale or a message lacks a translation

``update`` fills the English catalog with msgstr == msgid and keeps existing Vietnamese
translations; new Vietnamese entries are left empty for a translator (``check`` fails
until they are filled). Message ids are marked in the code with ``N_(...)``,
``gettext(...)`` and ``ngettext(...)``.
"""

from __future__ import annotations

import copy
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "learnsoc"
LOCALE_DIR = PACKAGE / "locale"
POT = LOCALE_DIR / "learnsoc.pot"
LOCALES = ("en", "vi")
KEYWORDS = {
    "N_": None,
    "NN_": (1, 2),
    "gettext": (1,),
    "ngettext": (1, 2),
    "count_words": (1, 2),  # learnsoc._reprs
    "repr_words": (1,),
}


def extract() -> Catalog:
    catalog = Catalog(project="learnsoc", domain="learnsoc", fuzzy=False)
    method_map = [("**.py", "python")]
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map=method_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        catalog.add(message, None, [(f"learnsoc/{filename}", lineno)])
    # The command line's help strings are plain strings in argparse calls: ask the parser.
    sys.path.insert(0, str(ROOT))
    from learnsoc.cli import help_messages

    for message in help_messages():
        if message not in catalog:
            catalog.add(message, None, [("learnsoc/cli/_parsers.py", 0)])
    return catalog


def _po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / "learnsoc.po"


def _dump(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, omit_header=False, sort_output=True, no_location=True, width=100)
    return buf.getvalue()


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fp:
        return read_po(fp, locale=locale)


def _translated(string: object) -> bool:
    """Whether a msgstr (a text, or a plural entry's tuple of forms) is filled in."""
    forms = string if isinstance(string, (tuple, list)) else (string,)
    return all(forms)


def update() -> None:
    template = extract()
    LOCALE_DIR.mkdir(parents=True, exist_ok=True)
    POT.write_bytes(_dump(template))
    for locale in LOCALES:
        path = _po_path(locale)
        if path.exists():
            catalog = _read(path, locale)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=locale, domain="learnsoc", project="learnsoc", fuzzy=False)
        # update() shares message objects with the template: give it a fresh copy each time.
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True, update_header_comment=False)
        for message in catalog:
            if not message.id:
                continue
            if locale == "en":
                message.string = message.id
            message.flags.discard("fuzzy")
        catalog.obsolete.clear()
        path.write_bytes(_dump(catalog))
        # A plural entry's string is a tuple: untranslated while any of its forms is empty.
        missing = [m.id for m in catalog if m.id and not _translated(m.string)]
        print(f"{locale}: {len(catalog)} messages, {len(missing)} untranslated")
        for m in missing:
            print(f"   untranslated: {m!r}")


def problems() -> list[str]:
    """Return every problem with the catalogs (empty when all is well)."""
    found: list[str] = []
    template = extract()
    if (
        not POT.exists()
        or _read(POT).__len__() != len(template)
        or {m.id for m in _read(POT)} != {m.id for m in template}
    ):
        found.append("learnsoc/locale/learnsoc.pot is stale: run python scripts/catalogs.py update")
    ids = {m.id for m in template if m.id}
    for locale in LOCALES:
        catalog = _read(_po_path(locale), locale)
        have = {m.id: m for m in catalog if m.id}
        for msgid in sorted(ids, key=str):
            msg = have.get(msgid)
            if msg is None or not _translated(msg.string):
                found.append(f"{locale}: no translation for {msgid!r}")
            elif msg.fuzzy:
                found.append(f"{locale}: fuzzy translation for {msgid!r}")
        for msgid, err in ((m.id, e) for m, errs in catalog.check() for e in errs):
            found.append(f"{locale}: {msgid!r}: {err}")
    return found


def main(argv: list[str]) -> int:
    if argv[1:] == ["update"]:
        update()
        return 0
    if argv[1:] == ["check"]:
        found = problems()
        for p in found:
            print(p)
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
