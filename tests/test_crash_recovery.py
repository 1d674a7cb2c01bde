"""A worker killed mid-work loses nothing and processes every event exactly once.

These run the real CLI in subprocesses against a database of their own and SIGKILL them inside the
processing transaction (SOCIALDESK_FAULT_KILL_AT), then restart and count what landed.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from socialdesk.demo import SCENARIO_PATH
from tests.helpers import cli, desk_env

pytestmark = pytest.mark.slow

COUNT_SCRIPT = """
import json, django
django.setup()
from django.db.models import Count
from socialdesk.conversations.models import Message
from socialdesk.ingest.models import RawEvent
per_event = RawEvent.objects.annotate(n=Count("messages")).values_list("n", flat=True)
print(json.dumps({
    "raw": RawEvent.objects.count(),
    "pending": RawEvent.objects.filter(status="pending").count(),
    "processed": RawEvent.objects.filter(status="processed").count(),
    "messages": Message.objects.count(),
    "distinct_ids": Message.objects.values("network_message_id").distinct().count(),
    "messages_per_event": sorted(set(per_event)),
}))
"""

# The whole demo day landed, one message per raw event, none twice.
EVERY_EVENT_ONCE = {
    "raw": 304,
    "pending": 0,
    "processed": 304,
    "messages": 304,
    "distinct_ids": 304,
    "messages_per_event": [1],
}


def _counts(env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", COUNT_SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_replay_killed_mid_event_then_restarted_processes_each_event_once(
    isolated_database_url: str, tmp_path: Path
) -> None:
    env = desk_env(isolated_database_url, tmp_path)
    assert cli(env, "migrate").returncode == 0

    killed = cli(
        {**env, "SOCIALDESK_FAULT_KILL_AT": "ingest.threaded:150"}, "sandbox", "replay", str(SCENARIO_PATH)
    )
    assert killed.returncode == -signal.SIGKILL
    # The 150th event was stored; its processing died before commit, so it left no message behind.
    assert _counts(env) == {
        "raw": 150,
        "pending": 1,
        "processed": 149,
        "messages": 149,
        "distinct_ids": 149,
        "messages_per_event": [0, 1],
    }

    restarted = cli(env, "sandbox", "replay", str(SCENARIO_PATH))
    assert restarted.returncode == 0, restarted.stderr
    assert "304 posts: 154 new, 150 already received; 1 recovered from an earlier run" in restarted.stdout
    assert _counts(env) == EVERY_EVENT_ONCE


def test_worker_killed_mid_batch_rolls_back_the_batch_and_resumes(
    isolated_database_url: str, tmp_path: Path
) -> None:
    env = desk_env(isolated_database_url, tmp_path)
    assert cli(env, "migrate").returncode == 0
    stored = cli(env, "sandbox", "replay", "--store-only", str(SCENARIO_PATH))
    assert "304 new raw events stored, not processed" in stored.stdout

    killed = cli({**env, "SOCIALDESK_FAULT_KILL_AT": "ingest.threaded:130"}, "worker", "--batch-size", "100")
    assert killed.returncode == -signal.SIGKILL
    # Batch one (100 events) committed; batch two died on its 30th event and rolled back whole.
    counts = _counts(env)
    assert (counts["processed"], counts["pending"], counts["messages"]) == (100, 204, 100)

    assert cli(env, "worker", "--batch-size", "100").returncode == 0
    assert _counts(env) == EVERY_EVENT_ONCE


def _broker_reachable(url: str) -> bool:
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1)
        return True
    except Exception:
        return False


@pytest.mark.parametrize(
    "broker", ["redis://127.0.0.1:6379/14", "amqp://guest:guest@127.0.0.1:5672//"], ids=["redis", "rabbitmq"]
)
def test_celery_worker_killed_mid_task_then_restarted(
    broker: str, isolated_database_url: str, tmp_path: Path
) -> None:
    if not _broker_reachable(broker):
        pytest.fail(f"broker {broker} is not reachable (scripts/services starts Redis and RabbitMQ)")
    # A queue of this run's own, so nothing left by another run is consumed and no run on the same broker
    # at the same time (another checkout's suite) takes our tasks: tmp_path's name is the same in every run.
    queue = f"socialdesk-test-{uuid.uuid4().hex}"
    env = desk_env(isolated_database_url, tmp_path, SOCIALDESK_BROKER_URL=broker, SOCIALDESK_QUEUE=queue)
    assert cli(env, "migrate").returncode == 0
    # With a broker the replay only stores and enqueues: processing happens in the worker.
    replayed = cli(env, "sandbox", "replay", str(SCENARIO_PATH))
    assert replayed.returncode == 0, replayed.stderr
    assert "processing is queued for the workers" in replayed.stdout
    assert _counts(env)["pending"] == 304

    celery = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "socialdesk",
        "worker",
        "--pool",
        "solo",
        "--loglevel",
        "WARNING",
    ]
    worker = subprocess.run(
        celery,
        env={**env, "SOCIALDESK_FAULT_KILL_AT": "ingest.threaded:40"},
        capture_output=True,
        timeout=120,
    )
    assert worker.returncode == -signal.SIGKILL
    assert _counts(env)["processed"] == 39

    restarted = subprocess.Popen(celery, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and _counts(env)["pending"]:
            time.sleep(1)
    finally:
        restarted.send_signal(signal.SIGTERM)
        restarted.wait(timeout=30)
    assert _counts(env) == EVERY_EVENT_ONCE
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "socialdesk", "purge", "-f", "-Q", queue],
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
