"""A population's headline figures: sizes, units per level, age pyramid, literacy 15-60.

Examples
--------
>>> import learnsoc as ls
>>> s = ls.synthetic_population(persons=5_000, seed=1).summary()
>>> int(s.age_counts.sum()) == s.n_persons
True
>>> print(s.to_text(locale="en").splitlines()[0])
Population (vn-2025)
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Mapping
from typing import Any, Protocol

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._reprs import count_words
from learnsoc.i18n import (
    N_,
    excluding_unknown,
    format_integer,
    format_percent,
    gettext,
    ngettext,
)
from learnsoc.model.codes import Sex
from learnsoc.model.hierarchy import Hierarchy
from learnsoc.rejects import Rejects, table_label

__all__ = [
    "AGE_BANDS",
    "PopulationSummary",
    "rejected_text",
    "sizes_text",
]

#: Lower bounds of the summary's five age bands: 0-14, 15-29, 30-44, 45-59, 60+.
AGE_BANDS: tuple[int, ...] = (0, 15, 30, 45, 60)


def _band_labels() -> list[str]:
    labels = [f"{lo}-{hi - 1}" for lo, hi in itertools.pairwise(AGE_BANDS)]
    return [*labels, f"{AGE_BANDS[-1]}+"]


class Counted(Protocol):
    """What a summary reads of a population: a :class:`~learnsoc.model.Population` is one.

    (A protocol rather than the Population class itself, so that this module needs
    nothing from the module that uses it.)
    """

    @property
    def person_columns(self) -> Mapping[str, NDArray[Any]]:
        """The persons' attribute columns (``age``, and ``sex``, ``literate`` if given)."""

    @property
    def hierarchy(self) -> Hierarchy:
        """The tree of units."""

    @property
    def rejects(self) -> Rejects:
        """The rejects of the population."""

    @property
    def n_persons(self) -> int:
        """Number of persons."""

    @property
    def n_households(self) -> int:
        """Number of households."""

    @property
    def n_empty_households(self) -> int:
        """Number of households without members."""

    @property
    def n_clans(self) -> int:
        """Number of clans."""

    @property
    def n_organisations(self) -> int:
        """Number of organisations."""


