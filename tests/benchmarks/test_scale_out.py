"""``benchmarks.scale_out`` times Dask without its memory trimming as it says it does."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.optional import needs, require

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the benchmarks are not an installed package
    sys.path.insert(0, str(ROOT))

from benchmarks.scale_out import _environ_without  # noqa: E402

TRIM = "MALLOC_TRIM_THRESHOLD_"


def test_environ_without_takes_the_variable_out_and_puts_back_what_was_there(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(TRIM, "123")
    with _environ_without(TRIM):
        assert TRIM not in os.environ
        os.environ[TRIM] = "65536"  # what Dask's nanny does before it starts a worker
    assert os.environ[TRIM] == "123"
    monkeypatch.delenv(TRIM)
    with _environ_without(TRIM):
        os.environ[TRIM] = "65536"
    assert TRIM not in os.environ


def _trim() -> str | None:
    return os.environ.get(TRIM)


@needs("distributed")
def test_a_second_cluster_is_untrimmed_only_with_the_variable_taken_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The nanny leaves its variable in this process: a later cluster inherits it."""
    dask: Any = require("dask")
    distributed: Any = require("distributed")
    monkeypatch.delenv(TRIM, raising=False)
    unset = {f"distributed.nanny.pre-spawn-environ.{TRIM}": None}

    def workers_trim(config: dict[str, Any]) -> set[str | None]:
        with (
            dask.config.set(config),
            distributed.LocalCluster(
                n_workers=1, processes=True, threads_per_worker=1, dashboard_address=":0"
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            return set(client.run(_trim).values())

    with _environ_without(TRIM):
        assert workers_trim({}) == {"65536"}  # as Dask ships
    with _environ_without(TRIM):
        assert workers_trim(unset) == {None}
    # Without taking it out, the first cluster's nanny left it for the second one.
    workers_trim({})
    assert workers_trim(unset) == {"65536"}
