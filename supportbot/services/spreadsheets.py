"""Spreadsheets for downloads: XLSX with typed cells (dates as dates, amounts as numbers) and CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

ColumnKind = Literal["text", "date", "datetime", "amount", "integer"]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class Column:
    title: str
    kind: ColumnKind = "text"
    width: int = 14


Cell = str | int | Decimal | date | datetime | None


def _amount_format(currency: str | None) -> str:
    return f'#,##0.00 "{currency}"' if currency else "#,##0.00"


def to_xlsx(
    sheet_title: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    *,
    currency_column: int | None = None,
) -> bytes:
    """A workbook in write-only mode, so memory stays flat for large reports.

    ``currency_column`` names the column holding each row's currency code, used in the amount format.
    """
    # Imported on the first workbook: openpyxl is megabytes of modules a server that is never asked
    # for a spreadsheet does not hold.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title[:31])
    for i, col in enumerate(columns):
        ws.column_dimensions[get_column_letter(i + 1)].width = col.width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for col in columns:
        cell = WriteOnlyCell(ws, value=col.title)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    formats: dict[str, str] = {}
    for row in rows:
        currency = row[currency_column] if currency_column is not None else None
        out = []
        for col, value in zip(columns, row, strict=True):
            cell = WriteOnlyCell(ws)
            cell.value = _xlsx_value(value)  # the stubs' WriteOnlyCell(value=...) leaves out dates
            if value is not None:
                if col.kind == "date":
                    cell.number_format = "yyyy-mm-dd"
                elif col.kind == "datetime":
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif col.kind == "amount":
                    key = str(currency)
                    cell.number_format = formats.setdefault(
                        key, _amount_format(currency if isinstance(currency, str) else None)
                    )
            out.append(cell)
        ws.append(out)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Cell) -> str | int | float | date | datetime | None:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def to_csv(columns: Sequence[Column], rows: Sequence[Sequence[Cell]]) -> bytes:
    """UTF-8 with a byte-order mark so spreadsheet programs read å, ä and ö right; ISO dates, dot decimals."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.title for c in columns])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)
