"""Floor 6: the edges. Readers and writers of files and of other packages' data."""

from learnsoc.io.vn_units import vietnam_crosswalk, vietnam_units

__all__ = ["vietnam_crosswalk", "vietnam_units"]
