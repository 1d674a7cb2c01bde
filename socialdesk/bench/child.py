"""Running one measurement in a child process: Django's database settings are fixed per process, so
each benchmark run gets its own interpreter, its own fresh database and a figure of its own (none of
the parent's imports, caches or connections)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console

LOAD_EVERY = 10  # seconds


def fresh_database(database: str, folder: Path, name: str) -> str:
    """A DATABASE_URL for an empty database: a new SQLite file in `folder` for "sqlite", else the
    PostgreSQL database that `database` names, dropped and created again."""
    if database == "sqlite":
        path = folder / f"{name}.sqlite3"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    _fresh_postgres(database)
    return database


def _fresh_postgres(url: str) -> None:
    import psycopg

    from socialdesk.config import parse_database_url

    db = parse_database_url(url)
    server = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"], "password": db["PASSWORD"]}
    with psycopg.connect(**server, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db["NAME"]}"')


def run_in_child(module: str, args: list[str], database_url: str, data_dir: Path, console: Console) -> Any:
    """`python -m module *args` against `database_url` (no broker: tasks run in the process); the JSON
    its last line of output prints, with `load_average` ([min, mean, max] of the one-minute load,
    sampled every LOAD_EVERY seconds) added to a JSON object. A failed child stops the benchmark with
    its error shown."""
    env = {**os.environ, "DATABASE_URL": database_url, "SOCIALDESK_DATA_DIR": str(data_dir)}
    env.pop("SOCIALDESK_BROKER_URL", None)
    loads: list[float] = []
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", module, *args], env=env, stdout=out, stderr=err, text=True
        )
        while True:
            loads.append(os.getloadavg()[0])  # the machine is shared: how busy it was, said with the figure
            try:
                child.wait(timeout=LOAD_EVERY)
                break
            except subprocess.TimeoutExpired:
                continue
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if child.returncode != 0:
        console.print(f"[red]bench failed:[/red]\n{stderr[-3000:]}")
        raise SystemExit(1)
    found = json.loads(stdout.strip().splitlines()[-1])
    if isinstance(found, dict):
        mean = sum(loads) / len(loads)
        found["load_average"] = [round(min(loads), 1), round(mean, 1), round(max(loads), 1)]
    return found
