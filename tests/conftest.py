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
