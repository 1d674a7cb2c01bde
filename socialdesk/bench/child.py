"""Running one measurement in a child process: Django's database settings are fixed per process, so
each benchmark run gets its own interpreter, its own fresh database and a figure of its own (none of
the parent's imports, caches or connections)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from rich.console import Console


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
    its last line of output prints. A failed child stops the benchmark with its error shown."""
    env = {**os.environ, "DATABASE_URL": database_url, "SOCIALDESK_DATA_DIR": str(data_dir)}
    env.pop("SOCIALDESK_BROKER_URL", None)
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", module, *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        console.print(f"[red]bench failed:[/red]\n{done.stderr[-3000:]}")
        raise SystemExit(1)
    return json.loads(done.stdout.strip().splitlines()[-1])
