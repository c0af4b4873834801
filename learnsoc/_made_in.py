"""Objects made in one language (an explanation, a report) shown in another.

An :class:`~learnsoc.rules.explain.Explanation` or a :class:`~learnsoc.report.Report`
holds words and numbers already written in the locale it was made in. Shown in another
locale (``to_text(locale)``, ``to_html(locale)``), it is made again from what it was made
from: the object keeps how (a function of the locale). One made by hand from its cells
cannot be, and saying so beats showing Vietnamese to a reader who asked for English.

Examples
--------
>>> remade_in("vi", None, None, "report.to_html()") is None  # shown in its own language
True
>>> remade_in("vi", "en", lambda loc: f"made in {loc}", "report.to_html()")
'made in en'
>>> try:
...     remade_in("vi", "en", None, "prog.report('en')")
... except LocaleError as err:
...     print(err.localized("vi"))
nội dung này được tạo bằng ngôn ngữ 'vi' và không thể tạo lại bằng 'en': hãy tạo bằng \
'en' (prog.report('en'))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from learnsoc._messages import N_, Message
from learnsoc._translation import LocaleError, normalize_locale

__all__ = ["remade_in"]

_T = TypeVar("_T")

CANNOT_REMAKE = N_(
    "this was made in {made!r} and cannot be made again in {asked!r}: make it in {asked!r} ({how})"
)


def remade_in(
    made: str, locale: str | None, remake: Callable[[str], _T] | None, how: str
) -> _T | None:
    """Return the object made again in ``locale``, or None when it is already in it.

    Parameters
    ----------
    made : str
        The locale the object was made in.
    locale : str, optional
        The locale asked for; None keeps the object's own.
    remake : callable, optional
        Makes the object again in a locale; None when it was made by hand.
    how : str
        How a user makes it in another locale, for the error.

    Raises
    ------
    LocaleError
        If ``locale`` is not one learnsoc has, or the object cannot be made again in it.
    """
    if locale is None:
        return None
    asked = normalize_locale(locale)
    if asked == made:
        return None
    if remake is None:
        msg = Message(CANNOT_REMAKE, made=made, asked=asked, how=how)
        raise LocaleError(str(msg)).translatable(msg)
    return remake(asked)
