"""Moved to :mod:`learnsoc._toml` (one TOML layer for rulebooks, targets and mappings).

Kept so that code importing the old path keeps working.
"""

from learnsoc._toml import (
    MAX_BYTES,
    MAX_INTEGER,
    MAX_NESTING,
    Locator,
    Path,
    decode_toml,
    format_path,
    parse_toml,
    read_file,
    read_toml,
)

__all__ = [
    "MAX_BYTES",
    "MAX_INTEGER",
    "MAX_NESTING",
    "Locator",
    "Path",
    "decode_toml",
    "format_path",
    "parse_toml",
    "read_file",
    "read_toml",
]
