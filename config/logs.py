"""Structured logs: one JSON object per line (LOG_FORMAT=json, what `make serve` uses), each
carrying the id of the request (config.middleware.RequestIdMiddleware) or of the Celery task
that wrote it, so one submission can be followed from the web process to the worker."""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

request_id: ContextVar[str] = ContextVar("request_id", default="")


def current_task_id() -> str:
    from celery import current_task

    if not current_task:  # a proxy, falsy outside a task
        return ""
    return getattr(current_task.request, "id", None) or ""


class ContextFilter(logging.Filter):
    """Adds `request_id` and `task_id` to every record (empty outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.task_id = current_task_id()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in ("request_id", "task_id"):
            if getattr(record, field, ""):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)
