"""Rows streamed into PostgreSQL with COPY: the fast path of `seed_scale`.

Each table's rows go to a temporary file in COPY's text format while the data is being
generated (one connection can run only one COPY at a time, and the generator interleaves
tables), then each file is copied in. Primary keys are assigned here, from the table's
own sequence, so rows can point at each other before any of them is in the database; the
sequence is moved past the last one at the end. That is only safe while nothing else
inserts into these tables, which is why the command is meant for a dedicated database."""

import json
import tempfile
from collections.abc import Iterable
from datetime import datetime
from typing import IO, Any

from django.db import connection

NULL = "\\N"


def escape(text: str) -> str:
    """A text value in COPY's text format (backslash escapes for the separators)."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r").replace("\x00", "")


def cell(value: Any) -> str:
    if value is None:
        return NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return escape(json.dumps(value))
    if isinstance(value, str):
        return escape(value)
    return str(value)


class Raw(str):
    """A value already in COPY's text format (escaped once, written many times)."""


class TableWriter:
    def __init__(self, table: str, columns: Iterable[str], ids: bool = True) -> None:
        self.table = table
        self.columns = (["id"] if ids else []) + list(columns)
        self.ids = ids
        self.rows = 0
        self.file: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115  # closed in copy_in
        self.next_id = self._first_id() if ids else 0

    def _first_id(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [self.table])
            return int(cursor.fetchone()[0])

    def reserve(self) -> int:
        """An id for a row written later with add(..., pk=it): for rows that others point
        at and that point back (an answer and its counted grade)."""
        self.next_id += 1
        return self.next_id - 1

    def add(self, *values: Any, pk: int | None = None) -> int:
        """Write one row (values in column order, without the id); returns its id."""
        if pk is None and self.ids:
            pk = self.reserve()
        parts = [str(pk)] if self.ids else []
        parts.extend(v if isinstance(v, Raw) else cell(v) for v in values)
        self.file.write("\t".join(parts))
        self.file.write("\n")
        self.rows += 1
        return pk or 0

    def add_line(self, line: str, pk: int | None = None) -> int:
        """The fast path for the big tables: a row already in COPY's text format, without
        its id (an id is assigned, or the reserved `pk` used)."""
        if pk is None:
            pk = self.reserve()
        self.file.write(f"{pk}\t{line}\n")
        self.rows += 1
        return pk

    def copy_in(self) -> int:
        """COPY the rows into the table and move its sequence past them."""
        self.file.seek(0)
        columns = ", ".join(f'"{c}"' for c in self.columns)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f'COPY "{self.table}" ({columns}) FROM STDIN') as copy:
                while block := self.file.read(1 << 20):
                    copy.write(block)
            if self.ids:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [self.table, max(self.next_id - 1, 1)]
                )
        self.file.close()
        return self.rows
