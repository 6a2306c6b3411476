import pytest

from interviews.bank.loader import load_bank
from tests.factories import PASSWORD, UserFactory


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


@pytest.fixture
def enqueued() -> list[int]:
    """Grade ids a service asked to enqueue; pass `enqueued.append` as the callback."""
    return []


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
