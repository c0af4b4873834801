"""Moved to :mod:`learnsoc._toml`, the one TOML layer of rulebooks, targets and mappings.

Kept so that code importing the old path keeps working: every name is looked up there.
"""

from typing import Any

import learnsoc._toml as _moved


def __getattr__(name: str) -> Any:
    return getattr(_moved, name)
