"""The app's PostgreSQL connections run without parallel query (config/settings.py)."""

import pytest
from django.db import connection


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
@pytest.mark.django_db
def test_postgresql_connections_plan_without_parallel_workers():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL loader")
@pytest.mark.django_db
def test_datetimes_come_back_aware_in_utc_through_psycopgs_own_loader():
    import datetime

    from config.postgresql.base import UtcTimestamptzLoader

    written = datetime.datetime(2026, 3, 29, 1, 30, 15, 123456, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz, '2026-12-03 23:59:59.5-08'::timestamptz, NULL::timestamptz", [written])
        loaded, literal, null = cursor.fetchone()
        assert cursor.cursor.adapters.get_loader(1184, 0) is UtcTimestamptzLoader
    assert loaded == written and loaded.tzinfo is datetime.UTC and loaded.hour == 23
    assert literal == datetime.datetime(2026, 12, 4, 7, 59, 59, 500000, tzinfo=datetime.UTC)
    assert literal.tzinfo is datetime.UTC and null is None
