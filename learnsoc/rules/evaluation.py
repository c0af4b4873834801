"""The result of an evaluation: every title's verdicts, the numbers behind them, and views.

An :class:`Evaluation` is what :func:`~learnsoc.rules.engine.evaluate` returns. It looks
verdicts up by title or level (:meth:`~Evaluation.titles`, :meth:`~Evaluation.failing`),
counts them (:meth:`~Evaluation.summary`, :meth:`~Evaluation.title_counts`,
:meth:`~Evaluation.rollup`), explains one entity (:meth:`~Evaluation.explain`) and gives
them as a table: :func:`verdict_columns`, one row per entity and title (the columns
:func:`learnsoc.io.write_verdicts` writes, documented in :mod:`learnsoc.io.verdicts`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from html import escape
from typing import TYPE_CHECKING, Any, Protocol

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._arrays import unique_inverse
from learnsoc._messages import N_, Message
from learnsoc._phrases import Phrase
from learnsoc._reprs import count_words, repr_tail
from learnsoc._translation import Translatable, localized_value
from learnsoc.aggregate.groups import Groups
from learnsoc.aggregate.kernels import group_counts
from learnsoc.aggregate.rollup import Count, Rollup, rollup
from learnsoc.errors import RulebookError, SchemaError, UnknownIdError, did_you_mean
from learnsoc.i18n import gettext, normalize_locale
from learnsoc.model.ids import IdIndex, align_id_kinds, normalize_ids
from learnsoc.model.population import Population
from learnsoc.rules._display import as_of_text
from learnsoc.rules.conditions import live_parameters
from learnsoc.rules.context import PopulationContext, entity_ids
from learnsoc.rules.rulebook import Rulebook
from learnsoc.rules.summary import (
    Summary,
    SummaryRow,
    summary_html,
    titles_gone_with_their_level,
)
from learnsoc.rules.verdicts import AtomNumbers, TitleCounts, Verdicts

if TYPE_CHECKING:
    from learnsoc.rules.entries import Title, Version
    from learnsoc.rules.explain import Explanation

__all__ = [
    "Evaluation",
    "evaluation_html",
    "verdict_chunks",
    "verdict_columns",
    "with_title_rates",
]

Array = NDArray[Any]
Mask = NDArray[np.bool_]


@attrs.frozen(eq=False)
class Evaluation:
    """The verdicts of every title of a rulebook for a population, as of a date.

    Attributes
    ----------
    population : Population
    rulebook : Rulebook
    as_of : datetime.date
    skipped : mapping of str to str
        Derived variables and titles not evaluated, and why (a level the population's
        hierarchy does not have), in English.
    skip_reasons : mapping of str to Message
        The same reasons, to be said in any language (the notebook table).
    warnings : tuple of str
        What was used past its end date, and titles decided after their recognition
        procedure was abolished, in English.
    missing_inputs : tuple of (level, name)
        Columns read by the rulebook that nobody gave (unknown for everyone).
    warning_notes : tuple of Translatable
        The same warnings, to be said in any language (the notebook table), their dates
        as the language writes them (31/12/2025 in Vietnamese).

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=2_000, seed=5)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    >>> ev
    Evaluation('example', as of 2025-12-31: 6 titles, 2,000 persons; 3 missing inputs)
    >>> ev.verdicts("learning_family").counts()  # doctest: +NORMALIZE_WHITESPACE
    {'entities': 591, 'assessed': 516, 'passed': 405, 'failed': 111, 'unknown': 0}
    """

    population: Population
    rulebook: Rulebook
    as_of: dt.date
    verdicts_by_title: Mapping[str, Verdicts] = attrs.field(repr=False)
    numbers: Mapping[tuple[str, str], tuple[AtomNumbers, ...]] = attrs.field(repr=False)
    skipped: Mapping[str, str] = attrs.field(factory=dict)
    warnings: tuple[str, ...] = ()
    missing_inputs: tuple[tuple[str, str], ...] = ()
    context: PopulationContext | None = attrs.field(default=None, repr=False)
    skip_reasons: Mapping[str, Message] = attrs.field(factory=dict, repr=False)
    warning_notes: tuple[Translatable, ...] = attrs.field(default=(), repr=False)
    _indexes: dict[str, IdIndex] = attrs.field(factory=dict, repr=False, alias="indexes")

    # -- lookups -----------------------------------------------------------------------
    def _title_ids(self, key: str) -> list[str]:
        if key in self.verdicts_by_title:
            return [key]
        at_level = [t for t, v in self.verdicts_by_title.items() if v.level == key]
        if at_level:
            return at_level
        if key in self.skipped:
            reason = self.skip_reasons.get(key)
            msg = Message(
                N_("title {key!r} was not evaluated: {skipped}"),
                key=key,
                # The reason as a phrase, said in the error's language with it.
                skipped=self.skipped[key] if reason is None else Phrase(reason),
            )
            raise RulebookError(str(msg)).translatable(msg)
        choices = [*self.verdicts_by_title, *{v.level for v in self.verdicts_by_title.values()}]
        msg = Message(
            N_("no title or level {key!r} in this evaluation{hint}"),
            key=key,
            hint=did_you_mean(key, choices),
        )
        raise RulebookError(str(msg)).translatable(msg)

    def _one_title(self, key: str) -> str:
        ids = self._title_ids(key)
        if len(ids) > 1:
            msg = Message(
                N_("level {key!r} has {n} titles ({chain}); name one of them"),
                key=key,
                n=len(ids),
                chain=", ".join(ids),
            )
            raise RulebookError(str(msg)).translatable(msg)
        return ids[0]

    def verdicts(self, title_id: str) -> Verdicts:
        """Return a title's :class:`Verdicts` (by title id, or a level with one title)."""
        return self.verdicts_by_title[self._one_title(title_id)]

    def titles(self, key: str) -> Array:
        """Return the verdict of every entity: bool, or grade codes for graded titles.

        Parameters
        ----------
        key : str
            A title id (``"learning_family"``) or a level with one title
            (``"household"``).

        Returns
        -------
        ndarray
            Aligned with the population's canonical order (or the hierarchy's order of
            units at that level).
        """
        verdicts = self.verdicts(key)
        if verdicts.grade is not None:
            return verdicts.grade
        return verdicts.passed

    def index_of(self, level: str, entity_id: object) -> int:
        """Return the position of an entity (its id, or unit code) at a level.

        Raises
        ------
        UnknownIdError
            If no entity of the level has this id.
        """
        index = self._indexes.get(level)
        ids = entity_ids(self.population, level)
        if index is None:
            index = IdIndex(ids)
            self._indexes[level] = index
        query, _ = normalize_ids(np.array([entity_id], dtype=object))
        _, query = align_id_kinds(ids, query)
        pos, found = index.lookup(query)
        if not bool(found[0]):
            raise UnknownIdError(level, entity_id)
        return int(pos[0])

    # -- views -------------------------------------------------------------------------
    def failing(self, key: str, criterion: str | None = None, *, unknown: bool = False) -> Array:
        """Return the ids (unit codes for units) of assessed entities failing a title or criterion.

        Parameters
        ----------
        key : str
            A title id, or a level with one title.
        criterion : str, optional
            A criterion id; without it, entities not granted the title.
        unknown : bool, default False
            Return those whose result is unknown instead of known to fail.

        Examples
        --------
        >>> import learnsoc as ls, warnings
        >>> from learnsoc.rules.registry import load_rulebook
        >>> pop = ls.synthetic_population(persons=3_000, seed=5, hierarchy="vn-pre-2025")
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     ev = ls.evaluate(pop, load_rulebook("example"), "2025-12-31")
        >>> failing = ev.failing("village", criterion="share_learning_families")
        >>> set(failing) <= set(pop.hierarchy.codes_at("village"))
        True
        """
        verdicts = self.verdicts(key)
        if criterion is None:
            mask = verdicts.unknown if unknown else verdicts.failed
        else:
            passed, known = verdicts.criterion(criterion)
            mask = verdicts.assessed & (~known if unknown else known & ~passed)
        ids = entity_ids(self.population, verdicts.level)
        out: Array = ids[np.flatnonzero(mask)]
        return out

    def summary(self) -> Summary:
        """Return the counts per title (assessed, granted, not granted, unknown)."""
        rows = []
        for title_id, v in self.verdicts_by_title.items():
            title = v.title
            assessed = int(np.count_nonzero(v.assessed))
            passed = int(np.count_nonzero(v.passed))
            unknown = int(np.count_nonzero(v.unknown))
            grades: tuple[tuple[int, str, str, int], ...] = ()
            if v.grade is not None:
                counts = np.bincount(v.grade.astype(np.int64), minlength=128)
                grades = tuple(
                    (g.code, g.label.vi, g.label.en, int(counts[g.code])) for g in title.grades
                )
            abolished = title.abolished
            rows.append(
                SummaryRow(
                    title=title_id,
                    label_vi=title.label.vi,
                    label_en=title.label.en,
                    level=v.level,
                    version=v.version.start.isoformat(),
                    entities=len(v),
                    assessed=assessed,
                    passed=passed,
                    failed=assessed - passed - unknown,
                    unknown=unknown,
                    grades=grades,
                    uncertain=self.rests_on_uncertain(title_id),
                    abolished=abolished.start.isoformat()
                    if abolished is not None and abolished.applies(self.as_of)
                    else None,
                    abolished_by=self._abolishing_document(title),
                    no_data=0
                    if v.unassessed_unknown is None
                    else int(np.count_nonzero(v.unassessed_unknown)),
                    in_force=v.version.in_force,
                    replaced_by=v.version.replaced_by,
                    replaced_by_document=self._replacing_document(v.version),
                    partial_data=int(np.count_nonzero(v.partial_data)),
                    partial_members=v.partial_members(),
                )
            )
        gone = titles_gone_with_their_level(
            self.rulebook, self.skipped, self.population.hierarchy.spec, self.as_of
        )
        return Summary(self.as_of.isoformat(), tuple(rows), gone=gone)

    def _abolishing_document(self, title: Title) -> str | None:
        """Return the document that abolished a title's procedure by the date, if named."""
        abolition = title.abolished
        if abolition is None or not abolition.applies(self.as_of) or abolition.source is None:
            return None
        source = self.rulebook.sources.get(abolition.source)
        return None if source is None else source.document

    def _replacing_document(self, version: Version) -> str | None:
        """Return the document that replaced a title's scheme: its placeholder's source."""
        if version.replaced_by is None or version.source is None:
            return None
        source = self.rulebook.sources.get(version.source)
        return None if source is None else source.document

    def rests_on_uncertain(self, title_id: str) -> bool:
        """Return whether a title's verdicts rest on something no source pins.

        True when the version applied is ``uncertain`` (how its criteria combine), one
        of its criteria is, or a parameter its criteria or eligibility read on this date
        is (a parameter in a branch a switch drops does not count: see
        :func:`~learnsoc.rules.rulebook.live_parameters`). Titles it counts (a commune's
        learning families) are not followed: their own rows say it.

        Examples
        --------
        >>> import learnsoc as ls, warnings
        >>> from learnsoc.rules.registry import load_rulebook
        >>> pop = ls.synthetic_population(persons=2_000, seed=5)
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     ev = ls.evaluate(pop, load_rulebook("vn-national"), "2019-12-31")
        >>> ev.rests_on_uncertain("learning_family")  # 448 scores points, pass mark unknown
        True
        >>> ev.rests_on_uncertain("learning_citizen")  # the recorded recognition decides
        False
        """
        verdicts = self.verdicts(title_id)
        title, version = verdicts.title, verdicts.version
        if version.uncertain or any(c.uncertain for c in version.criteria):
            return True
        params = self.rulebook.parameters
        trees = [(c.tree, c.parameters) for c in version.criteria]
        if title.eligible_tree is not None:
            trees.append((title.eligible_tree, title.eligible_parameters))
        for tree, names in trees:
            values = {n: params[n].value_at(self.as_of)[0].value for n in names}
            if any(params[n].uncertain for n in live_parameters(tree, names, values)):
                return True
        return False

    def title_counts(self) -> dict[str, TitleCounts]:
        """Return each title's counts at the units its entities are attached to.

        The rollup adds these up the hierarchy; see :class:`TitleCounts`.

        Examples
        --------
        >>> import learnsoc as ls, warnings
        >>> from learnsoc.rules.registry import load_rulebook
        >>> pop = ls.synthetic_population(persons=3_000, seed=5)
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     ev = ls.evaluate(pop, load_rulebook("example"), "2025-12-31")
        >>> counts = ev.title_counts()["learning_family"]
        >>> int(counts.passed.sum()) == int(ev.titles("learning_family").sum())
        True
        """
        pop = self.population
        h = pop.hierarchy
        leaf_start = int(h.starts[h.n_levels - 1])
        # One grouping per level, shared by its titles; the three verdict masks are
        # counted in one pass (a bincount per mask was a float pass per mask).
        by_level: dict[str, tuple[Groups, Mask | None, int]] = {}

        def grouping(level: str) -> tuple[Groups, Mask | None, int]:
            if level in ("person", "household"):
                if "household" not in by_level:
                    unit = leaf_start + np.asarray(pop.household_unit, np.int64)
                    by_level["household"] = (Groups.from_codes(unit, len(h)), None, 0)
                households = by_level["household"][0]
                if level == "household":
                    return by_level["household"]
                if households.offsets is not None:
                    # Persons are sorted by household, households by unit: each unit's
                    # persons start where its first household's members start.
                    offsets = np.asarray(pop.household_offsets)[households.offsets]
                    return Groups.from_offsets(offsets), None, 0
                unit = leaf_start + np.asarray(pop.household_unit, np.int64)[pop.person_household]
            elif level == "clan":
                unit = np.asarray(pop.clan_unit, np.int64)
            elif level == "organisation":
                unit = np.asarray(pop.organisation_unit, np.int64)
            else:
                k = h.level_number(level)
                unit = int(h.starts[k]) + np.arange(h.n_units(level), dtype=np.int64)
            attached = unit >= 0
            if bool(attached.all()):
                return Groups.from_codes(unit, len(h)), None, 0
            groups = Groups.from_codes(unit[attached], len(h))
            return groups, attached, int((~attached).sum())

        out: dict[str, TitleCounts] = {}
        for title_id, v in self.verdicts_by_title.items():
            if v.level not in by_level:
                by_level[v.level] = grouping(v.level)
            groups, attached, unattached = by_level[v.level]
            masks = [v.assessed, v.passed, v.unknown]
            if attached is not None:
                masks = [m[attached] for m in masks]
            sorted_ = groups.offsets is not None
            assessed, passed, unknown = group_counts(
                groups, masks, method="segments" if sorted_ else "auto"
            )
            out[title_id] = TitleCounts(
                title=title_id,
                level=v.level,
                entities=groups.sizes(),
                assessed=assessed,
                passed=passed,
                unknown=unknown,
                unattached=unattached,
            )
        return out

    def rollup(self) -> Rollup:
        """Count each title at every level of the hierarchy, in one table.

        For each title ``t`` the table has the measures ``t`` (granted),
        ``t_assessed``, ``t_unknown`` and ``t_decided`` (assessed less unknown), and the
        rate ``t`` = granted / decided with ``t_unknown`` as its missing count (the share
        of :meth:`summary`: an unknown verdict is no data, not a refusal), added up from
        the units the entities belong to (a household counts in its village, commune,
        province and the total).

        Examples
        --------
        >>> import learnsoc as ls, warnings
        >>> from learnsoc.rules.registry import load_rulebook
        >>> pop = ls.synthetic_population(persons=3_000, seed=5)
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     ev = ls.evaluate(pop, load_rulebook("example"), "2025-12-31")
        >>> total = ev.rollup().level("total")
        >>> int(total.counts["learning_family"][0]) == int(ev.titles("learning_family").sum())
        True
        >>> rate = total.rate("learning_family")
        >>> v = ev.verdicts("learning_family")
        >>> int(rate.denominator[0]) == int(v.assessed.sum()) - int(v.unknown.sum())
        True
        """
        measures: dict[str, Count] = {}
        for title_id, v in self.verdicts_by_title.items():
            measures[title_id] = Count(v.level, v.passed)
            measures[f"{title_id}_assessed"] = Count(v.level, v.assessed)
            measures[f"{title_id}_unknown"] = Count(v.level, v.unknown)
        return with_title_rates(rollup(self.population, measures), self.verdicts_by_title)

    def to_columns(self, key: str | None = None) -> dict[str, Array]:
        """Return the verdicts as numpy columns.

        Parameters
        ----------
        key : str, optional
            Without it, every title's verdicts in one long table, one row per entity and
            title: the columns :func:`~learnsoc.io.write_verdicts` writes (``level``,
            ``id``, ``title``, ``assessed``, ``passed``, ``known``, ``grade``, ``points``,
            ``failed``, ``unknown``). With a title id (or a level with one title), one row
            per entity of its level: ``id`` then :meth:`Verdicts.to_columns`.

        Examples
        --------
        >>> import learnsoc as ls, warnings
        >>> from learnsoc.rules.registry import load_rulebook
        >>> pop = ls.synthetic_population(persons=1_000, seed=1)
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     ev = ls.evaluate(pop, load_rulebook("example"), "2025-06-30")
        >>> cols = ev.to_columns("learning_family")
        >>> passed = ev.titles("learning_family")
        >>> len(cols["id"]) == pop.n_households, bool((cols["passed"] == passed).all())
        (True, True)
        """
        if key is None:
            return verdict_columns(self)
        verdicts = self.verdicts(key)
        ids: Array = np.asarray(entity_ids(self.population, verdicts.level))
        return {"id": ids, **verdicts.to_columns()}

    def to_pandas(self, key: str | None = None) -> Any:
        """Return :meth:`to_columns` as a pandas DataFrame (extra ``pandas``)."""
        from learnsoc._frames import to_frame

        return to_frame(self.to_columns(key), "pandas", "Evaluation.to_pandas()")

    def to_polars(self, key: str | None = None) -> Any:
        """Return :meth:`to_columns` as a polars DataFrame (extra ``polars``)."""
        from learnsoc._frames import to_frame

        return to_frame(self.to_columns(key), "polars", "Evaluation.to_polars()")

    def to_arrow(self, key: str | None = None) -> Any:
        """Return :meth:`to_columns` as a pyarrow Table (extra ``parquet``)."""
        from learnsoc._frames import to_frame

        return to_frame(self.to_columns(key), "arrow", "Evaluation.to_arrow()")

    def __repr__(self) -> str:
        more = repr_tail(self.skipped, self.missing_inputs)
        titles = count_words("{n} title", "{n} titles", len(self.verdicts_by_title))
        persons = count_words("{n} person", "{n} persons", self.population.n_persons)
        return (
            f"Evaluation({self.rulebook.id!r}, {as_of_text(self.as_of)}: {titles}, {persons}{more})"
        )

    def _repr_html_(self) -> str:
        return evaluation_html(self)

    def to_html(self, locale: str | None = None) -> str:
        """Return the rulebook and the summary table as HTML, in the locale.

        ``None`` is the default locale (:func:`learnsoc.set_locale`), which a notebook's
        display uses.
        """
        return evaluation_html(self, locale)

    def explain(self, key: str, entity_id: object, *, locale: str | None = None) -> Explanation:
        """Explain the verdicts of one entity: each criterion, passed or not, and the numbers.

        Parameters
        ----------
        key : str
            A level (all its titles) or a title id.
        entity_id : object
            The entity's id (unit code for administrative levels).
        locale : str, optional
            ``"vi"`` or ``"en"`` (default: the current locale).

        Returns
        -------
        Explanation
            ``str()`` renders it; its fields hold the same facts as data.
        """
        from learnsoc.rules.explain import explain_entity

        ids = self._title_ids(key)
        level = self.verdicts_by_title[ids[0]].level
        i = self.index_of(level, entity_id)
        return explain_entity(self, ids, level, i, entity_id, locale)


