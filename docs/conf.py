"""Sphinx configuration for the learnsoc documentation."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _ext import write_generated  # noqa: E402

import learnsoc  # noqa: E402

project = "learnsoc"
author = "learnsoc developers"
copyright = "2026, learnsoc developers"
release = learnsoc.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_parser",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "_generated/*.inc.md"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# attrs generates members numpydoc would list twice; types live in the docstrings.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
autodoc_typehints = "none"
autodoc_member_order = "bysource"

# No network in CI: intersphinx only when asked for (LEARNSOC_DOCS_ONLINE=1).
intersphinx_mapping = (
    {
        "python": ("https://docs.python.org/3", None),
        "numpy": ("https://numpy.org/doc/stable/", None),
    }
    if os.environ.get("LEARNSOC_DOCS_ONLINE") == "1"
    else {}
)
intersphinx_timeout = 5

html_theme = "pydata_sphinx_theme"
html_title = "learnsoc"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
language = "en"

write_generated(Path(__file__).resolve().parent / "_generated")
