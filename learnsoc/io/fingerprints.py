"""A Parquet file's fingerprint: its size and a checksum of its footer.

A dataset's manifest records one per file, so that a file replaced after the dataset was
written (another province's file of the same row count, a value edited and the file
written again) is caught when its partition is read, not counted as though it were the
one written. The footer (the file's last bytes: schema, row groups, their sizes, offsets
and the statistics of every column chunk) changes with any change of the data, and
reading it costs one small read, where a checksum of the whole file would read every
byte a second time. The file's modification time is not used: copying a dataset to a
cluster's storage changes it and nothing else.

Examples
--------
>>> import pyarrow as pa, pyarrow.parquet as pq, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "t.parquet"
>>> pq.write_table(pa.table({"age": [30, 8]}), path)
>>> first = fingerprint(path)
>>> sorted(first), first["bytes"] == path.stat().st_size
(['bytes', 'footer'], True)
>>> pq.write_table(pa.table({"age": [30, 9]}), path)  # one value changed, same rows
>>> fingerprint(path) == first
False
"""

from __future__ import annotations

import hashlib
from typing import Any

from learnsoc.io.files import PathLike

__all__ = ["fingerprint", "is_fingerprint"]

#: Parquet's magic bytes, at both ends of a file.
_MAGIC = b"PAR1"


def fingerprint(path: PathLike) -> dict[str, Any] | None:
    """Return ``{"bytes": size, "footer": checksum}`` of a Parquet file, or None.

    The checksum: the first 128 bits of the footer's SHA-256, in hex (32 characters).

    None for a file that does not end as Parquet files end: it is then no Parquet file,
    and the readers say so.

    Examples
    --------
    >>> import pyarrow as pa, pyarrow.parquet as pq, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.parquet"
    >>> pq.write_table(pa.table({"id": [1, 2, 3]}), path)
    >>> found = fingerprint(path)
    >>> found["bytes"] == path.stat().st_size, len(found["footer"])
    (True, 32)
    >>> _ = path.write_bytes(b"not parquet")
    >>> fingerprint(path) is None
    True
    """
    with open(path, "rb") as fh:
        size = fh.seek(0, 2)
        if size < 12:
            return None
        fh.seek(size - 8)
        tail = fh.read(8)
        length = int.from_bytes(tail[:4], "little")
        if tail[4:] != _MAGIC or length > size - 12:
            return None
        fh.seek(size - 8 - length)
        footer = fh.read(length)
    return {"bytes": size, "footer": hashlib.sha256(footer).hexdigest()[:32]}


def is_fingerprint(value: Any) -> bool:
    """Tell whether ``value`` is a fingerprint as :func:`fingerprint` returns one.

    Examples
    --------
    >>> is_fingerprint({"bytes": 10, "footer": "ab" * 16}), is_fingerprint({"bytes": -1})
    (True, False)
    """
    if not isinstance(value, dict) or set(value) != {"bytes", "footer"}:
        return False
    size, footer = value["bytes"], value["footer"]
    ok_size = isinstance(size, int) and not isinstance(size, bool) and size >= 0
    return ok_size and isinstance(footer, str) and len(footer) == 32
