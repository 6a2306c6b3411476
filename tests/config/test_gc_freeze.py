"""A web process puts what it keeps for its lifetime out of the full collections' way
(config/gc_freeze.py)."""

import gc
from pathlib import Path

from django.conf import settings
from django.core.signals import request_finished

from config import gc_freeze


def test_every_template_of_the_project_is_compiled_at_start_up():
    folder = Path(settings.TEMPLATES[0]["DIRS"][0])
    assert gc_freeze.compile_templates() == len(list(folder.rglob("*.html"))) > 20


def test_the_process_freezes_again_once_after_its_first_requests(monkeypatch):
    freezes = []
    monkeypatch.setattr(gc_freeze, "freeze_now", lambda: freezes.append(gc_freeze._served))
    monkeypatch.setattr(gc_freeze, "REFREEZE_AFTER_REQUESTS", 3)
    monkeypatch.setattr(gc_freeze, "_served", 0)
    try:
        gc_freeze.freeze_when_warm()
        for _ in range(5):
            request_finished.send(sender=None)
    finally:
        request_finished.disconnect(gc_freeze._count_request)
        gc.unfreeze()
    assert freezes == [3]  # after the third request, and never again


def test_freezing_puts_what_is_alive_out_of_the_collectors_sight():
    gc.unfreeze()
    try:
        kept = [[i] for i in range(1000)]  # lists are tracked by the collector
        gc_freeze.freeze_now()
        # Frozen objects are in none of the generations a collection walks.
        walked = {id(o) for generation in range(3) for o in gc.get_objects(generation)}
        assert not {id(o) for o in kept} & walked
    finally:
        gc.unfreeze()
