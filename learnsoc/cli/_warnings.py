"""Printing the warnings a command caught, in the command line's words."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from learnsoc.cli._printing import warn
from learnsoc.errors import Translatable
from learnsoc.i18n import LOCALES, N_, gettext, use_locale


def print_caught(
    items: list[warnings.WarningMessage], missing: Sequence[tuple[str, str]] = ()
) -> None:
    """Print caught warnings; ``missing``: the evaluation's missing inputs (CLI wording)."""
    from learnsoc.rules.rulebook import MissingInputWarning

    for w in items:
        if missing and issubclass(w.category, MissingInputWarning):
            warn(_missing_inputs_text(missing))
        elif isinstance(w.message, Translatable):
            warn(w.message.localized())
        else:
            warn(str(w.message))


def in_locales(item: warnings.WarningMessage, missing: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Return a caught warning as :func:`print_caught` prints it, in every language."""
    from learnsoc.rules.rulebook import MissingInputWarning

    out = {}
    for locale in LOCALES:
        with use_locale(locale):
            if missing and issubclass(item.category, MissingInputWarning):
                out[locale] = _missing_inputs_text(missing)
            elif isinstance(item.message, Translatable):
                out[locale] = item.message.localized(locale)
            else:
                out[locale] = str(item.message)
    return out


#: Inputs named per level in the missing-inputs warning (the rest are counted).
_SHOWN_INPUTS = 6


def _missing_inputs_text(missing: Sequence[tuple[str, str]]) -> str:
    """Say which inputs no --inputs file gave, level by level, and how to give them."""
    by_level: dict[str, list[str]] = {}
    for level, name in missing:
        by_level.setdefault(level, []).append(name)
    parts = []
    for level, names in by_level.items():
        shown = ", ".join(names[:_SHOWN_INPUTS])
        if len(names) > _SHOWN_INPUTS:
            shown += gettext(N_(" and {n} more")).format(n=len(names) - _SHOWN_INPUTS)
        # The level as the reader says it, and as --inputs LEVEL=FILE spells it.
        label = gettext(level)
        parts.append(f"{label} ({level}): {shown}" if label != level else f"{level}: {shown}")
    return gettext(
        N_(
            "no data for the inputs {inputs}; criteria reading them are unknown for "
            "everyone. Give them with --inputs LEVEL=FILE: the units' code (or the "
            "entities' id) and one column per input"
        )
    ).format(inputs="; ".join(parts))
