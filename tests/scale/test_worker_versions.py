"""A Dask worker running other learnsoc code under the same version is refused.

Every development checkout says ``0.1.0.dev0``: the versions alone let a worker run a
job pickled by other code. The task compares learnsoc's source digest too, the one a
dataset's manifest records in ``written_by``.
"""

from __future__ import annotations

import pickle
import warnings
from pathlib import Path
from types import SimpleNamespace
from typing import Any

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
from tests.optional import needs, require

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


def test_the_general_message_pickles_with_the_standard_pickle() -> None:
    """A process pool sends errors back with pickle, not cloudpickle: no closure inside.

    The versions that differ were said by a closure, which pickle refused ("Can't pickle
    local object"); the error came back only through Dask's cloudpickle.
    """
    here = {"learnsoc": "1.4.0", "numpy": "2.1.0", SOURCE: "3f9a1c2b7d10"}
    err = WorkerVersionError(WORKER, here, {**here, "numpy": "2.0.0"})
    back = pickle.loads(pickle.dumps(err))  # noqa: S301 (our own bytes)
    assert type(back) is WorkerVersionError
    assert str(back) == str(err) and "numpy 2.0.0 on the worker, 2.1.0 on the client" in str(back)
    assert back.localized("vi") == err.localized("vi") != str(err)
    assert (back.worker, back.there["numpy"]) == (WORKER, "2.0.0")


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


#: What a worker from before source digests said, refusing a job that carries one: its
#: check took the digest for a package, "none" on the worker.
BEFORE_DIGESTS = (
    "the Dask worker {worker} runs other versions than this client: learnsoc source none "
    "on the worker, {digest} on the client; install the client's versions on every worker "
    "(pip install learnsoc=={version} ...)"
)


def test_a_worker_from_before_digests_is_named_with_both_versions() -> None:
    """It sends no digest and refuses the job: the error says so, not "source none"."""
    here = {"learnsoc": "0.1.0.dev0", "numpy": "2.1.0", SOURCE: "3f9a1c2b7d10"}
    there = {"learnsoc": "0.1.0.dev0", "numpy": "2.1.0"}
    err = WorkerVersionError(WORKER, here, there)
    assert str(err) == (
        f"the Dask worker {WORKER} runs learnsoc 0.1.0.dev0 from before source digests, "
        "this client learnsoc 0.1.0.dev0 (source 3f9a1c2b7d10); install the client's "
        "learnsoc on every worker"
    )
    vi = err.localized("vi")
    assert vi != str(err)
    assert all(part in vi for part in (WORKER, "0.1.0.dev0", "3f9a1c2b7d10"))
    # Other versions too: those are named, as for any worker.
    older = WorkerVersionError(WORKER, here, {**there, "learnsoc": "0.0.9"})
    assert "learnsoc 0.0.9 on the worker, 0.1.0.dev0 on the client" in str(older)
    # A worker since digests that cannot read its files sends "": not one from before.
    assert differing_versions(here, {**there, SOURCE: ""}) == []


def refused_as_before_digests(task: object, sealed: Any, key: str) -> None:
    """Refuse the job as a worker from before source digests did, in its words."""
    here, _ = sealed
    there = {name: version for name, version in package_versions().items() if name != SOURCE}
    # Built as it reaches the client: the worker's message and attributes, no __init__.
    err = WorkerVersionError.__new__(WorkerVersionError)
    text = BEFORE_DIGESTS.format(worker=WORKER, digest=here[SOURCE], version=here["learnsoc"])
    Exception.__init__(err, text)
    err.worker, err.here, err.there = WORKER, dict(here), there
    raise err


@needs("distributed", "pyarrow")
def test_the_client_words_what_a_worker_from_before_digests_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The worker's own check raises its old wording; the client names both versions."""
    distributed = require("distributed")
    import learnsoc.scale.dask
    from learnsoc.scale import evaluate_dataset
    from tests.io.test_dataset import tree

    ds = learnsoc.write_dataset(
        learnsoc.synthetic_population(persons=300, seed=2, hierarchy=tree(2)), tmp_path / "d"
    )
    monkeypatch.setattr(learnsoc.scale.dask, "checked_task", refused_as_before_digests)
    digest = source_digest(Path(learnsoc.__file__).parent)
    with (
        distributed.Client(processes=False, dashboard_address=":0") as client,
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")
        with pytest.raises(WorkerVersionError) as caught:
            evaluate_dataset(ds, "example", "2025-06-30", client=client)
    err = caught.value
    version = learnsoc.__version__
    assert str(err) == (
        f"the Dask worker {WORKER} runs learnsoc {version} from before source digests, "
        f"this client learnsoc {version} (source {digest}); install the client's learnsoc "
        "on every worker"
    )
    assert "none" not in str(err) and "pip install" not in str(err)
    assert digest in err.localized("vi") and version in err.localized("vi")
