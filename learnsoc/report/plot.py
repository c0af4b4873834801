"""Results and progress to target as bar charts (optional extra ``plot``: matplotlib).

One horizontal bar per row with data: the observed value, coloured by status, with the
target marked (:func:`plot_progress`), or the rate alone (:func:`plot_results`). Every
indicator is named with its denominator ("share of learning families (of all
families)"), on the axis when the chart shows one indicator, else in each bar's label.
matplotlib is imported only here, through its object-oriented API: a new
:class:`matplotlib.figure.Figure` when no Axes is given, never pyplot's global state.
Numbers on the bars and the axis are formatted for the locale.

Examples
--------
>>> import pytest; _ = pytest.importorskip("matplotlib")
>>> from learnsoc.targets import load_targets, progress
>>> h = ls.Hierarchy.from_units({"code": ["02"], "name": ["Hà Giang"], "level": ["province"],
...     "parent_code": [None]}, levels=["province"])
>>> roll = ls.rollup_counts({"unit_code": ["02"], "units": [834], "learning_units": [818],
...     "clans": [2263], "learning_clans": [1564]}, h)
>>> prog = progress(roll, load_targets("hanoi-23-nq-tu").select(
...     indicators=["learning_units", "learning_clans"]), year=2025)
>>> ax = plot_progress(prog, locale="vi")
>>> for label in ax.get_yticklabels():
...     print(label.get_text())
Tỷ lệ Dòng họ học tập (trên tổng số dòng họ)
Tỷ lệ Đơn vị học tập (trên tổng số cơ quan, đơn vị)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from learnsoc.errors import OptionalDependencyError
from learnsoc.i18n import N_, gettext, normalize_locale
from learnsoc.model._totals import total_label
from learnsoc.report._build import unit_cell
from learnsoc.report._format import exact_value, format_number, unit_suffix

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from learnsoc.report.results import Results
    from learnsoc.targets.indicators import Indicator
    from learnsoc.targets.progress import Progress

__all__ = ["RESULT_COLOUR", "STATUS_COLOURS", "plot_progress", "plot_results"]

#: Bar colour of each status id.
STATUS_COLOURS = {
    "met": "#2e9e4f",
    "not_met": "#d64545",
    "on_track": "#3b7dd8",
    "off_track": "#e08a1e",
    "abolished": "#98a2b3",
    "met_incomplete": "#e0c11e",
}
#: Bar colour of a results chart (no status to colour by).
RESULT_COLOUR = "#3b7dd8"
_NO_DATA = N_("no data")
_TARGET = N_("target")


def _matplotlib(table: str) -> Any:
    """Return matplotlib's Figure class; ``table`` ("Progress", "Results") needs it to plot."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        if table == "Results":
            raise OptionalDependencyError("matplotlib", "plot", N_("Results.plot()")) from None
        raise OptionalDependencyError("matplotlib", "plot", N_("Progress.plot()")) from None
    return Figure


def _axes(ax: Any, n_bars: int, table: str) -> Any:
    figure = _matplotlib(table)
    if ax is None:
        fig = figure(figsize=(8, 1.6 + 0.4 * max(n_bars, 1)), layout="constrained")
        ax = fig.add_subplot()
    return ax


