"""The names of a rollup's own rows and measures: the total row, completeness.

Kept apart from :mod:`learnsoc.aggregate.rollup` (which re-exports them) so that
:mod:`learnsoc.aggregate.rolled`, which reads a rollup back, needs no import of it.

Examples
--------
>>> TOTAL, RESERVED
('total', ('units_reporting', 'units_expected'))
"""

from __future__ import annotations

__all__ = ["EXPECTED", "REPORTING", "RESERVED", "TOTAL"]

#: The level (and name) of a rollup's row of the whole data.
TOTAL = "total"
#: Measure names of completeness (DHIS2's "reporting rate"): at each row, the units of the
#: reporting level under it that sent data, and those expected to.
REPORTING = "units_reporting"
EXPECTED = "units_expected"
RESERVED = (REPORTING, EXPECTED)
