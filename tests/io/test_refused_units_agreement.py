"""A units file whose refused units leave a level empty says how many, agreeing with them.

"1 of 2 units were refused" read wrong: one was, several were. The counts are taken from
the file itself: its rows with a level no tree has, and all its rows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from learnsoc.errors import LevelsError
from learnsoc.io.population import read_units


def _units(tmp_path: Path, communes: int) -> Path:
    """One province and its ``communes``, each with a level no tree has (``Xyz``)."""
    rows = ["01,Tinh,province,", *(f"0100{k},Xa {k},Xyz,01" for k in range(1, communes + 1))]
    path = tmp_path / "units.csv"
    path.write_text("code,name,level,parent_code\n" + "\n".join(rows) + "\n", "utf-8")
    return path


@pytest.mark.parametrize(("communes", "verb"), [(1, "was"), (2, "were")])
def test_the_units_refused_agree_with_their_number(
    tmp_path: Path, communes: int, verb: str
) -> None:
    path = _units(tmp_path, communes)
    lines = path.read_text("utf-8").splitlines()[1:]
    refused = sum(",Xyz," in ln for ln in lines)
    assert refused == communes
    with pytest.raises(LevelsError) as info:
        read_units(path, levels=["province", "commune"])
    said = f"; {refused} of {len(lines)} units {verb} refused, first: "
    assert said in str(info.value)
    vi = f"; {refused}/{len(lines)} đơn vị bị loại, đơn vị đầu tiên: "  # one form
    assert vi in info.value.localized("vi")
