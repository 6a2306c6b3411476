import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# DjangoTask gives every task `delay_on_commit(...)`: the one way this project enqueues from
# code that may be inside a transaction, so a worker never looks for a row not yet committed.
app = Celery("backprop", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
