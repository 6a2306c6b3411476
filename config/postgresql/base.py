"""Django's PostgreSQL backend, with timestamptz values loaded by psycopg's C loader.

Django registers a pure-Python timestamptz loader on its connections, so that a datetime
comes back with Django's own tzinfo whatever the connection's zone. At ~5 us a value it
cost the CSV of a set taken 206 times ~5 ms for its ~1,000 dates (a sixth of its time in
process at 1M answers). Django sets its connections to UTC (`ensure_timezone`), and in
UTC psycopg's own loader (C, in psycopg-binary) returns the very same value: an aware
datetime whose tzinfo is datetime.timezone.utc. With any other zone Django's loader stays."""

import datetime
from typing import Any

from django.db.backends.postgresql import base
from psycopg import adapters
from psycopg.pq import Format

TIMESTAMPTZ = adapters.types["timestamptz"].oid
PSYCOPG_LOADER = adapters.get_loader(TIMESTAMPTZ, Format.TEXT)


class UtcTimestamptzLoader:
    """psycopg's loader behind the `timezone` attribute that Django's cursors read to decide
    whether to register their own. Its `load` is the C loader's bound method, so loading a
    value runs no Python at all."""

    format = Format.TEXT
    timezone = datetime.UTC

    def __init__(self, oid: int, context: Any = None) -> None:
        assert PSYCOPG_LOADER is not None
        self.load = PSYCOPG_LOADER(oid, context).load


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        if self.timezone is datetime.UTC:  # USE_TZ, and the database's zone is UTC
            connection.adapters.register_loader(TIMESTAMPTZ, UtcTimestamptzLoader)
        return connection
