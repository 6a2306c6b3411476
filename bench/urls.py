"""The project's URLs plus the floor `make bench-scale` measures signed-in pages against."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


@login_required
def signed_in(request: HttpRequest) -> HttpResponse:
    """What every signed-in page pays before doing anything of its own: the session and the
    user loaded, through the same middleware. No page can serve more requests than this."""
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


urlpatterns = [path("bench/signed-in/", signed_in), path("", include("config.urls"))]
