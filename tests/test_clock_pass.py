"""The moved-clock pass (scripts/clockshift, run by scripts/test) really moves every clock the code reads:
Python's, Django's, SQLite's and those of child processes. Outside that pass there is nothing to check."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

REAL_NOW = os.environ.get("SOCIALDESK_REAL_NOW")
pytestmark = pytest.mark.skipif(
    REAL_NOW is None, reason="runs only in the moved-clock pass (scripts/clockshift sets SOCIALDESK_REAL_NOW)"
)


@pytest.mark.django_db
def test_every_clock_the_code_reads_is_moved() -> None:
    real = datetime.fromtimestamp(int(REAL_NOW or 0), tz=UTC)
    child = subprocess.run(
        [sys.executable, "-c", "import time; print(time.time())"], capture_output=True, text=True, check=True
    )
    clocks = {
        "time.time()": datetime.fromtimestamp(time.time(), tz=UTC),
        "datetime.now()": datetime.now(tz=UTC),
        "timezone.now()": timezone.now(),
        "a child process": datetime.fromtimestamp(float(child.stdout), tz=UTC),
    }
    if connection.vendor == "sqlite":  # a database server's clock is not ours to move: the pass is SQLite's
        with connection.cursor() as cursor:
            cursor.execute("SELECT CAST(strftime('%s', 'now') AS INTEGER)")
            clocks["SQLite's now"] = datetime.fromtimestamp(cursor.fetchone()[0], tz=UTC)
    moved = clocks["time.time()"]
    assert abs(moved - real) > timedelta(days=1), f"the clock was not moved: {moved} vs real {real}"
    for name, value in clocks.items():
        assert abs(value - moved) < timedelta(minutes=1), f"{name} says {value}, time.time() says {moved}"
