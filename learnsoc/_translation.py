"""The core of translation: locales, catalogs, and the translatable base of every error.

Translating a message needs the catalogs, and asking for a locale learnsoc has no catalog
for is itself an error that can be translated: the two lean on each other, so they live
here together, below both :mod:`learnsoc.errors` and :mod:`learnsoc.i18n`, which hand out
these names (the same objects) as their own. This module imports nothing from learnsoc
but :mod:`learnsoc._messages`.

Examples
--------
>>> gettext("household", locale="vi"), normalize_locale("vi_VN.UTF-8")
('hộ gia đình', 'vi')
>>> LocaleError("x").localized("en")
'x'
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import difflib
import functools
import io
import numbers
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from gettext import GNUTranslations
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from learnsoc._messages import N_, Message, english_only, in_english

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable


__all__ = [
    "DOMAIN",
    "LOCALES",
    "TABLE_LABELS",
    "LearnsocError",
    "LocaleError",
    "ShownInDefaultLocale",
    "Translatable",
    "closest_name",
    "did_you_mean",
    "get_locale",
    "gettext",
    "load_catalog",
    "localized_hint",
    "localized_value",
    "ngettext",
    "normalize_locale",
    "reduce_exception",
    "render_in",
    "set_locale",
    "table_label",
    "use_locale",
    "vietnamese_date",
]

#: The locales learnsoc ships catalogs for.
LOCALES: tuple[str, ...] = ("en", "vi")

DOMAIN = "learnsoc"


def closest_name(name: str, choices: Iterable[str]) -> str | None:
    """Return the choice a misspelt name was most likely meant to be, or None.

    The match :func:`did_you_mean` suggests: one close enough that a typo is likely.

    Examples
    --------
    >>> closest_name("learning_famlies", ["families", "learning_families"])
    'learning_families'
    >>> print(closest_name("so_dong_ho", ["families", "learning_families"]))
    None
    """
    close = difflib.get_close_matches(name, sorted(set(choices)), n=1, cutoff=0.8)
    return close[0] if close else None


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """Return a "did you mean" hint for a misspelt name, or a list of the choices.

    Parameters
    ----------
    name : str
        The name the user wrote.
    choices : iterable of str
        The names that would have been accepted.

    Returns
    -------
    str
        ``"; did you mean 'x'?"`` when a close match exists, else ``"; expected one of
        'a', 'b'"`` (at most 12 listed), or ``""`` when there are no choices.

    Examples
    --------
    >>> did_you_mean("literat", ["literate", "age"])
    "; did you mean 'literate'?"
    >>> did_you_mean("zzz", ["b", "a"])
    "; expected one of 'a', 'b'"
    """
    options = sorted(set(choices))
    if not options:
        return ""
    close = closest_name(name, options)
    if close is not None:
        return f"; did you mean {close!r}?"
    shown = ", ".join(repr(o) for o in options[:12])
    more = f" (and {len(options) - 12} more)" if len(options) > 12 else ""
    return f"; expected one of {shown}{more}"


_T = TypeVar("_T", bound="Translatable")


class Translatable:
    """A message that can be printed in the reader's language.

    ``str(obj)`` is English (an error's or a warning's is in the default locale, see
    :class:`ShownInDefaultLocale`; :meth:`english` is English for all). An error or
    warning a person commonly meets also carries its message as a catalog id and
    parameters (see :meth:`translatable`), so that the command line and a notebook print
    it in the person's language with :meth:`localized`; the others print in English there
    too.

    Examples
    --------
    >>> err = LearnsocError("no bundled rulebook 'x'").translatable(
    ...     "no bundled rulebook {name!r}{hint}", name="x", hint="")
    >>> err.localized("vi")
    "không có bộ tiêu chí 'x' trong các bộ có sẵn"
    >>> str(err)
    "no bundled rulebook 'x'"
    """

    #: The catalog id of the English message (a ``str.format`` template), if it has one.
    message_id: str | None = None
    #: The values of the message id's placeholders.
    params: Mapping[str, Any] = MappingProxyType({})

    def translatable(self: _T, message_id: str | Message, **params: Any) -> _T:
        """Record the catalog id and values of this message; return the object itself.

        ``message_id.format(**params)`` must be the English text within ``str(self)``
        (a prefix such as ``file:line:`` may surround it). A :class:`Message` gives both.
        """
        if isinstance(message_id, Message):
            self.message_id = message_id.id
            self.params = dict(message_id.params, **params)
        else:
            self.message_id = message_id
            self.params = dict(params)
        return self

    def english(self) -> str:
        """Return the message in English, whatever the default locale.

        ``str()`` of an error or a warning is in the default locale (what a notebook
        shows); a program that logs or compares messages reads this one.

        Examples
        --------
        >>> err = LearnsocError("no bundled rulebook 'x'").translatable(
        ...     "no bundled rulebook {name!r}{hint}", name="x", hint="")
        >>> with use_locale("vi"):
        ...     err.english(), str(err)
        ("no bundled rulebook 'x'", "không có bộ tiêu chí 'x' trong các bộ có sẵn")
        """
        with in_english():
            return str(self)

    def localized(self, locale: str | None = None) -> str:
        """Return the message in ``locale``: translated if it has a message id, else English.

        "Did you mean" hints (see :func:`did_you_mean`) are translated too.
        """
        loc = normalize_locale(locale)
        text = self.english()
        if loc == "en" or self.message_id is None:
            return text
        with in_english():  # the parameters that are messages, as str() wrote them
            english = self.message_id.format(**self.params)
        # Parameters named ``*_text`` are messages themselves (a hint chosen from a few).
        values = {k: localized_value(k, v, loc) for k, v in self.params.items()}
        try:
            theirs = gettext(self.message_id, loc).format(**values)
        except (KeyError, IndexError, ValueError):  # a broken translation: keep English
            return text
        text = text.replace(english, theirs, 1) if english in text else theirs
        return localized_hint(text, loc)


class ShownInDefaultLocale(Translatable):
    """An error or a warning whose ``str()`` is in the default locale.

    A notebook, a traceback and :mod:`warnings` print ``str()``: after
    ``set_locale("vi")`` (or inside ``use_locale("vi")``) they print the Vietnamese
    message. :meth:`~Translatable.english` keeps the English one for programs.
    """

    def __str__(self) -> str:
        if get_locale() != "en":
            return self.localized()
        return super().__str__()


def _rebuild(cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    """Unpickle an error or a warning as it was, without calling its ``__init__``."""
    obj = cls.__new__(cls, *args)
    obj.args = args
    obj.__dict__.update(state)
    return obj


def reduce_exception(exc: BaseException) -> tuple[Any, ...]:
    """Pickle an error or a warning by its message and attributes, whatever its ``__init__``.

    Python pickles an exception as ``cls(*exc.args)``: an error whose ``__init__`` takes
    other parameters than its message (``SchemaError(table, column, problem)``) would
    fail to unpickle, and one sent back by a worker process (``evaluate_dataset`` with
    ``workers=`` or a Dask client) would arrive as a ``TypeError`` about ``__init__``
    instead of itself.

    Examples
    --------
    >>> import pickle
    >>> from learnsoc.errors import SchemaError
    >>> err = pickle.loads(pickle.dumps(SchemaError("person", "agee", "no such column")))
    >>> type(err).__name__, str(err), err.column
    ('SchemaError', "person column 'agee': no such column", 'agee')
    """
    return (_rebuild, (type(exc), exc.args, dict(exc.__dict__)))


class LearnsocError(ShownInDefaultLocale, Exception):
    """Base class of every error learnsoc raises on purpose.

    ``str(err)`` is in the default locale (English unless :func:`set_locale` or
    :func:`use_locale` says otherwise), so that a notebook in Vietnamese shows the
    message in Vietnamese; :meth:`~Translatable.english` is always English and
    :meth:`~Translatable.localized` gives the message in any language when it has a
    catalog id (see :class:`Translatable`). Every one
    pickles as itself (see :func:`reduce_exception`), so an error raised in a worker
    process reaches the caller with its class and attributes.

    Examples
    --------
    >>> import learnsoc as ls
    >>> try:
    ...     ls.load_rulebook("exampel")
    ... except ls.LearnsocError as err:  # every error learnsoc raises on purpose
    ...     print(type(err).__name__, "-", err)
    RulebookError - no bundled rulebook 'exampel'; did you mean 'example'?
    """

    __reduce__ = reduce_exception


def vietnamese_date(value: dt.date) -> str:
    """Write a date as Vietnamese official documents do (Decree 30/2020/NĐ-CP).

    Day and month in figures, with a leading zero for days below 10 and for January and
    February.

    Examples
    --------
    >>> import datetime
    >>> vietnamese_date(datetime.date(2025, 7, 1)), vietnamese_date(datetime.date(2013, 1, 9))
    ('01/7/2025', '09/01/2013')
    """
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"{value.day:02d}/{month}/{value.year}"


class _GroupedInt(int):
    """An integer whose ``{n:,}`` groups digits as its locale does (``1.250`` in Vietnamese).

    Python's ``,`` format spec always writes the English separator; a message id keeps
    ``{n:,}`` (so that English and the catalogs stay as they are) and this integer
    writes the reader's separator instead. Other specs (``{n}``, ``{n:d}``) are int's.
    """

    locale: str | None

    def __new__(cls, value: numbers.Integral, locale: str | None) -> _GroupedInt:
        self = super().__new__(cls, int(value))
        self.locale = locale
        return self

    def __format__(self, spec: str) -> str:
        text = int.__format__(int(self), spec)
        if "," not in spec:
            return text
        from babel.numbers import get_group_symbol

        return text.replace(",", get_group_symbol(normalize_locale(self.locale)))


def localized_value(name: str, value: Any, locale: str | None) -> Any:
    """Translate a parameter that is itself a message: an error, or a ``*_text`` hint.

    A date is written as the locale writes dates in official text: ISO in English,
    ``30/6/2025`` in Vietnamese. An integer shown with ``{n:,}`` groups its digits as
    the locale does.

    Examples
    --------
    >>> "{n:,} rows, row {row}".format(n=localized_value("n", 1250, "vi"),
    ...                                row=localized_value("row", 1250, "vi"))
    '1.250 rows, row 1250'
    """
    if isinstance(value, Translatable):
        return value.localized(locale)
    if isinstance(value, bool):  # an Integral too, but never grouped
        return value
    if isinstance(value, numbers.Integral):  # int, numpy's integers
        return _GroupedInt(value, locale)
    if isinstance(value, dt.date) and normalize_locale(locale) == "vi":
        return vietnamese_date(value)
    if name.endswith("_text") and isinstance(value, str) and value:
        return gettext(value, locale)
    return value


def localized_hint(text: str, locale: str | None) -> str:
    """Translate the "did you mean" hints of :func:`did_you_mean` within a message.

    Examples
    --------
    >>> localized_hint("no level 'x'; did you mean 'xa'?", "vi")
    "no level 'x'; có phải ý bạn là 'xa'?"
    """

    def close(match: re.Match[str]) -> str:
        return gettext(N_("; did you mean {name}?"), locale).format(name=match[1])

    def one_of(match: re.Match[str]) -> str:
        more = match[2]
        if more:
            more = gettext(N_(" (and {n} more)"), locale).format(n=more)
        names = match[1]
        return gettext(N_("; expected one of {names}"), locale).format(names=names) + (more or "")

    text = re.sub(r"; did you mean ('[^']*')\?", close, text)
    return re.sub(r"; expected one of ((?:'[^']*'(?:, )?)+)(?: \(and (\d+) more\))?", one_of, text)


class LocaleError(LearnsocError, ValueError):
    """A locale that learnsoc has no catalog for, or an unknown rounding mode.

    Examples
    --------
    >>> try:
    ...     normalize_locale("fr")
    ... except LocaleError as err:
    ...     print(err)
    unsupported locale 'fr'; expected one of 'en', 'vi'
    """


_default_locale = "en"
_context_locale: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "learnsoc_locale", default=None
)


def normalize_locale(locale: str | None) -> str:
    """Return the supported locale for a locale name, or the current default for ``None``.

    Region and encoding suffixes are dropped: ``"vi_VN"``, ``"vi-VN"`` and
    ``"vi_VN.UTF-8"`` all mean ``"vi"``.

    Raises
    ------
    LocaleError
        If learnsoc has no catalog for that language.

    Examples
    --------
    >>> normalize_locale("vi_VN.UTF-8")
    'vi'
    >>> normalize_locale("EN-us")
    'en'
    """
    if locale is None:
        return get_locale()
    lang = locale.replace("-", "_").split(".")[0].split("_")[0].lower()
    if lang not in LOCALES:
        msg = Message(
            N_("unsupported locale {locale!r}{hint}"),
            locale=locale,
            hint=did_you_mean(lang, LOCALES),
        )
        raise LocaleError(str(msg)).translatable(msg)
    return lang


def get_locale() -> str:
    """Return the locale used when a function is called with ``locale=None``.

    Examples
    --------
    >>> get_locale() in LOCALES
    True
    """
    if english_only():  # the English text of a message is being made
        return "en"
    return _context_locale.get() or _default_locale


def set_locale(locale: str) -> None:
    """Set the process-wide default locale (``"en"`` or ``"vi"``).

    Examples
    --------
    >>> previous = get_locale()
    >>> set_locale("vi")
    >>> gettext("village")
    'cấp thôn, tổ dân phố'
    >>> set_locale(previous)
    """
    global _default_locale
    _default_locale = normalize_locale(locale)


@contextlib.contextmanager
def use_locale(locale: str) -> Iterator[str]:
    """Use a locale as the default inside a ``with`` block (this thread or task only).

    Examples
    --------
    >>> with use_locale("vi"):
    ...     gettext("person")
    'người'
    """
    token = _context_locale.set(normalize_locale(locale))
    try:
        yield get_locale()
    finally:
        _context_locale.reset(token)


def render_in(locale: str | None, render: Callable[[], str]) -> str:
    """Return ``render()`` with ``locale`` as the default (None: the default as it is).

    What each object's ``to_html(locale)`` does with the renderer its notebook display
    uses, so that both say the same in the language asked for.

    Examples
    --------
    >>> render_in("vi", lambda: gettext("person")), render_in("en", lambda: gettext("person"))
    ('người', 'person')
    """
    with use_locale(normalize_locale(locale)):
        return render()


@functools.cache
def _translations(locale: str) -> GNUTranslations:
    return load_catalog(resources.files("learnsoc") / "locale" / locale / "LC_MESSAGES", locale)


def load_catalog(folder: Traversable, locale: str) -> GNUTranslations:
    """Load ``learnsoc.mo`` from a folder, or compile ``learnsoc.po`` in memory if absent.

    Installed wheels ship compiled catalogs; a source checkout has only the ``.po``.
    A ``.mo`` older than its ``.po`` (left by an editable install's build) is stale and
    ignored, so a translation edited in the ``.po`` shows at once.

    Examples
    --------
    >>> from importlib import resources
    >>> folder = resources.files("learnsoc") / "locale" / "vi" / "LC_MESSAGES"
    >>> load_catalog(folder, "vi").gettext("female")
    'nữ'
    """
    mo = folder / f"{DOMAIN}.mo"
    po = folder / f"{DOMAIN}.po"
    if mo.is_file() and not _newer(po, mo):
        # The standard library's reader: babel.support's would import babel's dates and
        # numbers, which a run that formats none of them then pays at start (0.03-0.06 s).
        with mo.open("rb") as fp:
            return GNUTranslations(fp)
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    # A source checkout has only the .po: compile it in memory.
    with po.open("rb") as fp:
        catalog = read_po(fp, locale=locale, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return GNUTranslations(buf)


def _newer(a: Traversable, b: Traversable) -> bool:
    """Whether file ``a`` exists and was modified after ``b`` (False off the file system)."""
    if not (isinstance(a, os.PathLike) and isinstance(b, os.PathLike) and a.is_file()):
        return False
    return os.stat(a).st_mtime > os.stat(b).st_mtime


def gettext(message: str, locale: str | None = None) -> str:
    """Translate a message id into the locale (the default locale if ``None``).

    A message with no translation is returned unchanged (English).

    Examples
    --------
    >>> gettext("learning citizen", locale="vi")
    'công dân học tập'
    >>> gettext("learning citizen", locale="en")
    'learning citizen'
    """
    return _translations(normalize_locale(locale)).gettext(message)


def ngettext(singular: str, plural: str, n: int, locale: str | None = None) -> str:
    """Translate a message with a count: Vietnamese has one form, English two.

    Examples
    --------
    >>> ngettext("{n} row rejected", "{n} rows rejected", 3, locale="en").format(n=3)
    '3 rows rejected'
    >>> ngettext("{n} row rejected", "{n} rows rejected", 1, locale="vi").format(n=1)
    '1 dòng bị loại'
    """
    return _translations(normalize_locale(locale)).ngettext(singular, plural, n)


#: Display names of the input tables.
TABLE_LABELS: Mapping[str, str] = {
    "person": N_("person"),
    "household": N_("household"),
    "clan": N_("clan"),
    "organisation": N_("organisation"),
    "membership": N_("membership"),
    "unit": N_("unit"),
    "counts": N_("counts"),
    "output": N_("output"),
}
#: The table of an evaluator inputs file (``--inputs commune=FILE``) is "<level> inputs".
_INPUTS_SUFFIX = " inputs"


def table_label(table: str, locale: str | None = None) -> str:
    """Return the name of a table as a person reads it, in the locale.

    Examples
    --------
    >>> table_label("household", "vi"), table_label("commune inputs", "vi")
    ('hộ gia đình', 'số liệu đầu vào cấp xã')
    >>> table_label("commune inputs", "en"), table_label("my_table", "vi")
    ('commune inputs', 'my_table')
    """
    label = TABLE_LABELS.get(table)
    if label is not None:
        return gettext(label, locale)
    if table.endswith(_INPUTS_SUFFIX):
        level = table[: -len(_INPUTS_SUFFIX)]
        return gettext(N_("{level} inputs"), locale).format(level=gettext(level, locale))
    return table
