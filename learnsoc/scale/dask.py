"""Run the partitions of a dataset as tasks on a Dask cluster (extra ``dask``).

:func:`dask_runner` is what ``evaluate_dataset(..., client=...)`` uses: each partition
is one task (:func:`~learnsoc.scale.local.run_partition`, which reads the partition's
files on the worker), and the partials are merged by tasks on the workers, two at a
time as they finish: a tree whose shape follows the finishing order. The partials never
cross to the client (a partial is about 8 bytes per unit and measure: some hundred
kilobytes for the national tree, so a thousand partitions would be hundreds of
megabytes there); merges run while other partitions are still evaluated, and only the
last merge comes back. The result does not depend on the shape of the tree
(:meth:`~learnsoc.scale.PartitionResult.merge` adds integers).

A worker that dies while it runs a task is replaced by the cluster, which runs the task
again (``distributed`` retries the tasks of a lost worker); the result is the same. The
job (the rulebook and the units table) is a task of the run too, whose bytes the
scheduler keeps: when every worker that held it dies at once (each restarted by its
nanny over its memory limit, a one-worker cluster whose worker dies), the scheduler
gives it again to the workers that replace them, and the run goes on. Data scattered to
the workers would be gone with them, and the run with it.

``import learnsoc`` never imports Dask: ``distributed`` is imported when a client is
given, and a missing one is an :class:`~learnsoc.errors.OptionalDependencyError`
naming the extra ``dask``.

Each task first checks that its worker runs the client's learnsoc, numpy and pyarrow:
the job travels as bytes with the client's versions beside it, and is unpickled only
once they match, so a worker with other versions raises a :class:`WorkerVersionError`
naming it and both versions, not whatever error unpickling the job there gives.
learnsoc's source digest (:func:`learnsoc._build.source_digest`) is compared too: every
development checkout says ``0.1.0.dev0``, so a worker running another checkout's code
under the same version is refused as well. An
error a task raises carries a note naming the worker it ran on (a file missing there,
though the client sees it, is a worker that does not see the client's folder).
"""

from __future__ import annotations

import pickle
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import CancelledError
from typing import TYPE_CHECKING, Any

from learnsoc._messages import N_, Message
from learnsoc._phrases import Lazy
from learnsoc._translation import gettext
from learnsoc.errors import LearnsocError, Note, OptionalDependencyError

if TYPE_CHECKING:
    from learnsoc.scale.local import Job, Outcome, Runner, Tick

__all__ = [
    "SOURCE",
    "TASK_PREFIX",
    "WORKER_NOTE",
    "ClusterError",
    "WorkerVersionError",
    "dask_runner",
    "differing_versions",
    "package_versions",
]

#: The prefix of the keys of the partition tasks (a partition's key follows).
TASK_PREFIX = "learnsoc-partition"

#: The packages whose versions a worker must share with the client: the job and the
#: results are pickled objects of learnsoc, holding numpy arrays and pyarrow's types.
CHECKED_PACKAGES = ("learnsoc", "numpy", "pyarrow")

#: The key of learnsoc's source digest among :func:`package_versions`: two checkouts
#: with different code both say ``0.1.0.dev0``, their digests differ.
SOURCE = "learnsoc source"


def package_versions() -> dict[str, str]:
    """Return the versions of :data:`CHECKED_PACKAGES` in this process (``"none"``: absent).

    Read from the imported modules (``learnsoc.__version__``), as the unpickling uses them.
    :data:`SOURCE` holds learnsoc's source digest (``""`` when it cannot be read).

    Examples
    --------
    >>> import numpy
    >>> from learnsoc._build import source_digest
    >>> versions = package_versions()
    >>> versions["learnsoc"] == ls.__version__, versions["numpy"] == numpy.__version__
    (True, True)
    >>> versions[SOURCE] == source_digest()
    True
    """
    import importlib

    # Looked up at each call, where a test gives a worker other code.
    from learnsoc._build import source_digest

    found = {}
    for name in CHECKED_PACKAGES:
        try:
            found[name] = str(importlib.import_module(name).__version__)
        except ImportError:
            found[name] = "none"
    found[SOURCE] = source_digest()
    return found


