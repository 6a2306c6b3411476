"""A worker process keeps its database connection between tasks (config/celery.py), with
Celery's own Django fix-up installed as a worker installs it."""

import pytest
from celery.fixups.django import DjangoWorkerFixup
from celery.signals import task_postrun, task_prerun
from django.db import connection, connections

from config.celery import _keep_database_connections, app
from interviews.tasks import requeue_stuck_grades


@pytest.fixture
def worker_process(settings):
    """This process set up as a worker process: the fix-up's signal handlers and the
    connection settings of config/celery.py; all undone afterwards."""
    saved = dict(connection.settings_dict)
    fixup = DjangoWorkerFixup(app)
    fixup.install()
    connection.settings_dict["CONN_MAX_AGE"] = 0  # as DB_CONN_MAX_AGE=0 sets it for web processes
    _keep_database_connections()
    connection.close()  # the first task's first query opens it with the worker's settings
    yield
    for signal, handler in (
        (task_prerun, fixup.on_task_prerun),
        (task_postrun, fixup.on_task_postrun),
    ):
        signal.disconnect(handler)
    connection.settings_dict.update(saved)
    connection.close()


def run_task_signals() -> None:
    """What a worker sends around each task it runs (not eager)."""
    task = requeue_stuck_grades
    task_prerun.send(sender=task, task_id="t", task=task, args=(), kwargs={})
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    task_postrun.send(sender=task, task_id="t", task=task, args=(), kwargs={}, retval=None, state="SUCCESS")


@pytest.mark.django_db(transaction=True)  # outside a transaction, as a task runs
def test_a_worker_process_reuses_its_connection_across_tasks(settings, worker_process):
    connection.ensure_connection()
    opened = connection.connection
    for _ in range(3):
        run_task_signals()
    # Celery 5.7's fix-up closed it around every task unless CELERY_DB_REUSE_MAX was set.
    assert connection.connection is opened
    assert connection.settings_dict["CONN_MAX_AGE"] == settings.WORKER_DB_CONN_MAX_AGE > 0
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db(transaction=True)
def test_a_connection_past_its_age_is_replaced_between_tasks(worker_process):
    connection.ensure_connection()
    opened = connection.connection
    connection.close_at = 0  # as if WORKER_DB_CONN_MAX_AGE had passed
    run_task_signals()
    connection.ensure_connection()
    assert connection.connection is not opened


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_database_dropped_is_replaced_before_the_next_task_uses_it(worker_process):
    if connection.vendor != "postgresql":
        pytest.skip("terminates a PostgreSQL backend")
    connection.ensure_connection()
    dropped = connection.connection
    pid = dropped.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    run_task_signals()  # its query would fail on the dropped connection without the health check
    assert connection.connection is not dropped
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