def _no_data(ax: Any, loc: str) -> Any:
    ax.text(0.5, 0.5, gettext(_NO_DATA, loc), ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    return ax


def _labels(
    units: Sequence[str], indicators: Sequence[Indicator | None], names: Sequence[str]
) -> tuple[list[str], bool]:
    """Bar labels: the unit when one indicator (named on the axis), else name and unit."""
    one_indicator = (
        len({(ind.id if ind else n) for ind, n in zip(indicators, names, strict=True)}) == 1
    )
    one_unit = len(set(units)) == 1
    if one_indicator:
        return list(units), True
    if one_unit:
        return list(names), False
    return [f"{u} · {n}" for u, n in zip(units, names, strict=True)], False


def _lacking_data(
    cols: Mapping[str, NDArray[Any]], rows: NDArray[Any], indicators: Sequence[Indicator | None]
) -> set[str]:
    """Return the indicators some of whose bars leave members without data out.

    An indicator is named once per chart (on the axis, or beside each bar): its basis
    says "with data" when any of its bars is of those with data only.
    """
    missing = cols["missing"][rows] > 0
    return {ind.id for ind, m in zip(indicators, missing.tolist(), strict=True) if ind and m}


def _bars(
    ax: Any,
    values: NDArray[Any],
    texts: list[str],
    colours: list[str],
    labels: list[str],
    suffix: str,
    loc: str,
    marks: NDArray[Any] | None = None,
) -> None:
    """Draw the bars, their numbers, and the targets' marks when there are targets."""
    from matplotlib.ticker import FuncFormatter

    y = np.arange(len(values))[::-1]
    ax.barh(y, values, color=colours)
    # Labels go past the bar or the target mark, whichever ends later, so neither hides them.
    ends = values if marks is None else np.fmax(values, np.where(np.isfinite(marks), marks, values))
    for y_i, end, text in zip(y, ends, texts, strict=True):
        ax.annotate(text, (end, y_i), xytext=(6, 0), textcoords="offset points", va="center")
    if marks is not None:
        ax.scatter(marks, y, marker="|", s=400, color="black", zorder=3)
    ax.set_yticks(y, labels=labels)
    ax.xaxis.set_major_formatter(
        FuncFormatter(
            lambda x, _pos: format_number(Decimal(repr(float(x))), 0, loc, "half_up") + suffix
        )
    )
    top = float(np.nanmax(values if marks is None else np.concatenate([values, marks])))
    ax.set_xlim(0, max(top * 1.2, 1.0))


def _shown_value(
    cols: Mapping[str, NDArray[Any]], i: int, value: float, ind: Indicator | None, computed: bool
) -> Decimal:
    """Return the number a progress bar shows: from the exact counts, as the table's.

    The float value can sit on the other side of a rounding tie than the counts
    (846,149,999,989 / 999,999,999,987 is 84.6149999...%, whose float prints 84.615):
    rounded from the counts, the bar says what the progress and results tables say.
    A row without counts (a target assessed, not computed) shows its value.
    """
    den = int(cols["denominator"][i])
    if ind is None or not computed or den <= 0:
        return Decimal(repr(float(value)))
    return exact_value(int(cols["numerator"][i]), den, ind.factor)


def plot_progress(
    prog: Progress,
    ax: Any = None,
    *,
    locale: str | None = None,
    indicator: str | None = None,
    level: str | None = None,
    max_bars: int = 30,
    rounding: str = "half_up",
) -> Any:
    """Draw observed values against targets as horizontal bars; return the Axes.

    Parameters
    ----------
    prog : Progress
        The progress table.
    ax : matplotlib Axes, optional
        Where to draw; a new Figure's Axes if None.
    locale : str, optional
        Language of labels and number format.
    indicator, level : str, optional
        Keep only the rows of one indicator or one level.
    max_bars : int
        Draw at most this many rows (the first ones).
    rounding : str
        How the numbers on the bars are rounded.

    Raises
    ------
    OptionalDependencyError
        If matplotlib is not installed.

    Examples
    --------
    >>> import pytest; _ = pytest.importorskip("matplotlib")
    >>> from learnsoc.targets import load_targets, progress
    >>> h = ls.Hierarchy.from_units({"code": ["02"], "name": ["Hà Giang"],
    ...     "level": ["province"], "parent_code": [None]}, levels=["province"])
    >>> roll = ls.rollup_counts({"unit_code": ["02"], "units": [834], "learning_units": [818],
    ...     "clans": [2263], "learning_clans": [1564]}, h)
    >>> prog = progress(roll, load_targets("hanoi-23-nq-tu").select(
    ...     indicators=["learning_units", "learning_clans"]), year=2025)
    >>> ax = plot_progress(prog, locale="en", indicator="learning_clans")
    >>> [t.get_text() for t in ax.get_yticklabels()], [t.get_text() for t in ax.texts]
    (['Hà Giang (02)'], ['69.11%'])
    """
    _matplotlib("Progress")
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    loc = normalize_locale(locale)
    if indicator is not None or level is not None:
        prog = prog.filter(indicator=indicator, level=level)
    cols = prog.columns
    rows = np.flatnonzero(np.isfinite(cols["value"]))[:max_bars]
    ax = _axes(ax, len(rows), "Progress")
    if not len(rows):
        return _no_data(ax, loc)
    targets = [prog.target_of(int(i)) for i in rows]
    indicators = [prog.indicator_of(int(i)) for i in rows]
    total = total_label(prog.hierarchy, loc)
    units = [
        unit_cell(cols["level"][i], cols["unit_name"][i], cols["unit_code"][i], total) for i in rows
    ]
    lacking = _lacking_data(cols, rows, indicators)
    names = [
        ind.display_with_basis(loc, missing=int(ind.id in lacking))
        if ind is not None and not t.labels
        else t.display(ind, loc)
        for t, ind in zip(targets, indicators, strict=True)
    ]
    labels, one = _labels(units, indicators, names)
    values = cols["value"][rows]
    status_ids = [prog.statuses()[int(i)].id for i in rows]
    colours = [STATUS_COLOURS.get(s, "#98a2b3") for s in status_ids]
    factors = {ind.factor for ind in indicators if ind is not None}
    suffix = unit_suffix(factors.pop()) if len(factors) == 1 else ""
    texts = [
        format_number(
            _shown_value(cols, int(i), v, ind, t.computed),
            ind.decimals if ind else 0,
            loc,
            rounding,
        )
        + suffix
        for i, v, ind, t in zip(rows, values, indicators, targets, strict=True)
    ]
    _bars(ax, values, texts, colours, labels, suffix, loc, marks=cols["target"][rows])
    if one:
        ax.set_xlabel(names[0])
    handles: list[Any] = [
        Patch(color=STATUS_COLOURS[s], label=_status_label(s, loc))
        for s in STATUS_COLOURS
        if s in status_ids
    ]
    handles.append(
        Line2D(
            [],
            [],
            marker="|",
            markersize=14,
            color="black",
            linestyle="None",
            label=gettext(_TARGET, loc),
        )
    )
    ax.set_title(prog.targets.name_in(loc) + f" ({prog.year})")
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.06),
        ncols=len(handles),
        frameon=False,
    )
    return ax


