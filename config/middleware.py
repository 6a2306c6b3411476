"""Request hygiene that every view relies on."""

import re
import uuid
from collections.abc import Callable

from django.core.signals import request_finished
from django.http import Http404, HttpRequest, HttpResponse, QueryDict

from config import logs

# An id from the proxy is kept only if it cannot forge or break a log line.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class NulBytesMiddleware:
    """PostgreSQL text cannot hold a NUL character, and no URL or query value needs one:
    a NUL in the path is a 404 (no token or id contains one), and NULs are stripped from
    query values before any view or form reads them, instead of a database error later.
    Form fields reject NULs in POST data with a message; drafts strip them when saved."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            raise Http404("No such page.")
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            cleaned._mutable = False
            request.GET = cleaned  # type: ignore[assignment]
        return self.get_response(request)


class RequestIdMiddleware:
    """Gives each request an id for its log lines and the X-Request-ID response header: the
    proxy's X-Request-ID when it sent a sane one (so its logs and ours join up), else a new one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        value = incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        # Kept until the response is closed (request_finished below), not just until the
        # middleware returns: Django logs 4xx/5xx responses after the middleware chain.
        logs.request_id.set(value)
        response = self.get_response(request)
        response["X-Request-ID"] = value
        return response


def _forget_request_id(**kwargs: object) -> None:
    logs.request_id.set("")


request_finished.connect(_forget_request_id, dispatch_uid="config.middleware.forget_request_id")
