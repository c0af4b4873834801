"""A Dask worker running other learnsoc code under the same version is refused.

Every development checkout says ``0.1.0.dev0``: the versions alone let a worker run a
job pickled by other code. The task compares learnsoc's source digest too, the one a
dataset's manifest records in ``written_by``.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from types import SimpleNamespace

import pytest

import learnsoc
import learnsoc._build
from learnsoc._build import source_digest
from learnsoc.scale.dask import (
    SOURCE,
    WorkerVersionError,
    checked_task,
    differing_versions,
    package_versions,
)
from tests.optional import needs

WORKER = "tcp://10.0.0.7:40123"
OTHER_CODE = "0123456789ab"


def test_the_versions_a_task_carries_hold_the_source_digest() -> None:
    """The digest of the package's files, computed afresh from its folder: the same."""
    versions = package_versions()
    assert versions[SOURCE] == source_digest(Path(learnsoc.__file__).parent)
    assert len(versions[SOURCE]) == 12
    assert versions["learnsoc"] == learnsoc.__version__


def test_the_digests_are_compared_when_both_sides_have_one() -> None:
    here = {"learnsoc": "0.1.0.dev0", "numpy": "2.1.0", SOURCE: "3f9a1c2b7d10"}
    assert differing_versions(here, dict(here)) == []
    assert differing_versions(here, {**here, SOURCE: OTHER_CODE}) == [SOURCE]
    # A package read from a zip file has no digest; a worker from before digests sends none.
    assert differing_versions(here, {**here, SOURCE: ""}) == []
    assert differing_versions({**here, SOURCE: ""}, {**here, SOURCE: OTHER_CODE}) == []
    assert differing_versions(here, {k: v for k, v in here.items() if k != SOURCE}) == []
    assert differing_versions(here, {**here, "numpy": "2.0.0", SOURCE: OTHER_CODE}) == [
        "numpy",
        SOURCE,
    ]


def test_same_version_other_code_names_both_digests_in_both_languages() -> None:
    here = {"learnsoc": "0.1.0.dev0", "numpy": "2.1.0", SOURCE: "3f9a1c2b7d10"}
    err = WorkerVersionError(WORKER, here, {**here, SOURCE: OTHER_CODE})
    assert str(err) == (
        f"the Dask worker {WORKER} runs other learnsoc code than this client, both version "
        f"0.1.0.dev0: source {OTHER_CODE} on the worker, 3f9a1c2b7d10 on the client; "
        "install the client's learnsoc on every worker"
    )
    assert "pip install" not in str(err)  # the same version: installing it changes nothing
    vi = err.localized("vi")
    assert vi != str(err)
    assert all(part in vi for part in (WORKER, OTHER_CODE, "3f9a1c2b7d10", "0.1.0.dev0"))
    # With another difference, both are listed under the general message.
    both = WorkerVersionError(WORKER, here, {**here, "numpy": "2.0.0", SOURCE: OTHER_CODE})
    assert str(both) == (
        f"the Dask worker {WORKER} runs other versions than this client: numpy 2.0.0 on the "
        f"worker, 2.1.0 on the client; learnsoc source {OTHER_CODE} on the worker, "
        "3f9a1c2b7d10 on the client; install the client's versions on every worker "
        "(pip install learnsoc==0.1.0.dev0 ...)"
    )
    assert OTHER_CODE in both.localized("vi")


@needs("distributed")
def test_a_task_on_a_worker_with_other_code_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The client's versions and digest, sealed; the worker's code another: not run."""
    import distributed

    sealed = (package_versions(), pickle.dumps("the job"))
    ran: list[object] = []
    monkeypatch.setattr(distributed, "get_worker", lambda: SimpleNamespace(address=WORKER))
    assert checked_task(lambda job, key: ran.append((job, key)), sealed, "01") is None
    assert ran == [("the job", "01")]
    monkeypatch.setattr(learnsoc._build, "source_digest", lambda root=None: OTHER_CODE)
    with pytest.raises(WorkerVersionError) as caught:
        checked_task(lambda job, key: ran.append((job, key)), sealed, "02")
    assert ran == [("the job", "01")]
    err = caught.value
    assert (err.worker, err.there[SOURCE], err.here[SOURCE]) == (
        WORKER,
        OTHER_CODE,
        source_digest(Path(learnsoc.__file__).parent),
    )
    assert f"source {OTHER_CODE} on the worker" in str(err)
