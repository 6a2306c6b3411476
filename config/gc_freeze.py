"""Short full collections in a web process.

Python's full collection walks every object it tracks that `gc.freeze()` has not moved
aside. A web process freezes what it loaded at start-up (config/wsgi.py), but its first
requests go on to build what then lives as long as the process: compiled templates, URL
and ORM caches, the database connection's bookkeeping. At 1M answers those were 38,000
objects, and every few requests a full collection walked them all: 23-33 ms added to
whichever request it fell in, most of each page's p99. Templates are compiled before the
first freeze, and the process freezes once more when its first requests are served."""

import gc
from pathlib import Path

from django.conf import settings
from django.core.signals import request_finished
from django.template.loader import get_template

REFREEZE_AFTER_REQUESTS = 200
_served = 0


def compile_templates() -> int:
    """Compile (and cache, as the cached loader does) every template of the project's own
    templates directory; the number compiled."""
    compiled = 0
    for folder in settings.TEMPLATES[0]["DIRS"]:  # type: ignore[attr-defined]  # a list of paths
        for path in sorted(Path(folder).rglob("*.html")):
            get_template(path.relative_to(folder).as_posix())
            compiled += 1
    return compiled


def freeze_now() -> None:
    """Free what is garbage, then put everything alive out of the collector's sight."""
    gc.collect()
    gc.freeze()


def _count_request(**kwargs: object) -> None:
    global _served
    _served += 1
    if _served >= REFREEZE_AFTER_REQUESTS:
        request_finished.disconnect(_count_request)
        freeze_now()  # one pause, once in the process's life


def freeze_when_warm() -> None:
    """Freeze what start-up loaded now, and again after the first requests."""
    compile_templates()
    gc.freeze()
    request_finished.connect(_count_request)
