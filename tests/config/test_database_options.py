"""The app's PostgreSQL connections run without parallel query (config/settings.py)."""

import pytest
from django.db import connection


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
@pytest.mark.django_db
def test_postgresql_connections_plan_without_parallel_workers():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