def plot_results(
    res: Results,
    ax: Any = None,
    *,
    locale: str | None = None,
    indicator: str | None = None,
    level: str | None = None,
    max_bars: int = 30,
    rounding: str = "half_up",
    decimals: int | Mapping[str, int] | None = None,
) -> Any:
    """Draw the rates of a results table as horizontal bars; return the Axes.

    Parameters
    ----------
    res : Results
        From :func:`learnsoc.results`.
    ax : matplotlib Axes, optional
        Where to draw; a new Figure's Axes if None.
    locale : str, optional
        Language of labels and number format.
    indicator, level : str, optional
        Keep only the rows of one indicator or one level.
    max_bars : int
        Draw at most this many rows (the first ones).
    rounding : str
        How the numbers on the bars are rounded.
    decimals : int or mapping of indicator id to int, optional
        Decimals of the numbers on the bars, instead of each indicator's own.

    Raises
    ------
    OptionalDependencyError
        If matplotlib is not installed.

    Examples
    --------
    >>> import pytest; _ = pytest.importorskip("matplotlib")
    >>> from learnsoc.report.results import results
    >>> h = ls.Hierarchy.from_units({"code": ["02"], "name": ["Hà Giang"],
    ...     "level": ["province"], "parent_code": [None]}, levels=["province"])
    >>> roll = ls.rollup_counts({"unit_code": ["02"], "families": [187624],
    ...     "learning_families": [138068]}, h)
    >>> ax = plot_results(results(roll), locale="en", rounding="truncate")
    >>> ax.get_xlabel(), [t.get_text() for t in ax.texts]
    ('share of learning families (of all families)', ['73.58%'])
    """
    from learnsoc.report._build import check_decimals, decimals_for

    _matplotlib("Results")
    loc = normalize_locale(locale)
    check_decimals(decimals, [ind.id for ind in res.indicators])
    if indicator is not None or level is not None:
        res = res.filter(indicator=indicator, level=level)
    cols = res.columns
    # Totals only: a breakdown's bars ("of which female") would repeat the units' labels.
    totals = cols["group_index"] < 0
    rows = np.flatnonzero(np.isfinite(cols["value"]) & totals)[:max_bars]
    ax = _axes(ax, len(rows), "Results")
    if not len(rows):
        return _no_data(ax, loc)
    indicators = [res.indicator_of(int(i)) for i in rows]
    total = total_label(res.hierarchy, loc)
    units = [
        unit_cell(cols["level"][i], cols["unit_name"][i], cols["unit_code"][i], total) for i in rows
    ]
    lacking = _lacking_data(cols, rows, indicators)
    names = [ind.display_with_basis(loc, missing=int(ind.id in lacking)) for ind in indicators]
    labels, one = _labels(units, indicators, names)
    values = cols["value"][rows]
    factors = {ind.factor for ind in indicators}
    suffix = unit_suffix(factors.pop()) if len(factors) == 1 else ""
    # The numbers on the bars come from the exact counts, like the table's.
    texts = [
        format_number(
            exact_value(int(cols["numerator"][i]), int(cols["denominator"][i]), ind.factor),
            decimals_for(decimals, ind),
            loc,
            rounding,
        )
        + unit_suffix(ind.factor)
        for i, ind in zip(rows, indicators, strict=True)
    ]
    _bars(ax, values, texts, [RESULT_COLOUR] * len(rows), labels, suffix, loc)
    if one:
        ax.set_xlabel(names[0])
    from learnsoc.report._build import RESULTS_TITLE, RESULTS_TITLE_YEAR

    if res.year is None:
        ax.set_title(gettext(RESULTS_TITLE, loc))
    else:
        ax.set_title(gettext(RESULTS_TITLE_YEAR, loc).format(year=res.year))
    return ax


def _status_label(status_id: str, locale: str) -> str:
    from learnsoc.targets.progress import Status

    return Status[status_id.upper()].display(locale)
