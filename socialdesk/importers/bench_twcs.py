"""`python -m socialdesk.importers.bench_twcs FILE [--no-triage]`: migrate the database that
DATABASE_URL names, import FILE into it and print one JSON line with the timing: the child process
of `socialdesk bench import` (outside the twcs package, whose imports need Django set up first)."""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path


def main(path: Path, triage: bool) -> dict[str, object]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from socialdesk.conversations.models import Conversation, Message
    from socialdesk.importers.twcs import import_twcs_file

    call_command("migrate", interactive=False, verbosity=0)
    started, cpu = time.perf_counter(), time.process_time()
    result = import_twcs_file("bench", path, triage=triage)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    # The triage worker has exited (and been waited for) by now: its CPU time is the children's.
    worker = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "engine": connection.vendor,
        "triage": "every customer tweet" if triage else "none",
        "rows": result.rows,
        "seconds": round(elapsed, 1),
        "rows_per_second": round(result.rows / elapsed),
        "messages": Message.objects.count(),
        "conversations": Conversation.objects.count(),
        "skipped": sum(result.skipped.values()) + len(result.malformed),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "worker_peak_rss_mb": round(worker.ru_maxrss / 1024),
        "cpu_seconds": round(cpu, 1),
        "cpu_by_step": {step: round(seconds, 1) for step, seconds in result.cpu.items()},
        "worker_cpu_seconds": round(worker.ru_utime + worker.ru_stime, 1),
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialdesk.settings")
    print(json.dumps(main(Path(sys.argv[1]), sys.argv[2:] != ["--no-triage"])))
