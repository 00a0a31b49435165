"""Top-level URL configuration."""

from django.urls import include, path

urlpatterns = [
    path("", include("cpmp.web.urls")),
    path("authorisations/", include("cpmp.authorities.urls")),
    path("imports/", include("cpmp.oversight.urls")),
]