def differing_versions(here: Mapping[str, str], there: Mapping[str, str]) -> list[str]:
    """Return the names in ``here`` whose version ``there`` differs, in ``here``'s order.

    The source digests (:data:`SOURCE`) are compared only when both sides have one: a
    package imported from a zip file has none, and a worker from before digests sends
    none.

    Examples
    --------
    >>> client = {"learnsoc": "0.1.0.dev0", SOURCE: "3f9a1c2b7d10"}
    >>> differing_versions(client, {"learnsoc": "0.1.0.dev0", SOURCE: "77e0b5a1c2d3"})
    ['learnsoc source']
    >>> differing_versions(client, {"learnsoc": "0.1.0.dev0", SOURCE: ""})
    []
    >>> differing_versions(client, {"learnsoc": "0.0.9"})
    ['learnsoc']
    """
    return [
        name
        for name, version in here.items()
        if there.get(name) != version and (name != SOURCE or (version and there.get(name)))
    ]


def _before_digests(here: Mapping[str, str], there: Mapping[str, str]) -> bool:
    """Tell whether ``there`` is a worker's from before source digests, ``here`` a client's since.

    A worker since then always sends :data:`SOURCE` (``""`` when it cannot read its
    files); one from before sends none, and its check refuses every job of a client
    that sends one, though the versions are the same.

    Examples
    --------
    >>> client = {"learnsoc": "0.1.0.dev0", SOURCE: "3f9a1c2b7d10"}
    >>> _before_digests(client, {"learnsoc": "0.1.0.dev0"})
    True
    >>> _before_digests(client, {"learnsoc": "0.1.0.dev0", SOURCE: ""})
    False
    """
    return bool(here.get(SOURCE)) and SOURCE not in there


class WorkerVersionError(LearnsocError, RuntimeError):
    """A Dask worker runs other versions of learnsoc, numpy or pyarrow than the client.

    Or the same learnsoc version built from other source files (two development
    checkouts): the message names both source digests.

    Parameters
    ----------
    worker : str
        The worker's address.
    here, there : mapping of str to str
        The versions of :data:`CHECKED_PACKAGES` (and the :data:`SOURCE` digest) on the
        client and on the worker, as :func:`package_versions` gives them.

    Examples
    --------
    >>> err = WorkerVersionError("tcp://10.0.0.7:40123",
    ...     {"learnsoc": "1.4.0", "numpy": "2.1.0"}, {"learnsoc": "1.3.0", "numpy": "2.1.0"})
    >>> print(err)  # doctest: +NORMALIZE_WHITESPACE
    the Dask worker tcp://10.0.0.7:40123 runs other versions than this client: learnsoc
    1.3.0 on the worker, 1.4.0 on the client; install the client's versions on every
    worker (pip install learnsoc==1.4.0 ...)
    >>> err.worker, err.there["learnsoc"]
    ('tcp://10.0.0.7:40123', '1.3.0')

    The same version, other code:

    >>> print(WorkerVersionError("tcp://10.0.0.7:40123",
    ...     {"learnsoc": "0.1.0.dev0", SOURCE: "3f9a1c2b7d10"},
    ...     {"learnsoc": "0.1.0.dev0", SOURCE: "77e0b5a1c2d3"}))  # doctest: +NORMALIZE_WHITESPACE
    the Dask worker tcp://10.0.0.7:40123 runs other learnsoc code than this client, both
    version 0.1.0.dev0: source 77e0b5a1c2d3 on the worker, 3f9a1c2b7d10 on the client;
    install the client's learnsoc on every worker

    A worker from before source digests sends none (and refuses the job for it):

    >>> print(WorkerVersionError("tcp://10.0.0.7:40123",
    ...     {"learnsoc": "0.1.0.dev0", SOURCE: "3f9a1c2b7d10"},
    ...     {"learnsoc": "0.1.0.dev0"}))  # doctest: +NORMALIZE_WHITESPACE
    the Dask worker tcp://10.0.0.7:40123 runs learnsoc 0.1.0.dev0 from before source
    digests, this client learnsoc 0.1.0.dev0 (source 3f9a1c2b7d10); install the client's
    learnsoc on every worker
    """

    def __init__(self, worker: str, here: Mapping[str, str], there: Mapping[str, str]) -> None:
        self.worker = worker
        self.here = dict(here)
        self.there = dict(there)
        differ = differing_versions(here, there)

        def differences(locale: str | None) -> str:
            one = gettext(N_("{package} {there} on the worker, {here} on the client"), locale)
            source = gettext(
                N_("learnsoc source {there} on the worker, {here} on the client"), locale
            )
            return "; ".join(
                (source if name == SOURCE else one).format(
                    package=name, there=there.get(name, "none"), here=here[name]
                )
                for name in differ
            )

        if not differ and _before_digests(here, there):
            # Only a worker from before source digests sends none, and its own check
            # refused the job for it: the versions alone do not say why.
            msg = Message(
                N_(
                    "the Dask worker {worker} runs learnsoc {there} from before source "
                    "digests, this client learnsoc {here} (source {digest}); install the "
                    "client's learnsoc on every worker"
                ),
                worker=worker,
                there=there.get("learnsoc", "none"),
                here=here.get("learnsoc", "?"),
                digest=here[SOURCE],
            )
        elif differ == [SOURCE]:
            # Same version: "pip install learnsoc==0.1.0.dev0" would not help.
            msg = Message(
                N_(
                    "the Dask worker {worker} runs other learnsoc code than this client, both "
                    "version {version}: source {there} on the worker, {here} on the client; "
                    "install the client's learnsoc on every worker"
                ),
                worker=worker,
                version=here.get("learnsoc", "?"),
                there=there[SOURCE],
                here=here[SOURCE],
            )
        else:
            msg = Message(
                N_(
                    "the Dask worker {worker} runs other versions than this client: "
                    "{differences}; install the client's versions on every worker "
                    "(pip install learnsoc=={version} ...)"
                ),
                worker=worker,
                differences=Lazy(differences),
                version=here.get("learnsoc", "?"),
            )
        super().__init__(str(msg))
        self.translatable(msg)