class _Evaluated(Protocol):
    """What :func:`evaluation_html` reads: an Evaluation's, or a DatasetEvaluation's."""

    @property
    def rulebook(self) -> Rulebook: ...
    @property
    def skipped(self) -> Mapping[str, str]: ...
    @property
    def missing_inputs(self) -> tuple[tuple[str, str], ...]: ...
    @property
    def warnings(self) -> tuple[str, ...]: ...
    @property
    def warning_notes(self) -> tuple[Translatable, ...]: ...
    def summary(self) -> Summary: ...


def evaluation_html(ev: _Evaluated, locale: str | None = None) -> str:
    """Render an evaluation (of a population or a dataset): its rulebook, the summary table.

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=2_000, seed=5)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    >>> page = evaluation_html(ev, "en")
    >>> page.startswith("<p><strong>Example rulebook (not official) (example)</strong></p><table>")
    True
    """
    loc = normalize_locale(locale)
    caption = f"{ev.rulebook.info.name.text(loc)} ({ev.rulebook.id})"
    parts = [f"<p><strong>{escape(caption)}</strong></p>", summary_html(ev.summary(), loc)]
    # An Evaluation and a dataset's evaluation keep each reason as a message, said in the
    # table's language; one without (built by hand) has its English text only.
    reasons: Mapping[str, Message] = getattr(ev, "skip_reasons", {})
    skipped = [
        f"{_node_label(ev.rulebook, k, loc)}: " + (_said(reasons[k], loc) if k in reasons else v)
        for k, v in ev.skipped.items()
    ]
    lists = [
        (N_("not evaluated"), skipped),
        (
            N_("columns nobody gave"),
            [_input_label(ev.rulebook, lv, name, loc) for lv, name in ev.missing_inputs],
        ),
        (N_("used past its end date"), [n.localized(loc) for n in ev.warning_notes]),
    ]
    for heading, notes in lists:
        if notes:
            items = "".join(f"<li>{escape(n)}</li>" for n in notes)
            parts.append(f"<p>{escape(gettext(heading, loc))}:</p><ul>{items}</ul>")
    return "".join(parts)


