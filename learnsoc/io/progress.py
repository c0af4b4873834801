"""Deprecated: the bars moved to :mod:`learnsoc._bars` (``progress_bar`` is ``tqdm_bar``).

"Progress" in learnsoc means progress towards targets; this module stays for one release
so that ``from learnsoc.io.progress import progress_bar`` keeps working, with a warning.
"""

import warnings
from typing import Any

from learnsoc import _bars


def __getattr__(name: str) -> Any:
    if name == "progress_bar":
        msg = (
            "learnsoc.io.progress.progress_bar is deprecated; "
            "use learnsoc._bars.tqdm_bar or the bars= keyword of the readers and writers"
        )
        warnings.warn(msg, DeprecationWarning, stacklevel=2)
        return _bars.tqdm_bar
    msg = f"module 'learnsoc.io.progress' has no attribute {name!r}"
    raise AttributeError(msg)
