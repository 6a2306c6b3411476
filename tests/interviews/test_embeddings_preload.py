"""The embedding model loads once per process; the web process starts loading it as it
starts, and a first use during that load waits for it instead of loading a second copy."""

import gc
import importlib
import sys
import threading

import numpy as np
import pytest

from interviews import embeddings


class FakeModel:
    def encode(self, texts: list[str], **kwargs: object) -> np.ndarray:
        return np.zeros((len(texts), 384), dtype=np.float32)


@pytest.fixture
def unloaded(monkeypatch):
    """A process that has not loaded the model yet (the real one stays cached for others)."""
    monkeypatch.setattr(embeddings, "_model", None)
    monkeypatch.setattr(embeddings, "_load_lock", threading.Lock())
    monkeypatch.setattr(embeddings, "_preload_requested", False)
    monkeypatch.setattr(embeddings, "_preload_then", None)


def test_the_preload_loads_the_model_once_and_a_first_use_during_it_waits_for_that_load(monkeypatch, unloaded):
    fake = FakeModel()
    loads: list[str] = []
    loading, release = threading.Event(), threading.Event()

    def slow_load() -> FakeModel:
        loads.append(threading.current_thread().name)
        loading.set()
        assert release.wait(10)
        return fake

    monkeypatch.setattr(embeddings, "_load", slow_load)
    after_load: list[bool] = []
    preload = embeddings.preload_in_background(then=lambda: after_load.append(True))
    assert loading.wait(10)

    # A request needs the model while the preload is still loading it.
    used: list[object] = []
    request = threading.Thread(target=lambda: used.append(embeddings.model()))
    request.start()
    request.join(0.3)
    assert request.is_alive()  # waiting for the preload, not loading its own copy
    assert used == []

    release.set()
    request.join(10)
    preload.join(10)
    assert used == [fake]
    assert loads == ["embedding-preload"]
    assert after_load == [True]
    assert embeddings.model() is fake
    assert loads == ["embedding-preload"]


def test_many_concurrent_first_uses_load_the_model_once(monkeypatch, unloaded):
    loads: list[int] = []
    start = threading.Barrier(8)

    def load() -> FakeModel:
        loads.append(1)
        return FakeModel()

    monkeypatch.setattr(embeddings, "_load", load)
    models: list[object] = []

    def use() -> None:
        start.wait()
        models.append(embeddings.model())

    threads = [threading.Thread(target=use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(loads) == 1
    assert len(models) == 8 and len({id(m) for m in models}) == 1


def test_a_failed_preload_is_logged_and_the_first_use_loads_the_model(monkeypatch, unloaded, caplog):
    attempts: list[int] = []

    def flaky_load() -> FakeModel:
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("weights unreadable")
        return FakeModel()

    monkeypatch.setattr(embeddings, "_load", flaky_load)
    after_load: list[bool] = []
    embeddings.preload_in_background(then=lambda: after_load.append(True)).join(10)
    assert "Preloading the embedding model failed" in caplog.text
    assert after_load == []
    assert isinstance(embeddings.model(), FakeModel)
    assert len(attempts) == 2


def test_the_web_servers_wsgi_module_starts_the_preload_which_warms_the_analyser_and_freezes(monkeypatch):
    # runserver and gunicorn both import config.wsgi; management commands and tests do not.
    calls: list = []
    monkeypatch.setattr(embeddings, "preload_in_background", lambda then=None: calls.append(then))
    monkeypatch.delitem(sys.modules, "config.wsgi", raising=False)
    try:
        wsgi = importlib.import_module("config.wsgi")
        assert len(calls) == 1
        analysed: list[str] = []
        frozen: list[bool] = []
        monkeypatch.setattr("interviews.postings.analysis.analyze_offline", analysed.append)
        monkeypatch.setattr("django.db.connection.close", lambda: None)  # the test's own connection
        monkeypatch.setattr(wsgi.gc, "freeze", lambda: frozen.append(True))
        calls[0]()  # what the preload thread runs once the model is loaded
    finally:
        gc.unfreeze()
        sys.modules.pop("config.wsgi", None)
    assert len(analysed) == 1 and frozen == [True]


def test_threads_embedding_the_same_texts_at_once_encode_them_once(monkeypatch, unloaded):
    encoded: list[list[str]] = []
    started, release = threading.Event(), threading.Event()

    class SlowModel(FakeModel):
        def encode(self, texts: list[str], **kwargs: object) -> np.ndarray:
            encoded.append(list(texts))
            started.set()
            assert release.wait(10)
            return super().encode(texts)

    monkeypatch.setattr(embeddings, "_model", SlowModel())
    monkeypatch.setattr(embeddings, "_cache", embeddings.OrderedDict())
    texts = ["skill anchor one", "skill anchor two"]
    first = threading.Thread(target=embeddings.embed, args=(texts,))
    first.start()
    assert started.wait(10)
    second = threading.Thread(target=embeddings.embed, args=(texts,))
    second.start()
    second.join(0.3)
    assert second.is_alive()  # waits for the encode under way
    release.set()
    first.join(10)
    second.join(10)
    assert encoded == [texts]


def test_loading_the_django_settings_and_apps_does_not_start_the_preload():
    assert not any(thread.name == "embedding-preload" for thread in threading.enumerate())
    assert embeddings._preload_requested is False
