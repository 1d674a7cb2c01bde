"""CSV and XLSX of any report (openpyxl writes the workbook; durations in minutes, as people read them)."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from socialdesk.reports.summaries.report import Cell, Report

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def header(report: Report) -> list[str]:
    return [f"{c.label} (minutes)" if c.kind == "seconds" else c.label for c in report.columns]


def plain(report: Report, row: list[Cell]) -> list[Cell]:
    out: list[Cell] = []
    for column, value in zip(report.columns, row, strict=True):
        if column.kind == "seconds" and isinstance(value, int | float):
            value = round(value / 60, 1)
        elif isinstance(value, float):
            value = round(value, 2)
        out.append(value)
    return out


def to_csv(report: Report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header(report))
    for row in report.rows:
        writer.writerow(["" if v is None else _safe(v) for v in plain(report, row)])
    return buffer.getvalue().encode("utf-8-sig")  # with a BOM, so spreadsheet apps read UTF-8


def _safe(value: Cell) -> Cell:
    """Text that a spreadsheet would run as a formula (=, +, -, @ first) is quoted: the labels come
    from customers' posts (category names, agents' names are safe, but hashtags and handles are not)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_xlsx(report: Report) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(report.title[:31])
    sheet.append(header(report))
    for row in report.rows:
        sheet.append([_safe(v) for v in plain(report, row)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render(report: Report, fmt: str) -> bytes:
    if fmt == "csv":
        return to_csv(report)
    if fmt == "xlsx":
        return to_xlsx(report)
    raise ValueError(f"no export format {fmt!r}")
