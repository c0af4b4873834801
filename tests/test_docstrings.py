"""Every public function and class has a numpydoc Examples section (run as a doctest).

The public callables are those named in ``learnsoc.__all__`` and in the ``__all__`` of every
public module (no ``_`` in its dotted path). The examples themselves run with the doctests
(``--doctest-modules`` in pyproject.toml); this test checks that they exist.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import learnsoc

#: A numpydoc Examples heading: the word, then a line of dashes as long.
_EXAMPLES = re.compile(r"^Examples\n-{8}$", re.MULTILINE)


def public_callables() -> dict[str, object]:
    """Return every public function and class, by defining module and qualified name."""
    modules = ["learnsoc"] + [
        info.name
        for info in pkgutil.walk_packages(learnsoc.__path__, "learnsoc.")
        if not any(part.startswith("_") for part in info.name.split("."))
    ]
    found: dict[str, object] = {}
    for name in modules:
        module = importlib.import_module(name)
        for attr in getattr(module, "__all__", ()):
            obj = getattr(module, attr)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


def has_examples(obj: object) -> bool:
    """Return whether the object's own docstring has a numpydoc Examples section.

    A class's docstring is its own (``__doc__``), not one inherited from its base.
    """
    return bool(_EXAMPLES.search(inspect.cleandoc(getattr(obj, "__doc__", None) or "")))


def test_the_examples_check_reads_numpydoc_sections() -> None:
    """A heading counts when it is one of numpydoc's; prose mentioning examples does not."""

    def documented() -> None:
        """Do nothing.

        Examples
        --------
        >>> documented()
        """

    def mentioned() -> None:
        """Do nothing (see the Examples of another function)."""

    assert [has_examples(documented), has_examples(mentioned)] == [True, False]


def test_every_public_callable_has_an_examples_section() -> None:
    """A public function or class added without examples is named here."""
    missing = sorted(name for name, obj in public_callables().items() if not has_examples(obj))
    assert missing == []


def test_the_scale_examples_build_their_dataset_once() -> None:
    """The examples of the scale modules read one dataset, built in one place.

    Each example built the same two provinces and wrote them again (eight times): the
    module docstring of ``learnsoc.scale.local`` shows the set-up, the root ``conftest.py``
    gives the others ``folder`` and ``dataset``, so each shows only what it documents.
    """
    import learnsoc.scale.dask
    import learnsoc.scale.local

    local, dask = (inspect.getsource(m) for m in (learnsoc.scale.local, learnsoc.scale.dask))
    assert local.count("ls.Hierarchy.from_units(") == 1
    assert local.count("ls.write_dataset(") == 1
    assert "from_units(" not in dask
    assert "write_dataset(" not in dask