def _said(message: Message, locale: str) -> str:
    """Return a message in a locale, its values written as the locale writes them.

    As an error's message is (a date as 01/7/2025 in Vietnamese, not 2025-07-01).
    """
    values = {k: localized_value(k, v, locale) for k, v in message.params.items()}
    return gettext(message.id, locale).format(**values)


def _input_label(book: Rulebook, level: str, name: str, locale: str) -> str:
    """Return an input's label and the column to give (``Có kế hoạch ... (commune.c1_plan)``)."""
    column = f"{level}.{name}"
    for spec in book.inputs:
        if spec.level == level and spec.name == name:
            return f"{spec.label.text(locale)} ({column})"
    # A column of the standard schema (person.learning_hours) is no rulebook input: its
    # label is the schema's, so that a Vietnamese page does not list bare English ids.
    from learnsoc.model.schema import STANDARD_SCHEMA

    try:
        label = STANDARD_SCHEMA.table(level).column(name).label
    except SchemaError:
        return column
    said = gettext(label, locale) if label else ""
    return f"{said[:1].upper()}{said[1:]} ({column})" if said else column


def _node_label(book: Rulebook, key: str, locale: str) -> str:
    """Return a title's name and id (``Đơn vị học tập cấp huyện (learning_district)``)."""
    for title in book.titles:
        if title.id == key:
            label = title.label.vi if locale == "vi" else title.label.en
            return f"{label} ({key})"
    return key