#: The note an error raised in a task on a worker gets (the CLI prints it).
WORKER_NOTE = N_("(on the Dask worker {worker})")


class ClusterError(LearnsocError, ConnectionError):
    """The Dask cluster cannot be reached, or lost a partition's task for good.

    Raised for a scheduler address that is not one, a scheduler that does not answer
    within Dask's connect timeout (``distributed.comm.timeouts.connect``, 30 s unless
    configured), and a partition whose task was running on workers that died each time
    it was tried (out of memory, most often).

    Attributes
    ----------
    address : str or None
        The scheduler's address, when the error is about reaching it.
    partition : str or None
        The partition whose task was lost.

    Examples
    --------
    >>> err = ClusterError("cannot reach it", address="tcp://10.0.0.7:8786")
    >>> err.address, isinstance(err, ConnectionError)
    ('tcp://10.0.0.7:8786', True)
    """

    def __init__(
        self, message: str, *, address: str | None = None, partition: str | None = None
    ) -> None:
        self.address = address
        self.partition = partition
        super().__init__(message)


def _connect(distributed: Any, address: str) -> Any:
    """Return a client of the scheduler at ``address``, or a :class:`ClusterError`.

    Not a traceback from deep in Dask, and not a wait without end: Dask gives up after
    its connect timeout, and the error says how long it waited and what to check.
    """
    import dask
    from dask.utils import parse_timedelta

    waited = parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"), "s")
    try:
        # Checked before the client starts its event loop: an address that cannot be one
        # is said at once, even where a loaded machine starts that loop slowly.
        _check_address(address)
        return distributed.Client(address)
    except ValueError as exc:  # no port, an unknown scheme (http://), not an address
        msg = Message(
            N_(
                "{address!r} is not the address of a Dask scheduler ({reason}); give "
                "one such as tcp://host:8786, as 'dask scheduler' prints it"
            ),
            address=address,
            reason=str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
        )
    except (OSError, TimeoutError) as exc:  # refused, no such host, no answer in time
        msg = Message(
            N_(
                "cannot reach the Dask scheduler at {address} within {seconds:g} s "
                "({reason}); check that the scheduler runs there and that this machine "
                "may connect to its port (the wait is Dask's "
                "distributed.comm.timeouts.connect)"
            ),
            address=address,
            seconds=float(waited or 0),
            reason=str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
        )
    raise ClusterError(str(msg), address=address).translatable(msg) from None


