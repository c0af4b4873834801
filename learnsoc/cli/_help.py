"""The command line's help in every language: argparse's words, placeholders, texts."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from typing import Any

from learnsoc.i18n import N_, gettext, ngettext

#: The placeholders of the usage lines, in words a reader reads (vi: ``--out TỆP``), as
#: the catalogs' messages write them; a placeholder not listed (``N``) stays as it is.
_METAVARS = {
    "ADDRESS": N_("ADDRESS"),
    "COLUMNS": N_("COLUMNS"),
    "COMMAND": N_("COMMAND"),
    "DATE": N_("DATE"),
    "DELIMITER": N_("DELIMITER"),
    "DIR": N_("DIR"),
    "ENCODING": N_("ENCODING"),
    "FILE": N_("FILE"),
    "FOLDER": N_("FOLDER"),
    "ID[,ID...]": N_("ID[,ID...]"),
    "LEVEL": N_("LEVEL"),
    "LEVELS": N_("LEVELS"),
    "PERSONS": N_("PERSONS"),
    "REFERENCE_YEAR": N_("REFERENCE_YEAR"),
    "RULEBOOK": N_("RULEBOOK"),
    "SEED": N_("SEED"),
    "SHARE": N_("SHARE"),
    "TARGETS": N_("TARGETS"),
    "YEAR": N_("YEAR"),
    "[FILE=]NAME|N": N_("[FILE=]NAME|N"),
    "[LEVEL=]FILE": N_("[LEVEL=]FILE"),
    "persons": N_("PERSONS_FILE"),
}


def parser_actions(parser: argparse.ArgumentParser) -> Iterator[argparse.Action]:
    """Yield every action of a parser and its subcommands, each once."""
    seen: set[int] = set()
    stack = [parser]
    while stack:
        p = stack.pop()
        for action in p._actions:
            if id(action) not in seen:
                seen.add(id(action))
                yield action
            if isinstance(action, argparse._SubParsersAction):
                stack.extend(action.choices.values())


def translate_metavar(action: argparse.Action, locale: str) -> None:
    """Name an action's placeholder in ``locale``; the value it stores keeps its ``dest``."""
    if action.nargs == 0 or (action.metavar is None and action.choices is not None):
        return  # a flag, or a choice argparse spells out ({en,vi})
    metavar = action.metavar
    if metavar is None:  # argparse's own: the dest, upper-cased for an option
        metavar = action.dest.upper() if action.option_strings else action.dest
    if isinstance(metavar, str) and metavar in _METAVARS:
        action.metavar = gettext(_METAVARS[metavar], locale)


def parser_texts(parser: argparse.ArgumentParser) -> Iterator[tuple[Any, str]]:
    """Yield (object, attribute) for every text of a parser that a person reads.

    Descriptions, epilogs, group titles and help strings, of the parser and its
    subcommands; each object once (parsers made with ``parents=`` share actions).
    """
    seen: set[int] = set()

    def texts(owner: Any, *attrs: str) -> Iterator[tuple[Any, str]]:
        for attr in attrs:
            value = getattr(owner, attr, None)
            if isinstance(value, str) and value and value != argparse.SUPPRESS:
                key = id(owner) * 31 + hash(attr)
                if key not in seen:
                    seen.add(key)
                    yield owner, attr

    def walk(p: argparse.ArgumentParser) -> Iterator[tuple[Any, str]]:
        yield from texts(p, "description", "epilog")
        for group in p._action_groups:
            yield from texts(group, "title", "description")
        for action in p._actions:
            yield from texts(action, "help")
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    yield from texts(choice, "help")
                for child in action.choices.values():
                    yield from walk(child)

    yield from walk(parser)


# argparse's own words: it looks them up with gettext.gettext, which knows nothing of
# learnsoc's catalogs, so argparse_words points argparse's gettext at them.
_ARGPARSE_WORDS = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
)


@contextlib.contextmanager
def argparse_words(locale: str) -> Iterator[None]:
    """Translate argparse's own words ("usage:", "error:") into ``locale`` in the block."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def plural(singular: str, plural: str, n: int) -> str:
        return ngettext(singular, plural, n, locale)

    setattr(argparse, "_", lambda message: gettext(message, locale))  # noqa: B010
    setattr(argparse, "ngettext", plural)  # noqa: B010
    try:
        yield
    finally:
        setattr(argparse, "_", saved[0])  # noqa: B010
        setattr(argparse, "ngettext", saved[1])  # noqa: B010
