"""Plain inserts for seeding a fresh benchmark database fast: rows as tuples straight to the driver
(`executemany` on SQLite, `COPY` on PostgreSQL), skipping the ORM's per-value preparation, which costs
more than the database's own work at a million rows. Columns a caller does not give get the model's
defaults, prepared once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import connection, models
from django.db.models import DateTimeField


def sqlite_datetime(moment: datetime | None) -> str | None:
    """As Django stores an aware datetime in SQLite: naive UTC, ISO with a space."""
    return None if moment is None else moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


class Inserter:
    def __init__(self, model: type[models.Model], columns: Sequence[str], now: datetime) -> None:
        """`columns`: the attnames each row gives, in order (the primary key among them to set ids)."""
        self.table = connection.ops.quote_name(model._meta.db_table)
        fields = {f.attname: f for f in model._meta.concrete_fields}
        template = model()
        rest = [f for f in model._meta.concrete_fields if f.attname not in columns and not f.primary_key]
        constants = []
        for field in rest:
            value = getattr(template, field.attname)
            if value is None and (getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False)):
                value = now
            constants.append(field.get_db_prep_save(value, connection))
        self.constants = tuple(constants)
        self.columns = [str(fields[c].column) for c in columns] + [str(f.column) for f in rest]
        self.sqlite = connection.vendor == "sqlite"
        self.datetimes = [i for i, c in enumerate(columns) if isinstance(fields[c], DateTimeField)]

    def insert(self, rows: Iterable[Sequence[Any]]) -> None:
        names = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        connection.ensure_connection()
        if self.sqlite:
            dates = self.datetimes
            constants = self.constants

            def ready(row: Sequence[Any]) -> tuple[Any, ...]:
                values = list(row)
                for i in dates:
                    values[i] = sqlite_datetime(values[i])
                return (*values, *constants)

            marks = ", ".join(["?"] * len(self.columns))
            raw = connection.connection
            raw.executemany(f"INSERT INTO {self.table} ({names}) VALUES ({marks})", map(ready, rows))  # noqa: S608
            return
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {self.table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row((*row, *self.constants))


def reset_sequences(*models_with_ids: type[models.Model]) -> None:
    """After inserting explicit ids: PostgreSQL's sequences continue after them (SQLite needs nothing)."""
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(models_with_ids)):
            cursor.execute(statement)
