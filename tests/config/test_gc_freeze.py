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
    monkeypatch.setattr(gc_freeze, "REFREEZE_AFTER_REQUESTS", 3)
    monkeypatch.setattr(gc_freeze, "_served", 0)
    gc.unfreeze()
    try:
        gc_freeze.freeze_when_warm()
        frozen_at_start = gc.get_freeze_count()
        kept = [[i] for i in range(1000)]  # built by the first requests, kept for good
        for _ in range(2):
            request_finished.send(sender=None)
        assert gc.get_freeze_count() == frozen_at_start  # not yet
        request_finished.send(sender=None)
        assert gc.get_freeze_count() >= frozen_at_start + len(kept)
        frozen = gc.get_freeze_count()
        later = [[i] for i in range(1000)]  # a later request's objects stay collectable
        request_finished.send(sender=None)
        assert gc.get_freeze_count() == frozen and later  # once only
    finally:
        request_finished.disconnect(gc_freeze._count_request)
        gc.unfreeze()
