"""XLSX sheet titles: Excel forbids []:*?/\\ in them, and report titles may hold them."""

import io

from openpyxl import load_workbook

from socialdesk.reports.summaries.exports import render
from socialdesk.reports.summaries.report import Column, Report


def test_a_title_with_a_colon_exports_to_xlsx_with_the_colon_left_out() -> None:
    report = Report("backlog", "Backlog now: customers waiting", [Column("age", "Waiting", "text")])
    report.add(["under 1 h"])

    book = load_workbook(io.BytesIO(render(report, "xlsx")))

    assert book.sheetnames == ["Backlog now  customers waiting"]
    sheet = book.active
    assert sheet is not None
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["Waiting"], ["under 1 h"]]
