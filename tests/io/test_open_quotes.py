"""The lines that leave a quote open, found over the bytes, are those Python's csv finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from learnsoc.io import csv
from learnsoc.io._open_quotes import open_quote_lines


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([",", ";", "\t", "|"]),
    st.lists(st.text(alphabet=st.sampled_from(list('"ab ,;\t|đ')), max_size=12), max_size=8),
)
def test_open_quote_lines_are_the_lines_pythons_csv_leaves_open(
    delim: str, lines: list[str]
) -> None:
    data = ("header\n" + "".join(line + "\n" for line in lines)).encode()
    starts = []
    at = len(b"header\n")
    for line in lines:
        starts.append(at)
        at += len((line + "\n").encode())
    # Each line read alone by the standard library, as the windows' reader reads it.
    want = [at for at, line in zip(starts, lines, strict=True) if csv._opens_quote(line, delim)]
    assert open_quote_lines(data, len(b"header\n"), delim) == want
