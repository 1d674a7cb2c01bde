"""Triage of many posts beside other work: a second process runs the fast path on one batch while the
caller reads and writes the next (an import of history uses both cores this way).

The worker is started with `spawn` (a fork would share the caller's database connection) and loads
the models once; it imports only the triage engine, which needs no Django. Results are those of
`engine.triage_many` on the same texts, whichever process ran it.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from types import TracebackType

from socialdesk.triage.engine import Result, Settings, triage_many

_settings = Settings()


def _start(settings: Settings) -> None:
    global _settings  # noqa: PLW0603 - one worker process, one workspace's settings
    _settings = settings
    triage_many(["warm up"], settings)  # load the models before the first batch arrives


def _triage(texts: list[str]) -> list[Result]:
    return triage_many(texts, _settings)


class TriagePool:
    """`submit(texts)` returns a future of their results. With `parallel=False` the triage runs at
    once in this process (small files: starting a worker costs more than it saves)."""

    def __init__(self, settings: Settings, *, parallel: bool = True) -> None:
        self.settings = settings
        self.pool = (
            ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start,
                initargs=(settings,),
            )
            if parallel
            else None
        )

    def submit(self, texts: Sequence[str]) -> Future[list[Result]]:
        if self.pool is not None and texts:
            return self.pool.submit(_triage, list(texts))
        done: Future[list[Result]] = Future()
        done.set_result(triage_many(texts, self.settings))
        return done

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> TriagePool:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