@attrs.frozen(eq=False)
class PopulationSummary:
    """Headline figures of a population, computed in a few vectorized passes.

    Attributes
    ----------
    age_counts : ndarray, shape (3, 5)
        Persons per age band (columns, :data:`AGE_BANDS`) for male, female, and sex not
        recorded (rows).
    literate_15_60, persons_15_60, literacy_missing_15_60 : int
        Literate persons aged 15-60, persons aged 15-60 whose literacy is recorded, and
        those whose literacy is not recorded (left out of the rate, not counted as
        illiterate).

    Examples
    --------
    >>> import learnsoc as ls
    >>> summary = ls.synthetic_population(persons=1_000, seed=1).summary()
    >>> summary.literate_15_60, summary.persons_15_60, int(summary.age_counts.sum())
    (672, 682, 1000)
    """

    hierarchy_name: str
    n_persons: int
    n_households: int
    n_empty_households: int
    n_clans: int
    n_organisations: int
    units: tuple[tuple[str, str, int], ...]
    age_counts: NDArray[np.int64]
    literate_15_60: int
    persons_15_60: int
    literacy_missing_15_60: int
    read_accepted_rejected: dict[str, tuple[int, int, int]]
    #: Rows skipped as no data per table (totals rows, headings), where there were any.
    skipped_rows: dict[str, int] = attrs.field(factory=dict)

    @classmethod
    def of(cls, pop: Counted) -> PopulationSummary:
        """Compute the summary of a population."""
        age = pop.person_columns["age"]
        band = np.searchsorted(np.array(AGE_BANDS[1:]), age, side="right")
        sex = pop.person_columns.get("sex")
        row = np.full(len(age), 2, np.int64)
        if sex is not None:
            row = np.where(sex == Sex.MALE, 0, np.where(sex == Sex.FEMALE, 1, 2))
        age_counts = np.bincount(row * len(AGE_BANDS) + band, minlength=3 * len(AGE_BANDS))
        working = (age >= 15) & (age <= 60)
        lit = pop.person_columns.get("literate")
        if lit is None:
            n_lit, n_known, n_missing = 0, 0, int(working.sum())
        else:
            n_lit = int((working & (lit == 1)).sum())
            n_known = int((working & (lit <= 1)).sum())
            n_missing = int(working.sum()) - n_known
        h = pop.hierarchy
        units = tuple((lv.name, lv.label, h.n_units(lv.name)) for lv in h.spec.levels)
        return cls(
            hierarchy_name=h.spec.name,
            n_persons=pop.n_persons,
            n_households=pop.n_households,
            n_empty_households=pop.n_empty_households,
            n_clans=pop.n_clans,
            n_organisations=pop.n_organisations,
            units=units,
            age_counts=age_counts.reshape(3, len(AGE_BANDS)),
            literate_15_60=n_lit,
            persons_15_60=n_known,
            literacy_missing_15_60=n_missing,
            read_accepted_rejected=pop.rejects.counts(),
            skipped_rows={
                t: pop.rejects.n_skipped(t) for t in pop.rejects.read if pop.rejects.n_skipped(t)
            },
        )

    @property
    def literacy_15_60(self) -> float:
        """Literate share of persons aged 15-60 with recorded literacy (NaN if none)."""
        return self.literate_15_60 / self.persons_15_60 if self.persons_15_60 else float("nan")

    def _literacy_counts(self, locale: str | None) -> str:
        """Return the literacy rate's counts, named, and who is left out.

        ``131.562 / 135.482 người trong độ tuổi 15-60``: the noun as the results table
        says it for the same rate. The denominator is the persons whose literacy is
        recorded: the others are said to be left out of it, never listed beside it as if
        they were part of it.
        """
        counts = ngettext(
            "{counts} person aged 15-60", "{counts} persons aged 15-60", self.persons_15_60, locale
        ).format(
            counts=f"{format_integer(self.literate_15_60, locale)} / "
            f"{format_integer(self.persons_15_60, locale)}"
        )
        if self.literacy_missing_15_60:
            counts += f", {excluding_unknown(self.literacy_missing_15_60, locale)}"
        return counts

    def to_text(self, locale: str | None = None) -> str:
        """Render the summary as plain text in the locale."""

        def t(msg: str) -> str:
            return gettext(msg, locale)

        def n(x: Any) -> str:
            return format_integer(int(x), locale)

        title = t(N_("Population"))
        lines = [f"{title} ({self.hierarchy_name})"]
        pairs = [
            (t(N_("persons")), n(self.n_persons)),
            (t(N_("households")), n(self.n_households)),
            (t(N_("households without members")), n(self.n_empty_households)),
            (t(N_("clans")), n(self.n_clans)),
            (t(N_("organisations")), n(self.n_organisations)),
        ]
        pairs += [(gettext(label or name, locale), n(count)) for name, label, count in self.units]
        width = max(len(k) for k, _ in pairs)
        lines += [f"  {k:<{width}}  {v:>12}" for k, v in pairs]
        lines.append("")
        lines.append(t(N_("Age pyramid")))
        heads = [t(N_("age")), t(N_("male")), t(N_("female")), t(N_("not recorded"))]
        lines.append(f"  {heads[0]:<8}" + "".join(f"{h:>16}" for h in heads[1:]))
        for j, label in enumerate(_band_labels()):
            cells = "".join(f"{n(self.age_counts[r, j]):>16}" for r in range(3))
            lines.append(f"  {label:<8}{cells}")
        lines.append("")
        if self.persons_15_60:
            rate = format_percent(self.literacy_15_60, 2, locale)
        else:
            rate = t(N_("no data"))
        literacy = t(N_("Literacy, ages 15-60"))
        lines.append(f"{literacy}: {rate} ({self._literacy_counts(locale)})")
        lines.append("")
        lines.append(t(N_("Rows read, accepted, rejected")))
        counts = self._row_counts(locale)
        # Labels are as long as their language makes them ("thành viên đơn vị"): pad to the
        # longest, so each number stays under its heading.
        width = max([14, *(len(c[0]) for c in counts)])
        heads = [t(N_("read")), t(N_("accepted")), t(N_("rejected"))]
        if self.skipped_rows:
            heads.append(t(N_("skipped")))
        lines.append("  " + " " * width + "".join(f"{h:>14}" for h in heads))
        for label, *figures in counts:
            lines.append(f"  {label:<{width}}" + "".join(f"{n(x):>14}" for x in figures))
        return "\n".join(lines)

    def _row_counts(self, locale: str | None) -> list[tuple[Any, ...]]:
        """Each table's label and rows read, accepted, rejected (and skipped, if any were)."""
        skipping = bool(self.skipped_rows)
        return [
            (table_label(k, locale), r, a, j, *((self.skipped_rows.get(k, 0),) if skipping else ()))
            for k, (r, a, j) in self.read_accepted_rejected.items()
        ]

    def __repr__(self) -> str:
        rejected = sum(j for _, _, j in self.read_accepted_rejected.values())
        sizes = sizes_text(self.n_persons, self.n_households, self.n_clans, self.n_organisations)
        return f"PopulationSummary({self.hierarchy_name!r}: {sizes}; {rejected_text(rejected)})"

    def to_html(self, locale: str | None = None) -> str:
        """Render the summary as HTML tables in the locale: the figures of :meth:`to_text`."""

        def t(msg: str) -> str:
            return html.escape(gettext(msg, locale))

        def n(x: Any) -> str:
            return html.escape(format_integer(int(x), locale))

        def table(caption: str, head: list[str], rows: list[list[str]]) -> str:
            cap = f"<caption>{caption}</caption>" if caption else ""
            th = "".join(f"<th>{h}</th>" for h in head)
            thead = f"<thead><tr>{th}</tr></thead>" if head else ""
            body = "".join(
                "<tr>"
                + f"<th style='text-align:left'>{r[0]}</th>"
                + "".join(f"<td style='text-align:right'>{c}</td>" for c in r[1:])
                + "</tr>"
                for r in rows
            )
            return f"<table>{cap}{thead}<tbody>{body}</tbody></table>"

        sizes = [
            [t(N_("persons")), n(self.n_persons)],
            [t(N_("households")), n(self.n_households)],
            [t(N_("households without members")), n(self.n_empty_households)],
            [t(N_("clans")), n(self.n_clans)],
            [t(N_("organisations")), n(self.n_organisations)],
        ]
        sizes += [[t(label or name), n(count)] for name, label, count in self.units]
        title = html.escape(f"{gettext(N_('Population'), locale)} ({self.hierarchy_name})")
        heads = [t(N_("age")), t(N_("male")), t(N_("female")), t(N_("not recorded"))]
        ages = [
            [html.escape(label), *(n(self.age_counts[r, j]) for r in range(3))]
            for j, label in enumerate(_band_labels())
        ]
        if self.persons_15_60:
            rate = html.escape(format_percent(self.literacy_15_60, 2, locale))
        else:
            rate = t(N_("no data"))
        shown = html.escape(self._literacy_counts(locale))
        literacy = f"<p>{t(N_('Literacy, ages 15-60'))}: {rate} ({shown})</p>"
        counts = [
            [html.escape(label), *(n(x) for x in figures)]
            for label, *figures in self._row_counts(locale)
        ]
        count_heads = ["", t(N_("read")), t(N_("accepted")), t(N_("rejected"))]
        if self.skipped_rows:
            count_heads.append(t(N_("skipped")))
        return (
            table(title, [], sizes)
            + table(t(N_("Age pyramid")), heads, ages)
            + literacy
            + table(
                t(N_("Rows read, accepted, rejected")),
                count_heads,
                counts,
            )
        )

    def _repr_html_(self) -> str:
        return self.to_html()


def sizes_text(persons: int, households: int, clans: int, organisations: int) -> str:
    """Return a population's sizes for a one-line repr, in the default locale.

    Examples
    --------
    >>> sizes_text(3_000, 899, 1, 8)
    '3,000 persons, 899 households, 1 clan, 8 organisations'
    >>> with ls.use_locale("vi"):
    ...     sizes_text(3_000, 899, 1, 8)
    '3.000 nhân khẩu, 899 hộ gia đình, 1 dòng họ, 8 cơ quan, đơn vị'
    """
    return ", ".join(
        (
            count_words("{n} person", "{n} persons", persons),
            count_words("{n} household", "{n} households", households),
            count_words("{n} clan", "{n} clans", clans),
            count_words("{n} organisation", "{n} organisations", organisations),
        )
    )


def rejected_text(rejected: int) -> str:
    """Return ``"1 rejected row"`` / ``"3 rejected rows"`` in the default locale.

    Examples
    --------
    >>> rejected_text(1), rejected_text(3)
    ('1 rejected row', '3 rejected rows')
    """
    return count_words("{n} rejected row", "{n} rejected rows", rejected)
