"""Progress to target as a bar chart (optional extra ``plot``: matplotlib).

One horizontal bar per row with data: the observed value, coloured by status, with the
target marked. matplotlib is imported only here, through its object-oriented API: a new
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
>>> [t.get_text() for t in ax.get_yticklabels()]
['dòng họ học tập', 'đơn vị học tập']
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from learnsoc.errors import OptionalDependencyError
from learnsoc.i18n import N_, gettext, normalize_locale
from learnsoc.report._format import format_number, unit_suffix

if TYPE_CHECKING:
    from learnsoc.targets.progress import Progress

__all__ = ["STATUS_COLOURS", "plot_progress"]

#: Bar colour of each status id.
STATUS_COLOURS = {
    "met": "#2e9e4f",
    "not_met": "#d64545",
    "on_track": "#3b7dd8",
    "off_track": "#e08a1e",
    "abolished": "#98a2b3",
}
_NO_DATA = N_("no data")
_TARGET = N_("target")


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
    """
    try:
        from matplotlib.figure import Figure
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch
        from matplotlib.ticker import FuncFormatter
    except ImportError:
        raise OptionalDependencyError("matplotlib", "plot", "Progress.plot()") from None
    loc = normalize_locale(locale)
    if indicator is not None or level is not None:
        prog = prog.filter(indicator=indicator, level=level)
    cols = prog.columns
    rows = np.flatnonzero(np.isfinite(cols["value"]))[:max_bars]
    if ax is None:
        fig = Figure(figsize=(8, 1.6 + 0.4 * max(len(rows), 1)), layout="constrained")
        ax = fig.add_subplot()
    if not len(rows):
        ax.text(0.5, 0.5, gettext(_NO_DATA, loc), ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    targets = [prog.target_of(int(i)) for i in rows]
    indicators = [prog.indicator_of(int(i)) for i in rows]
    units = {str(cols["unit_code"][i]) for i in rows}
    kinds = {t.indicator for t in targets}
    labels = []
    for i, t, ind in zip(rows, targets, indicators, strict=True):
        unit = (
            gettext(N_("total"), loc)
            if cols["level"][i] == "total"
            else f"{cols['unit_name'][i]} ({cols['unit_code'][i]})"
        )
        name = t.display(ind, loc)
        labels.append(unit if len(kinds) == 1 else name if len(units) == 1 else f"{unit} · {name}")
    values = cols["value"][rows]
    status_ids = [prog.statuses()[int(i)].id for i in rows]
    colours = [STATUS_COLOURS.get(s, "#98a2b3") for s in status_ids]
    y = np.arange(len(rows))[::-1]
    ax.barh(y, values, color=colours)
    factors = {ind.factor for ind in indicators if ind is not None}
    suffix = unit_suffix(factors.pop()) if len(factors) == 1 else ""
    texts = [
        format_number(Decimal(repr(float(v))), ind.decimals if ind else 0, loc, rounding) + suffix
        for v, ind in zip(values, indicators, strict=True)
    ]
    targets_at = cols["target"][rows]
    # Labels go past the bar or the target mark, whichever ends later, so neither hides them.
    ends = np.fmax(values, np.where(np.isfinite(targets_at), targets_at, values))
    for y_i, end, text in zip(y, ends, texts, strict=True):
        ax.annotate(text, (end, y_i), xytext=(6, 0), textcoords="offset points", va="center")
    ax.scatter(targets_at, y, marker="|", s=400, color="black", zorder=3)
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
    ax.set_yticks(y, labels=labels)
    ax.xaxis.set_major_formatter(
        FuncFormatter(
            lambda x, _pos: format_number(Decimal(repr(float(x))), 0, loc, "half_up") + suffix
        )
    )
    top = float(np.nanmax(np.concatenate([values, cols["target"][rows]])))
    ax.set_xlim(0, max(top * 1.2, 1.0))
    ax.set_title(prog.targets.name_in(loc) + f" ({prog.year})")
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.06),
        ncols=len(handles),
        frameon=False,
    )
    return ax


def _status_label(status_id: str, locale: str) -> str:
    from learnsoc.targets.progress import Status

    return Status[status_id.upper()].display(locale)