def _check_address(address: str) -> None:
    """Raise ``ValueError`` for an address no Dask scheduler can have (no port, ``http://``).

    Dask's own parsing, as :class:`distributed.Client` does it once its loop runs.
    """
    from distributed.comm.addressing import parse_address, parse_host_port
    from distributed.comm.registry import get_backend

    scheme, location = parse_address(address)
    get_backend(scheme)  # an unknown scheme: http://, https://
    if scheme in ("tcp", "tls", "ws", "wss"):
        parse_host_port(location)  # no port


def _dropped(key: str | None, reason: object) -> ClusterError:
    """Return the error for a run whose tasks the cluster cancelled (not this client)."""
    msg = Message(
        N_(
            "the Dask cluster dropped this run's tasks ({reason}): the scheduler "
            "restarted or the cluster was restarted (client.restart(), which forgets "
            "every task), or another client cancelled them; run again once the cluster "
            "is up; nothing was kept of this run"
        ),
        reason=" ".join(str(reason).split()) or "cancelled",
    )
    return ClusterError(str(msg), partition=key).translatable(msg)


def _lost(key: str) -> ClusterError:
    """Return the error for a partition whose task killed (or outlived) every worker tried."""
    msg = Message(
        N_(
            "partition {key!r}: the Dask workers that ran it died each time it was tried "
            "(Dask's distributed.scheduler.allowed-failures), most often for want of "
            "memory: a worker holds one partition at a "
            "time, so give the workers more memory (dask worker --memory-limit), fewer "
            "threads each, or partition by a lower level; nothing was kept of this run"
        ),
        key=key,
    )
    return ClusterError(str(msg), partition=key).translatable(msg)


def checked_task(task: Callable[[Any, str], Any], sealed: Any, key: str) -> Any:
    """Run ``task`` on the job ``sealed`` carries, once the worker's versions are the client's.

    ``sealed`` is ``(versions, payload)``: the client's :func:`package_versions` and the
    pickled job, plain Python objects that unpickle under any version. An error the task
    raises gets a note naming the worker.
    """
    import distributed

    here, payload = sealed
    worker = distributed.get_worker().address
    there = package_versions()
    if differing_versions(here, there):
        raise WorkerVersionError(worker, here, there)
    try:
        # The job this client pickled and submitted (as Portable does), not outside data.
        return task(pickle.loads(payload), key)  # noqa: S301
    except Exception as exc:
        exc.add_note(Note(Message(WORKER_NOTE, worker=worker)))
        raise


def _carried(sealed: Any) -> Any:
    """Return the job as its task gives it to the partitions' tasks (see :func:`dask_runner`).

    Module-level, so that the task names it and the scheduler can run it again.
    """
    return sealed


def _submit_job(client: Any, sealed: Any, key: str) -> Any:
    """Submit the job as a task of its own: one the scheduler can run again.

    Its bytes travel once, to the scheduler, which gives them to a worker; the others
    fetch the result from it. The scheduler keeps them while the run holds the future,
    so a job lost with every worker that held it is computed again on their
    replacements, where a scattered one is gone for good. Dask warns of a graph over
    10 MB (``distributed.admin.large-graph-warning-threshold``): the job of a tree of
    100,000 villages is 19 MB, one task sent once, not the repeated data the warning
    is about.
    """
    import dask

    size = len(sealed[1]) + (1 << 20)
    limit = dask.utils.parse_bytes(
        dask.config.get("distributed.admin.large-graph-warning-threshold")
    )
    with dask.config.set({"distributed.admin.large-graph-warning-threshold": max(size, limit)}):
        return client.submit(_carried, sealed, key=key, pure=False)


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        error = OptionalDependencyError(
            "distributed", "dask", N_("evaluate_dataset(client=...) on a Dask cluster")
        )
        raise error.translatable(Message(str(error.message_id), **error.params)) from None
    return distributed


