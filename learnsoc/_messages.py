"""Messages marked for translation: the ``N_`` marker, :class:`Message`, and :func:`in_english`.

This module imports nothing from learnsoc, so that :mod:`learnsoc.errors` and
:mod:`learnsoc.i18n` can both use it.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

__all__ = ["NN_", "N_", "Message", "english_only", "in_english"]

_english: contextvars.ContextVar[bool] = contextvars.ContextVar("learnsoc_english", default=False)


@contextlib.contextmanager
def in_english() -> Iterator[None]:
    """Write every message in English inside the block, whatever the default locale.

    :func:`learnsoc.i18n.get_locale` is ``"en"`` inside it: the English text of a
    message is made so, even when a value in it is an error whose ``str()`` follows the
    default locale.

    Examples
    --------
    >>> with in_english():
    ...     english_only()
    True
    >>> english_only()
    False
    """
    token = _english.set(True)
    try:
        yield
    finally:
        _english.reset(token)


def english_only() -> bool:
    """Whether this is inside :func:`in_english`."""
    return _english.get()


def N_(message: str) -> str:  # noqa: N802  (the conventional gettext marker name)
    """Mark a message for extraction without translating it now.

    Module-level constants (level names, code labels, headings) are marked with ``N_``
    and translated later, at display time, with the locale the caller asks for.

    Examples
    --------
    >>> N_("learning family")
    'learning family'
    """
    return message


def NN_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802  (as N_)
    """Mark a noun's two forms for extraction; ``ngettext`` picks one for a count later.

    Examples
    --------
    >>> NN_("household", "households")
    ('household', 'households')
    """
    return singular, plural


class Message:
    """An English message kept as its catalog id and values, to be translated later.

    ``str(message)`` is the English text; pass the message to
    :meth:`Translatable.translatable` so an error or warning can be printed in another
    language. Mark the template with ``N_`` so the catalog tools find it.

    Examples
    --------
    >>> from learnsoc.errors import HierarchyError
    >>> m = Message(N_("hierarchy {name!r} needs at least one level"), name="xa")
    >>> str(m)
    "hierarchy 'xa' needs at least one level"
    >>> HierarchyError(str(m)).translatable(m).localized("vi")
    "hệ thống đơn vị hành chính 'xa' cần ít nhất một cấp"
    """

    __slots__ = ("id", "params")

    def __init__(self, id: str, /, **params: Any) -> None:
        self.id = id
        self.params: Mapping[str, Any] = MappingProxyType(dict(params))

    def __str__(self) -> str:
        # English whatever the default locale: an error or a warning among the values
        # (whose str() follows the default locale) is written in English too, as the
        # English message an error keeps and translates when it is shown.
        with in_english():
            return self.id.format(**self.params)

    def __repr__(self) -> str:
        return f"Message({self.id!r}, **{dict(self.params)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Its params are a read-only view, which pickle refuses: a message kept by a
        # worker's evaluation (why a title was skipped) reaches the caller as itself.
        return (_message, (self.id, dict(self.params)))


def _message(id: str, params: dict[str, Any]) -> Message:
    """Rebuild a pickled :class:`Message`."""
    return Message(id, **params)
