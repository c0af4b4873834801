"""Old Mac line breaks (a lone CR) read through pyarrow, line for line as with LF."""

from __future__ import annotations

import numpy as np
import pytest

from learnsoc.io.csv import NumberKind, read_csv_bytes

TEXT = "id,name,age\n1,An,30\n2,Bình\n\n3,Chi Lê,41\n4,Dũng,52\n"


def _numbers(name: str) -> NumberKind | None:
    return "int64" if name == "age" else None


def test_a_file_of_lone_cr_breaks_reads_through_pyarrow_with_its_line_numbers() -> None:
    pytest.importorskip("pyarrow")
    lf = read_csv_bytes(TEXT.encode(), "lf.csv", numbers=_numbers, engine="python")
    cr = read_csv_bytes(TEXT.replace("\n", "\r").encode(), "cr.csv", numbers=_numbers)
    # The exact engine gives text cells; pyarrow parsed the age column as numbers.
    batch = next(iter(cr.iter_batches()))
    assert str(batch["age"].type) == "int64"
    got = {h: np.concatenate([np.asarray(b[h]) for b in cr.iter_batches()]) for h in cr.header}
    want = {h: np.concatenate([np.asarray(b[h]) for b in lf.iter_batches()]) for h in lf.header}
    assert got["name"].tolist() == want["name"].tolist() == ["An", "Chi Lê", "Dũng"]
    assert got["age"].tolist() == [30, 41, 52]
    # Line 3 is short (a malformed record), line 4 blank: the same lines as with LF.
    assert cr.layout.line_of(cr.layout.malformed).tolist() == [3]
    assert cr.layout.line_of(cr.layout.kept).tolist() == [2, 5, 6]
    assert lf.layout.line_of(lf.layout.kept).tolist() == [2, 5, 6]


def test_a_break_in_a_quoted_cell_of_a_lone_cr_file_reads_as_lf() -> None:
    text = 'id,name\r1,"Lê, Chi"\r2,"hai\rdòng"\r'.encode()
    table = read_csv_bytes(text, "q.csv")
    names = np.concatenate([np.asarray(b["name"]) for b in table.iter_batches()])
    # The break inside the quotes is a line break still (written as LF).
    assert names.tolist() == ["Lê, Chi", "hai\ndòng"]
    assert table.layout.line_of(table.layout.kept).tolist() == [2, 3]


def test_a_file_mixing_cr_and_lf_breaks_is_read_by_the_exact_engine() -> None:
    pytest.importorskip("pyarrow")
    mixed = "id,name,age\r\n1,An,30\r2,Bình,35\n".encode()
    table = read_csv_bytes(mixed, "m.csv", numbers=_numbers)
    batch = next(iter(table.iter_batches()))
    assert isinstance(batch["age"], np.ndarray)  # text cells: the exact engine read it
    assert table.layout.line_of(table.layout.kept).tolist() == [2, 3]
