"""A worker process keeps its database connection between tasks (config/celery.py)."""

import pytest
from django.db import connection

from config.celery import _keep_database_connections


@pytest.fixture
def restore_connection_settings():
    saved = dict(connection.settings_dict)
    yield
    connection.settings_dict.update(saved)
    connection.close()


@pytest.mark.django_db(transaction=True)  # outside a transaction, as a task runs
def test_a_worker_process_reuses_its_connection_across_tasks(settings, restore_connection_settings):
    connection.settings_dict["CONN_MAX_AGE"] = 0  # as DB_CONN_MAX_AGE=0 sets it for web processes
    _keep_database_connections()
    connection.close()  # the next task's first query opens it with the worker's settings
    connection.ensure_connection()
    opened = connection.connection
    # What Celery's Django fix-up does after each task: a connection past its age is closed.
    connection.close_if_unusable_or_obsolete()
    assert connection.connection is opened
    assert connection.settings_dict["CONN_MAX_AGE"] == settings.WORKER_DB_CONN_MAX_AGE > 0
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
