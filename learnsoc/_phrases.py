"""Pieces of a message that are translated on their own, when the message is shown.

A message parameter that is a :class:`~learnsoc.errors.Translatable` is localized with
the message (see :meth:`Translatable.localized`). These two small classes let a message
hold a translated phrase (``"until 2025-06-30"``) or a list of them, so that no English
is pre-formatted into a Vietnamese sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from learnsoc._messages import Message
from learnsoc.errors import Translatable

__all__ = ["Joined", "Lazy", "Phrase"]


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
