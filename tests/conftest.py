import uuid

import pytest
from django.conf import global_settings
from django.test import override_settings

from interviews.bank.loader import load_bank
from tests.factories import PASSWORD, UserFactory


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashing():
    """Passwords hashed with 1,000 PBKDF2 iterations in the test process (tests/hashers.py)."""
    with override_settings(
        PASSWORD_HASHERS=["tests.hashers.QuickPBKDF2PasswordHasher", *global_settings.PASSWORD_HASHERS]
    ):
        yield


@pytest.fixture(autouse=True)
def fresh_cache_keys(settings):
    """Each test starts with empty caches (login and email rate limits at zero), as it would
    with per-process memory, also when the cache is a Redis shared with the broker: a key
    prefix of its own, rather than a FLUSHDB that would drop queued tasks."""
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {alias: {**config, "KEY_PREFIX": prefix} for alias, config in settings.CACHES.items()}


@pytest.fixture(autouse=True)
def emails_sent_in_process(request, monkeypatch):
    """Invitation emails go through a Celery task after commit (accounts/tasks.py). Tests that
    read `mailoutbox` have no worker in their process, so here the task body runs in-process
    after commit, as Celery's eager mode would run it (retries included), instead of being
    published. Tests marked `email_via_broker` keep the real publish."""
    if request.node.get_closest_marker("email_via_broker"):
        return
    from django.db import transaction

    from accounts.tasks import send_invitation_email

    def run_after_commit(*args, **kwargs):
        transaction.on_commit(lambda: send_invitation_email.apply(args, kwargs))

    monkeypatch.setattr(send_invitation_email, "delay_on_commit", run_after_commit)


@pytest.fixture
def bank(db):
    """The real authored bank and taxonomy, loaded as `make run` loads them."""
    return load_bank()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def client_logged_in(client, user):
    client.login(email=user.email, password=PASSWORD)
    return client


def _record_published(keep):
    """Collect what the real broker accepted: Celery's `after_task_publish` fires only once a
    message is on the broker (the filesystem transport under var/ in tests), so nothing is faked."""
    from celery.signals import after_task_publish

    messages: list = []

    def record(sender=None, body=None, **kwargs):
        args = tuple(body[0])  # protocol 2 body: (args, kwargs, embed)
        if keep(sender, args) is not None:
            messages.append(keep(sender, args))

    after_task_publish.connect(record, weak=False)
    yield messages
    after_task_publish.disconnect(record)


@pytest.fixture
def published():
    """(task name, args) of every message published during the test, in order."""
    yield from _record_published(lambda name, args: (name, args))


@pytest.fixture
def enqueued():
    """Grade ids published for grading during the test, in order."""
    grading = {
        "interviews.tasks.grade_answer",
        "interviews.tasks.grade_code_answer",
        "interviews.tasks.grade_gpu_answer",
    }
    yield from _record_published(lambda name, args: args[0] if name in grading else None)


@pytest.fixture
def llm_stub(settings):
    """An OpenAI-compatible endpoint on loopback with scripted replies, configured as the LLM."""
    from interviews import llm
    from tests.llm_stub import StubLLM

    stub = StubLLM().start()
    settings.LLM_BASE_URL = stub.base_url
    settings.LLM_MODEL = "stub-model"
    settings.LLM_API_KEY = "test-key"
    settings.LLM_TIMEOUT_SECONDS = 1
    settings.LLM_BACKOFF_SECONDS = 0.01
    llm._endpoint_modes.clear()
    yield stub
    stub.stop()
