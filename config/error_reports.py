"""Error reports (the DEBUG 500 page, admin emails, logged tracebacks) without secrets.

Django hides settings and META keys whose *names* look secret, but the values that leak
here are URLs with a password in them (`REDIS_URL`, the broker URL, `LLM_BASE_URL`,
`DATABASE_URL`, and the environment that the development server copies into every
request), and the cookies inside frame variables such as the WSGI `environ`. Both are
cleansed whatever DEBUG is."""

import re
from pprint import pformat
from typing import Any

from django.http import HttpRequest
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

# scheme://user:password@host -> scheme://user:********@host (user may be empty: redis://:pw@h)
URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^\s:/@'\"]*:)([^\s@/'\"]+)(@)")
CLEANSED = "********************"


def cleanse_url_credentials(text: str) -> str:
    return URL_CREDENTIALS.sub(lambda m: m.group(1) + CLEANSED + m.group(3), text)


class _Cleansed:
    """Shown in place of a value whose printed form carried a credential."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


class CredentialCleansingFilter(SafeExceptionReporterFilter):
    hidden_settings = re.compile("API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|COOKIE|CREDENTIAL", flags=re.I)

    def is_active(self, request: HttpRequest | None) -> bool:
        return True  # cleanse with DEBUG on too: the development page is still a page

    def cleanse_setting(self, key: Any, value: Any) -> Any:
        cleansed = super().cleanse_setting(key, value)
        return cleanse_url_credentials(cleansed) if isinstance(cleansed, str) else cleansed

    def get_traceback_frame_variables(self, request: HttpRequest | None, tb_frame: Any) -> Any:
        safe = []
        for name, value in super().get_traceback_frame_variables(request, tb_frame):
            if isinstance(value, dict | list | tuple | str):
                value = self.cleanse_setting(name, value)
            try:
                printed = pformat(value)
            except Exception:  # a broken __repr__ is the reporter's problem, not ours
                safe.append((name, value))
                continue
            cleansed = cleanse_url_credentials(printed)
            safe.append((name, _Cleansed(cleansed) if cleansed != printed else value))
        return safe


class CredentialCleansingReporter(ExceptionReporter):
    """The exception message itself may quote a URL (e.g. 'Error connecting to redis://:pw@...')."""

    def get_traceback_data(self) -> dict[str, Any]:
        data = super().get_traceback_data()
        if isinstance(data.get("exception_value"), str):
            data["exception_value"] = cleanse_url_credentials(data["exception_value"])
        return data
