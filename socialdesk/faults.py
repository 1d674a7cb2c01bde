"""Fault injection for crash tests.

`SOCIALDESK_FAULT_KILL_AT=<point>:<n>` SIGKILLs this process the n-th time it passes `point`. Off unless
the variable is set; it lets a test kill a worker inside a transaction on purpose.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

_passes: Counter[str] = Counter()


def checkpoint(point: str) -> None:
    spec = os.environ.get("SOCIALDESK_FAULT_KILL_AT")
    if not spec:
        return
    name, _, count = spec.rpartition(":")
    if name != point:
        return
    _passes[point] += 1
    if _passes[point] == int(count):
        os.kill(os.getpid(), signal.SIGKILL)
