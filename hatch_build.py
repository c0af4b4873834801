"""Hatchling build hook: compile the gettext catalogs (.po -> .mo) into the wheel.

The .mo files are build artefacts (git-ignored); listing them in ``artifacts`` makes
hatchling include them although git ignores them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface[Any]):
    """Compile learnsoc/locale/*/LC_MESSAGES/*.po to .mo before building."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(Path(self.root, "learnsoc", "locale").glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as f:
                catalog = read_po(f)
            mo = po.with_suffix(".mo")
            with mo.open("wb") as f:
                write_mo(f, catalog, use_fuzzy=False)
            build_data["artifacts"].append(mo.relative_to(self.root).as_posix())
