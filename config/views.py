"""Views that belong to the deployment rather than to a feature."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """The process is up and serving requests: for a load balancer's liveness check, and
    the bare view `make bench-scale` compares page throughput with (no database query)."""
    return HttpResponse("ok", content_type="text/plain")