# ------------------------------------------------------------------------ the long table

_NAMES = ("level", "id", "title", "assessed", "passed", "known", "grade", "points")


def _criteria_text(bits: NDArray[Any], ids: list[str]) -> tuple[NDArray[np.object_], NDArray[Any]]:
    """Spell each distinct bit pattern once (few patterns, many entities).

    Returns the spellings and, per entity, the index of its own: gathering them gives
    an object array of shared Python strings, 8 bytes a row, where a fixed-width numpy
    string array would take rows x the longest spelling x 4 bytes.
    """
    patterns, inverse = unique_inverse(bits)
    texts = np.empty(max(len(patterns), 1), dtype=object)
    texts[:] = [
        ";".join(cid for j, cid in enumerate(ids) if (int(p) >> j) & 1) for p in patterns.tolist()
    ] or [""]
    return texts, inverse.reshape(-1)


def _title_chunks(
    ev: Evaluation, title_id: str, v: Verdicts, rows: int, text_ids: bool = True
) -> Iterator[dict[str, NDArray[Any]]]:

    n = len(v)
    ids = [c.id for c in v.criteria]
    known_fail = v.known_bits & ~v.passed_bits
    all_bits = np.array((1 << len(ids)) - 1, dtype=v.known_bits.dtype)
    failed, failed_at = _criteria_text(known_fail, ids)
    unknown, unknown_at = _criteria_text(~v.known_bits & all_bits, ids)
    entity = np.asarray(ev.population.ids(v.level))
    for start in range(0, n, rows):
        part = slice(start, min(start + rows, n))
        k = part.stop - part.start
        yield {
            "level": np.full(k, v.level),
            "id": entity[part].astype(str) if text_ids else entity[part],
            "title": np.full(k, title_id),
            "assessed": np.asarray(v.assessed[part], bool),
            "passed": np.asarray(v.passed[part], bool),
            "known": np.asarray(v.known[part], bool),
            "grade": (
                np.full(k, -1, np.int8) if v.grade is None else np.asarray(v.grade[part], np.int8)
            ),
            "points": (
                np.full(k, np.nan) if v.points is None else np.asarray(v.points[part], np.float64)
            ),
            "failed": failed[failed_at[part]],
            "unknown": unknown[unknown_at[part]],
        }


