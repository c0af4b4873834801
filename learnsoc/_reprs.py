"""One-line reprs in the default locale: ``Population(3.000 nhân khẩu, ...)`` after set_locale.

A notebook shows an object's HTML, but ``print(obj)``, a list of objects and a terminal
show its ``repr()``. The class name, ids and codes stay as a program writes them (they are
what a user types); the words and the digit grouping follow the default locale
(:func:`learnsoc.set_locale`, :func:`learnsoc.use_locale`), English by default, as they
were.

Examples
--------
>>> from learnsoc.i18n import use_locale
>>> count_words("{n} rejected row", "{n} rejected rows", 1_250)
'1,250 rejected rows'
>>> with use_locale("vi"):
...     count_words("{n} rejected row", "{n} rejected rows", 1_250)
'1.250 dòng bị loại'
"""

from __future__ import annotations

from collections.abc import Iterable, Sized

from learnsoc.i18n import format_integer, get_locale, gettext, ngettext, normalize_locale

__all__ = ["count_words", "level_counts", "level_list", "repr_tail", "repr_words"]


def count_words(singular: str, plural: str, n: int, **values: object) -> str:
    """Return ``n`` and its noun in the default locale (a catalog id with ``{n}``).

    ``values`` fill the message's other placeholders. The extraction of the catalogs
    knows this function as it knows ``ngettext``.
    """
    loc = get_locale()
    return ngettext(singular, plural, n, loc).format(n=format_integer(n, loc), **values)


def repr_words(message: str, **values: object) -> str:
    """Return a catalog message in the default locale, its integers grouped as it groups."""
    loc = get_locale()
    shown = {k: format_integer(v, loc) if type(v) is int else v for k, v in values.items()}
    return gettext(message, loc).format(**shown)


def level_list(levels: Iterable[tuple[str, str]], locale: str | None = None) -> str:
    """Return levels as a list: ``province, commune`` / ``cấp tỉnh, cấp xã``.

    ``levels`` holds (level id, message id of its name; "" for the id): English writes
    the ids, as a program does (and as ``--levels`` takes them); Vietnamese the names,
    as the units files and their users do.

    Examples
    --------
    >>> level_list([("province", "province"), ("commune", "")], "vi")
    'cấp tỉnh, cấp xã'
    >>> level_list([("province", "province"), ("commune", "")], "en")
    'province, commune'
    """
    loc = normalize_locale(locale)
    return ", ".join(
        level if loc == "en" else gettext(label or level, loc) for level, label in levels
    )


def level_counts(counts: Iterable[tuple[str, str, int]]) -> str:
    """Return the units per level: ``1 province, 3 village`` / ``cấp tỉnh: 1, ...``.

    ``counts`` holds (level id, level's name in the default locale, number of units):
    English writes the id, as a program does; Vietnamese the name.
    """
    loc = get_locale()
    parts = []
    for level, label, n in counts:
        shown = level if loc == "en" else label
        parts.append(gettext("{n} {level}", loc).format(n=format_integer(n, loc), level=shown))
    return ", ".join(parts)


def repr_tail(skipped: Sized, missing_inputs: Sized) -> str:
    """Return the end of an evaluation's one-line repr: what was skipped or not given.

    Examples
    --------
    >>> repr_tail(["c1"], ["plan", "budget"]), repr_tail([], [])
    ('; 1 skipped; 2 missing inputs', '')
    """
    more = ""
    if skipped:
        more += "; " + repr_words("{n} skipped", n=len(skipped))
    if missing_inputs:
        more += "; " + count_words("{n} missing input", "{n} missing inputs", len(missing_inputs))
    return more
