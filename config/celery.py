import logging
import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
from celery.signals import beat_init, task_postrun, task_prerun, worker_init, worker_process_init
from django.db import close_old_connections, connection, transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger("config.celery")


class Task(DjangoTask):
    """DjangoTask gives every task `delay_on_commit(...)`: the one way this project enqueues from
    code that may be inside a transaction, so a worker never looks for a row not yet committed.

    Publishing happens after the commit, so a broker that is down (Redis stopped) must not turn
    the request into a 500: the rows are saved, and each kind of work has its own recovery
    (the grade sweep re-enqueues queued grades, an unsent invitation shows "Resend"). The
    failure is logged instead of raised."""

    def delay_on_commit(self, *args, **kwargs) -> None:  # type: ignore[override]  # None at runtime too
        self.apply_async_on_commit(args, kwargs)

    def apply_async_on_commit(self, args=(), kwargs=None, **options) -> None:  # type: ignore[no-untyped-def,override]
        def publish() -> None:
            try:
                self.apply_async(args, kwargs, **options)
            except Exception:
                logger.exception("Could not publish %s%r after commit; the saved rows await recovery", self.name, args)

        transaction.on_commit(publish)


app = Celery("backprop", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@beat_init.connect
def _refuse_default_secret_key(**kwargs: object) -> None:
    from config.checks import refuse_default_secret_key

    refuse_default_secret_key()


@worker_process_init.connect
def _keep_database_connections(**kwargs: object) -> None:
    """Reuse a worker process's database connection from task to task, for
    WORKER_DB_CONN_MAX_AGE rather than the web's DB_CONN_MAX_AGE (0 for a pooler such as
    PgBouncer): opening one cost each grade 5 ms on this machine, and its prepared
    statements with it. A connection the database dropped meanwhile is found by the
    health check before the next task uses it, and replaced."""
    from django.conf import settings
    from django.db import connections

    for alias in connections:
        connections.settings[alias]["CONN_MAX_AGE"] = settings.WORKER_DB_CONN_MAX_AGE
        connections.settings[alias]["CONN_HEALTH_CHECKS"] = True


@task_prerun.connect
@task_postrun.connect
def _close_old_connections(task: object = None, **kwargs: object) -> None:
    """Around each task, what Django does around each request: close a connection past its
    age or broken by an error, and have the next query check the connection first.

    Celery's own fix-up (5.7) closes every connection instead, unless CELERY_DB_REUSE_MAX
    is set, as it is in settings: until it was, each grade opened a new connection whatever
    the age set above. An eager task runs inside its caller, whose open transaction this
    must not close."""
    request = getattr(task, "request", None)
    if getattr(request, "is_eager", False) or connection.in_atomic_block:
        return
    close_old_connections()