def _empty() -> dict[str, NDArray[Any]]:
    empty: dict[str, NDArray[Any]] = {k: np.zeros(0, "<U1") for k in _NAMES[:3]}
    return (
        empty
        | {k: np.zeros(0, bool) for k in _NAMES[3:6]}
        | {
            "grade": np.zeros(0, np.int8),
            "points": np.zeros(0),
            "failed": np.zeros(0, object),
            "unknown": np.zeros(0, object),
        }
    )


def verdict_chunks(
    ev: Evaluation, rows: int, *, text_ids: bool = True
) -> Iterator[dict[str, Array]]:
    """Yield the verdicts table of :func:`verdict_columns`, ``rows`` rows at a time.

    Each chunk holds one title's rows; there is at least one chunk (empty when nothing
    was evaluated), so the columns are always known. :func:`learnsoc.io.verdict_chunks`
    is this generator with the writers' chunk size. ``text_ids=False`` leaves integer
    ids as integers, for a writer that spells them faster (Parquet's ``text_columns``).

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=2_000, seed=5)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    >>> [len(chunk["id"]) for chunk in verdict_chunks(ev, rows=1_000)]
    [1000, 1000, 591, 6, 8, 2, 1]
    """
    if rows < 1:
        msg = f"rows must be at least 1, not {rows}"
        raise ValueError(msg)
    any_rows = False
    for title_id, v in ev.verdicts_by_title.items():
        for chunk in _title_chunks(ev, title_id, v, rows, text_ids):
            any_rows = True
            yield chunk
    if not any_rows:
        yield _empty()


