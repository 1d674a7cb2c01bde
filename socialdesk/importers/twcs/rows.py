"""Plain multi-row INSERTs for the import's two big tables.

`bulk_create` prepares every value of every field through the field classes, about 70% of the
import's time at a million rows (measured); here each row is a tuple and only datetimes and JSON
go through the backend's adapters. Defaults come from the model, so a new column with a default
needs nothing here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.utils import timezone


class RowWriter:
    """Inserts rows of one model given as {field name: value}; unnamed fields take their default.
    `json_text`: JSON fields whose values come already encoded (JSON text, which PostgreSQL casts)."""

    def __init__(self, model: type[models.Model], json_text: Iterable[str] = ()) -> None:
        ops = connection.ops
        now = timezone.now()
        encoded = set(json_text)
        self.names: list[str] = []
        columns: list[str] = []
        self.defaults: list[Any] = []
        self.adapters: list[Callable[[Any], Any] | None] = []
        for field in model._meta.concrete_fields:
            if field.primary_key:
                continue
            self.names.append(field.attname)
            columns.append(ops.quote_name(field.column or field.attname))
            auto = getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False)
            default = now if auto else field.get_default()
            self.defaults.append(json.dumps(default) if field.attname in encoded else default)
            if isinstance(field, models.DateTimeField):
                self.adapters.append(_datetime())
            elif isinstance(field, models.JSONField) and field.attname not in encoded:
                self.adapters.append(_json(field))
            else:
                self.adapters.append(None)
        self.base: list[Any] | None = None
        self.at: dict[str, int] = {}
        self.shapes: dict[tuple[str, ...], list[tuple[int, Callable[[Any], Any] | None]]] = {}
        self.columns = columns
        marks = ", ".join(["%s"] * len(columns))
        self.table = ops.quote_name(model._meta.db_table)
        # Names from the model's own metadata; values only through parameters.
        self.sql = f"INSERT INTO {self.table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608

    def prepared(self, names: Sequence[str]) -> tuple[str, tuple[Any, ...]]:
        """(sql, tail) to insert rows given as tuples: the values of `names`, in that order and
        already adapted (`adapter(name)`), then `tail`, every other field's adapted default. The
        fastest way in for a million rows: one tuple concatenation a row, nothing per value."""
        base = self._base()
        named = [self.at[name] for name in names]
        rest = [i for i in range(len(self.names)) if i not in set(named)]
        columns = [self.columns[i] for i in named + rest]
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {self.table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
        return sql, tuple(base[i] for i in rest)

    def adapter(self, name: str) -> Callable[[Any], Any] | None:
        """How a value of this field is turned into what the database takes (None: as it is)."""
        return self.adapters[self.names.index(name)]

    def default(self, name: str) -> Any:
        """The field's default, adapted."""
        return self._base()[self.names.index(name)]

    def _base(self) -> list[Any]:
        self._adapt({})  # fills `base` and `at`
        return self.base or []

    def insert(self, rows: Sequence[dict[str, Any]]) -> None:
        adapted = [self._adapt(row) for row in rows]
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, adapted)

    def _adapt(self, row: dict[str, Any]) -> tuple[Any, ...]:
        # Defaults are adapted once (they are the same for every row); only named values go through
        # the adapters. Rows built alike name the same fields in the same order: where each goes and
        # its adapter are looked up once per such shape, not per value.
        if self.base is None:
            self.base = [
                adapter(default) if adapter is not None and default is not None else default
                for default, adapter in zip(self.defaults, self.adapters, strict=True)
            ]
            self.at = {name: i for i, name in enumerate(self.names)}
        shape = tuple(row)
        slots = self.shapes.get(shape)
        if slots is None:
            slots = self.shapes[shape] = [(self.at[name], self.adapters[self.at[name]]) for name in shape]
        values = self.base.copy()
        for (i, adapter), value in zip(slots, row.values(), strict=True):
            values[i] = adapter(value) if adapter is not None and value is not None else value
        return tuple(values)


def _json(field: models.JSONField[Any]) -> Callable[[Any], Any]:
    def adapt(value: Any) -> Any:
        return connection.ops.adapt_json_value(value, field.encoder)

    return adapt


def _datetime() -> Callable[[Any], Any]:
    """The backend's datetime adapter; on SQLite a shorter path for aware values (the backend's own
    checks settings and awareness for each of a million timestamps): the same text, UTC, naive."""
    ops = connection.ops
    if connection.vendor != "sqlite" or not settings.USE_TZ:
        return ops.adapt_datetimefield_value
    zone = connection.timezone
    fallback = ops.adapt_datetimefield_value

    def adapt(value: Any) -> Any:
        if isinstance(value, datetime) and value.utcoffset() is not None:
            return str(value.astimezone(zone).replace(tzinfo=None))
        return fallback(value)

    return adapt
