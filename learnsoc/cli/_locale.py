"""The language of a command line: ``--locale``, else the environment."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence

from learnsoc.i18n import LOCALES, LocaleError, normalize_locale

#: Where the language comes from when ``--locale`` is not given, first set first.
LOCALE_VARIABLES = ("LEARNSOC_LOCALE", "LC_ALL", "LC_MESSAGES", "LANG")

#: What the language option may be written as: ``--locale``, and ``--lang``, which users
#: type from ``LANG`` and other tools (not shown in the help, which names ``--locale``).
LOCALE_OPTIONS = ("--locale", "--lang")


def add_lang_alias(parser: argparse.ArgumentParser) -> None:
    """Take ``--lang vi`` as ``--locale vi`` (hidden from the help); no default of its own.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> _ = parser.add_argument("--locale", default="en", choices=LOCALES)
    >>> add_lang_alias(parser)
    >>> parser.parse_args(["--lang", "vi"]).locale, parser.parse_args([]).locale
    ('vi', 'en')
    """
    parser.add_argument(
        "--lang", dest="locale", choices=LOCALES, default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )


def resolve_locale(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    """Return the language of a command line: ``--locale``, else the environment.

    The order: ``--locale`` (or ``--lang``) on the command line; else ``LEARNSOC_LOCALE``; else the
    environment's locale (``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``, the first
    that is set, as POSIX programs read them) when it is Vietnamese (``vi_VN.UTF-8``);
    else English. A ``--locale`` or ``LEARNSOC_LOCALE`` that learnsoc has no catalog for
    is an error; another language in ``LANG`` (``fr_FR.UTF-8``, ``C``) means English.

    Raises
    ------
    LocaleError
        If ``--locale`` or ``LEARNSOC_LOCALE`` names a language learnsoc does not have.

    Examples
    --------
    >>> resolve_locale(["report", "--locale", "vi"], {})
    'vi'
    >>> resolve_locale(["demo", "--lang", "vi"], {})
    'vi'
    >>> resolve_locale(["report"], {"LEARNSOC_LOCALE": "vi", "LANG": "en_US.UTF-8"})
    'vi'
    >>> resolve_locale(["report"], {"LANG": "vi_VN.UTF-8"})
    'vi'
    >>> resolve_locale(["report"], {"LC_ALL": "C", "LANG": "vi_VN.UTF-8"})
    'en'
    """
    env = os.environ if environ is None else environ
    given: str | None = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg in LOCALE_OPTIONS and i + 1 < len(argv):
            given = argv[i + 1]
        elif arg.partition("=")[0] in LOCALE_OPTIONS and "=" in arg:
            given = arg.partition("=")[2]
    if given is not None:
        # A bad --locale is argparse's to report (with the choices), in English.
        return given if given in LOCALES else "en"
    if env.get("LEARNSOC_LOCALE"):
        return normalize_locale(env["LEARNSOC_LOCALE"])
    for name in LOCALE_VARIABLES[1:]:
        value = env.get(name)
        if value:
            try:
                return normalize_locale(value)
            except LocaleError:
                return "en"
    return "en"