def verdict_columns(ev: Evaluation) -> dict[str, NDArray[Any]]:
    """Return every title's verdicts as one long table (see the module docs).

    ``failed`` and ``unknown`` are object arrays of Python strings (one string shared
    by every row with the same criteria).

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=2_000, seed=5)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    >>> columns = verdict_columns(ev)
    >>> list(columns)[:5], len(columns["id"])
    (['level', 'id', 'title', 'assessed', 'passed'], 2608)
    """
    longest = max([1, *(len(v) for v in ev.verdicts_by_title.values())])
    parts = list(verdict_chunks(ev, rows=longest))
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def with_title_rates(roll: Rollup, titles: Iterable[str]) -> Rollup:
    """Add each title's ``t_decided`` measure and its rate granted / decided to a rollup.

    The rollup has, per title ``t``, the measures ``t``, ``t_assessed`` and ``t_unknown``;
    the rate is defined as ``(t, t_assessed, t_unknown)``, so that, as every rate with a
    missing measure, it leaves the unknown verdicts out of its denominator (granted /
    decided) and carries them as its missing count, as :meth:`Evaluation.summary` and the
    reports count a title's share. ``t_decided`` (assessed less unknown) is added as a
    measure for the tables.
    Shared by :meth:`Evaluation.rollup` and the dataset evaluation's, so that both give
    the same rates.

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=2_000, seed=5)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    >>> roll = ev.rollup()  # which adds the rates of every title with this function
    >>> roll.rate_definitions["learning_family"]
    ('learning_family', 'learning_family_assessed', 'learning_family_unknown')
    >>> total = roll.level("total")
    >>> bool((total.rate("learning_family").denominator
    ...       == total.counts["learning_family_decided"]).all())
    True
    """
    counts = dict(roll.counts)
    rates: dict[str, tuple[str, str, str]] = {}
    for t in titles:
        decided = np.asarray(counts[f"{t}_assessed"]) - np.asarray(counts[f"{t}_unknown"])
        decided.flags.writeable = False
        counts[f"{t}_decided"] = decided
        # The denominator measure counts the unknown verdicts too: Rollup.rate takes them
        # out once (a definition over t_decided would take them out twice).
        rates[t] = (t, f"{t}_assessed", f"{t}_unknown")
    return attrs.evolve(roll, counts=counts).with_rates(rates)
