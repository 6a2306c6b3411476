from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from config.views import health

urlpatterns = [
    path("health/", health, name="health"),
    # Browsers ask for /favicon.ico on their own, whatever icon the page names.
    path("favicon.ico", RedirectView.as_view(url=static("img/favicon.svg"), permanent=True)),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("hiring.urls")),
    path("", include("interviews.urls")),
]
