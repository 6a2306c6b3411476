"""Request hygiene that every view relies on."""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, QueryDict


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