def dask_runner(
    client: Any,
    *,
    task: Callable[[Any, str], Any],
    merge: Callable[[Any, Any], Any],
    wrap: Callable[[Any], Any],
    unwrap: Callable[[Any], Any],
) -> Runner:
    """Return a runner of the partitions as tasks of a Dask client (or a scheduler address).

    :mod:`learnsoc.scale.local` owns the steps and passes them (so this module does not
    import it back): ``task(job, key)`` runs one partition, ``merge(a, b)`` merges two
    outcomes, ``wrap`` makes the job portable to the workers and ``unwrap`` opens a result.

    Raises
    ------
    OptionalDependencyError
        Without the package ``distributed`` (extra ``dask``).

    Examples
    --------
    ``dataset`` holds two provinces, as in the examples of :mod:`learnsoc.scale.local`.

    >>> import pytest; distributed = pytest.importorskip("distributed")
    >>> import warnings
    >>> from learnsoc.scale.local import Job, Portable, merge_outcomes, partition_task, unwrap
    >>> job = Job(dataset, ls.load_rulebook("example"), "2025-12-31", None, None, False)
    >>> done = []
    >>> with distributed.Client(processes=False, dashboard_address=":0") as client:
    ...     run = dask_runner(client, task=partition_task, merge=merge_outcomes, wrap=Portable,
    ...         unwrap=unwrap)
    ...     with warnings.catch_warnings():
    ...         warnings.simplefilter("ignore")
    ...         outcome = run(job, done.append)  # done: the partitions, as they finish
    >>> sorted(done), outcome.result.titles["learning_family"].passed
    (['01', '02'], 446)
    """
    distributed = _distributed()

    def run(job: Job, tick: Tick) -> Outcome | None:
        if not job.keys:
            return None
        if isinstance(client, str):
            with _connect(distributed, client) as own:
                return _run(distributed, own, job, tick)
        return _run(distributed, client, job, tick)

    def _run(distributed: Any, client: Any, job: Job, tick: Tick) -> Outcome | None:
        run_id = uuid.uuid4().hex[:12]
        # The rulebook and the units table are one task every partition's task depends
        # on, not data sent with each (_submit_job); the folders as absolute paths, as
        # the workers run from their own directories. Sealed as bytes with the client's
        # versions: checked before they are unpickled.
        sealed = (package_versions(), pickle.dumps(wrap(job.anywhere())))
        shared = _submit_job(client, sealed, f"learnsoc-job-{run_id}")
        # Biggest partitions first (Job.largest_first): a priority, as Dask reads it.
        order = job.largest_first
        parts = {
            client.submit(
                checked_task,
                task,
                shared,
                key,
                key=f"{TASK_PREFIX}-{key}-{run_id}",
                pure=False,
                priority=len(order) - rank,
            ): key
            for rank, key in enumerate(order)
        }
        pending: list[Any] = []
        merges = 0
        done = distributed.as_completed(list(parts))
        try:
            for future in done:
                if future.status == "cancelled":
                    raise _dropped(parts.get(future), f"{future.key} {future.status}")
                if future.status == "error":
                    error = future.exception()
                    if type(error).__name__ == "KilledWorker" and future in parts:
                        raise _lost(parts[future]) from error
                    try:
                        future.result()  # raises the task's own error, as the worker raised it
                    except WorkerVersionError as refused:
                        # A worker from before source digests words it as it did then
                        # ("learnsoc source none on the worker ... pip install" the same
                        # version): said again here, from the versions it carries.
                        if not _before_digests(refused.here, refused.there):
                            raise
                        raise WorkerVersionError(
                            refused.worker, refused.here, refused.there
                        ) from None
                if future in parts:
                    tick(parts[future])
                pending.append(future)
                if len(pending) == 2:
                    merges += 1
                    name = f"learnsoc-merge-{merges}-{run_id}"
                    done.add(client.submit(merge, *pending, key=name, pure=False))
                    pending = []
            try:
                last = pending[0].result()
            except CancelledError as exc:  # distributed's FutureCancelledError is one
                raise _dropped(parts.get(pending[0]), exc) from exc
        except BaseException:
            client.cancel([*parts, *pending, shared])
            raise
        outcome: Outcome = unwrap(last)
        return outcome

    return run
