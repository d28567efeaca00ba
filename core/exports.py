"""Every spreadsheet the platform hands out (CSV, ODS) goes through this module, so that none can run a formula.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula by Excel or LibreOffice
(CSV injection: `=HYPERLINK(...)` in a first name). Such a text gets a leading apostrophe, which spreadsheets
show as plain text. Numbers are kept as numbers. vCard values lose their line breaks (a bare CR would start a
new property in some readers).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """The value as a spreadsheet cell that cannot be evaluated: text starting like a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def inert_row(values: Iterable) -> list:
    return [inert(v) for v in values]


def to_csv(table: Iterable[Iterable], headers: list[str] | None = None) -> bytes:
    """CSV in UTF-8 with a BOM and `;`, so that Excel opens it in French; every cell inert."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    if headers:
        writer.writerow(inert_row(headers))
    writer.writerows(inert_row(line) for line in table)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_ods(table: Iterable[Iterable], headers: list[str], sheet_name: str = "Feuille") -> bytes:
    """An OpenDocument spreadsheet (odfpy); text cells are inert, integers stay numbers."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    sheet = Table(name=sheet_name)
    for line in [headers, *table]:
        row = TableRow()
        for value in line:
            if isinstance(value, int) and not isinstance(value, bool):
                cell = TableCell(valuetype="float", value=value)
                text = str(value)
            else:
                cell = TableCell(valuetype="string")
                text = str(inert("" if value is None else value))
            cell.addElement(P(text=text))
            row.addElement(cell)
        sheet.addElement(row)
    doc.spreadsheet.addElement(sheet)
    buffer = io.BytesIO()
    doc.write(buffer)
    return buffer.getvalue()


def vcard_value(value: str | None) -> str:
    """A vCard 3.0 text value: backslash, `;` and `,` escaped, every line break (CR, LF) as `\\n`."""
    value = value or ""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")
