"""Triage of many posts beside other work: a second process runs the fast path on one batch while the
caller reads and writes the next (an import of history uses both cores this way).

The worker is started with `spawn` (a fork would share the caller's database connection) and loads
the models once; it imports only the triage engine, which needs no Django. What comes back is each
text's `fields.stored_fields` as a tuple (JSON already encoded there, not in the caller), the same whichever
process ran it: `engine.triage_many`'s results on those texts.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from types import TracebackType
from typing import Any

from socialdesk.triage.engine import Settings, triage_many
from socialdesk.triage.fields import stored_fields

# A text's stored fields (their values in FIELDS order: a tuple pickles far smaller and faster than
# a dict a text), and whether it holds personal data.
Stored = tuple[tuple[Any, ...], bool]
FIELDS = (
    "language",
    "sentiment",
    "intent",
    "category",
    "personal_data",
    "legal_threat",
    "abusive",
    "needs_response",
    "priority_score",
    "triage",
    "masked_text",
)

_settings = Settings()


def _start(settings: Settings) -> None:
    global _settings
    _settings = settings
    triage_many(["warm up"], settings)  # load the models before the first batch arrives


def stored(texts: Sequence[str], settings: Settings) -> list[Stored]:
    results = triage_many(texts, settings)
    out: list[Stored] = []
    for text, result in zip(texts, results, strict=True):
        fields = stored_fields(text, result)
        if len(fields) != len(FIELDS):
            raise RuntimeError(f"stored_fields gives {sorted(fields)}, FIELDS names {sorted(FIELDS)}")
        out.append((tuple([fields[name] for name in FIELDS]), bool(result.personal_data)))
    return out


def _triage(texts: list[str]) -> list[Stored]:
    return stored(texts, _settings)


class TriagePool:
    """`submit(texts)` returns a future of their stored fields. With `parallel=False` the triage runs at
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

    def submit(self, texts: Sequence[str]) -> Future[list[Stored]]:
        if self.pool is not None and texts:
            return self.pool.submit(_triage, list(texts))
        done: Future[list[Stored]] = Future()
        done.set_result(stored(texts, self.settings))
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
