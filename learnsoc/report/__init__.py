"""Reports: results and progress tables in Vietnamese and English, in every format.

Text, Markdown, HTML, CSV, JSON, pandas and bar charts.

Floor 5 of learnsoc. A :class:`Report` is a table of cells already in one locale (words
from the catalogs, numbers formatted by babel and rounded for display only); its
renderers draw it as paginated text, Markdown or escaped HTML. :mod:`~learnsoc.report.tables`
writes the machine-readable tidy table (CSV with a BOM, JSON, pandas) and
:mod:`~learnsoc.report.plot` draws progress to target (matplotlib, optional).

Examples
--------
>>> from learnsoc.report import Report
>>> from learnsoc.targets import load_targets, progress
>>> h = ls.Hierarchy.from_units({"code": ["02"], "name": ["Hà Giang"], "level": ["province"],
...     "parent_code": [None]}, levels=["province"])
>>> roll = ls.rollup_counts({"unit_code": ["02"], "families": [187624],
...     "learning_families": [138068]}, h)
>>> prog = progress(roll, load_targets("hanoi-23-nq-tu").select(
...     indicators=["learning_families"]), year=2025)
>>> rep = Report.from_progress(prog, "en", rounding="truncate")
>>> rep.sections[0].rows[0].cells[2:]
('73.58%', '138,068 / 187,624 families', 'all families', '≥ 60%', '+13.58', '1 of 1 province', \
'met')
"""

from learnsoc.report.report import Column, Report, Row, Section
from learnsoc.report.results import Results, results

__all__ = ["Column", "Report", "Results", "Row", "Section", "results"]
