"""Pieces of a message that are translated on their own, when the message is shown.

A message parameter that is a :class:`~learnsoc.errors.Translatable` is localized with
the message (see :meth:`Translatable.localized`). These two small classes let a message
hold a translated phrase (``"until 2025-06-30"``) or a list of them, so that no English
is pre-formatted into a Vietnamese sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from learnsoc._messages import N_, Message
from learnsoc._translation import LOCALES, Translatable, gettext, normalize_locale

__all__ = ["Joined", "Lazy", "LevelName", "Phrase", "level_names"]


class Phrase(Translatable):
    """A message used as a parameter of another message.

    Examples
    --------
    >>> from learnsoc._messages import N_
    >>> until = Phrase(Message(N_("until {date}"), date="2025-06-30"))
    >>> str(until), until.localized("vi")
    ('until 2025-06-30', 'đến hết 2025-06-30')
    """

    def __init__(self, message: Message | str, **params: Any) -> None:
        self.translatable(message, **params)

    def __str__(self) -> str:
        return str(self.message_id).format(**self.params)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"Phrase({str(self)!r})"


class Joined(Translatable):
    """Parts (text as it is, or translatable phrases) joined by a separator.

    Examples
    --------
    >>> from learnsoc._messages import N_
    >>> both = Joined(["'vn-2025'", Phrase(Message(N_("from {date}"), date="2025-07-01"))])
    >>> str(both), both.localized("vi")
    ("'vn-2025' from 2025-07-01", "'vn-2025' từ 2025-07-01")
    """

    def __init__(self, parts: Sequence[str | Translatable], separator: str = " ") -> None:
        self.parts = tuple(parts)
        self.separator = separator

    def __str__(self) -> str:
        return self.separator.join(str(p) for p in self.parts)

    def __repr__(self) -> str:
        return f"Joined({str(self)!r})"

    def localized(self, locale: str | None = None) -> str:
        """Return the parts joined, each phrase in ``locale``."""
        return self.separator.join(
            p.localized(locale) if isinstance(p, Translatable) else p for p in self.parts
        )


class Lazy(Translatable):
    """Text made in the reader's language only when it is shown (``text(locale)``).

    For a value whose English and Vietnamese come from elsewhere, such as the message
    of the first rejected row (:meth:`learnsoc.rejects.Rejects.records`).

    Examples
    --------
    >>> greeting = Lazy(lambda locale: "xin chào" if locale == "vi" else "hello")
    >>> str(greeting), greeting.localized("vi")
    ('hello', 'xin chào')

    It pickles with its text in every locale (its function may be a closure, which
    pickle refuses), so an error or a warning holding it travels from a worker process:

    >>> import pickle
    >>> pickle.loads(pickle.dumps(greeting)).localized("vi")
    'xin chào'
    """

    def __init__(self, text: Callable[[str | None], str]) -> None:
        self._text = text
        self._done: dict[str | None, str] = {}

    def text(self, locale: str | None) -> str:
        """Return the text in ``locale`` (made once per locale)."""
        if locale not in self._done:
            self._done[locale] = self._text(locale)
        return self._done[locale]

    def __str__(self) -> str:
        return self.text("en")

    def __repr__(self) -> str:
        return f"Lazy({str(self)!r})"

    def localized(self, locale: str | None = None) -> str:
        """Return the text in ``locale``."""
        return self.text(locale)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Lazy, (_Said({loc: self.text(loc) for loc in LOCALES}),))


class _Said:
    """A :class:`Lazy`'s text in every locale learnsoc speaks: what a pickled one holds."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts

    def __call__(self, locale: str | None) -> str:
        return self.texts[normalize_locale(locale)]


class LevelName(Translatable):
    """A tree's level in a message: its id in English, its name in another language.

    English writes the id, as a program does and as ``--levels`` takes it
    (``level 'commune'``); Vietnamese writes the name units files and their users write
    (``cấp xã``), and a level the catalogs do not name as ``cấp 'xa'``. ``with_id`` adds
    the id after the name, for a message that asks for ``--levels``.

    Parameters
    ----------
    name : str
        The level's id (``"commune"``).
    label : str
        Message id of its name (:attr:`learnsoc.model.hierarchy.Level.label`); "" for
        the id itself.
    with_id : bool
        Write the id after the name (``cấp xã (commune)``).

    Examples
    --------
    >>> "{level!r} ({level})".format(level=LevelName("commune"))
    "'commune' (commune)"
    >>> LevelName("commune").localized("vi"), LevelName("xa").localized("vi")
    ('cấp xã', "cấp 'xa'")
    >>> LevelName("village", with_id=True).localized("vi")
    'cấp thôn, tổ dân phố (village)'
    """

    def __init__(self, name: str, label: str = "", *, with_id: bool = False) -> None:
        self.name = name
        self.label = label
        self.with_id = with_id

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return repr(self.name)

    def __format__(self, spec: str) -> str:
        return format(self.name, spec)

    def localized(self, locale: str | None = None) -> str:
        """Return the id in English, else the level's name in ``locale``."""
        loc = normalize_locale(locale)
        if loc == "en":
            return self.name
        message = self.label or self.name
        word = gettext(message, loc)
        if word == message:  # a level of the user's own tree: no name in the catalogs
            return gettext(N_("level {name!r}"), loc).format(name=self.name)
        return f"{word} ({self.name})" if self.with_id else word


def level_names(levels: Sequence[Any], *, with_id: bool = False) -> Joined:
    """Return a tree's levels (:class:`~learnsoc.model.hierarchy.Level`) as a list.

    Examples
    --------
    >>> from learnsoc.model.hierarchy import PRESETS
    >>> names = level_names(PRESETS["vn-2025"].levels)
    >>> str(names), names.localized("vi")
    ('province, commune, village', 'cấp tỉnh, cấp xã, cấp thôn, tổ dân phố')
    """
    return Joined([LevelName(lv.name, lv.label, with_id=with_id) for lv in levels], ", ")
