"""Refusals at the start of a serving process (web server, Celery worker or beat), where
settings alone cannot tell a deployment from a developer's `manage.py` or type checker."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def refuse_default_secret_key() -> None:
    """With DEBUG off the process is a deployment: sessions, password resets and invitation
    tokens signed with the published development key could be forged. The test suite (pytest
    sets PYTEST_VERSION, inherited by the workers and servers it starts) is the exception."""
    if settings.DEBUG or os.environ.get("PYTEST_VERSION"):
        return
    if settings.SECRET_KEY == settings.DEFAULT_SECRET_KEY:
        raise ImproperlyConfigured(
            "DEBUG is off and SECRET_KEY is the development default: set SECRET_KEY to a long random value "
            "(python3 -c 'import secrets; print(secrets.token_urlsafe(50))'), or DEBUG=true for a local run."
        )
