"""Top-level URL configuration."""

from django.urls import include, path

from cpmp.access.admin import admin_site
from cpmp.api.api import api

urlpatterns = [
    path("admin/", admin_site.urls),
    path("api/", api.urls),
    path("", include("cpmp.web.urls")),
    path("authorisations/", include("cpmp.authorities.urls")),
    path("imports/", include("cpmp.oversight.urls")),
    path("source-records/", include("cpmp.sources.urls")),
    path("risk/", include("cpmp.risk.urls")),
    path("deconfliction/", include("cpmp.deconfliction.urls")),
    path("operations/", include("cpmp.operations.urls")),
    path("assets/", include("cpmp.assets.register_urls")),
    path("deployments/", include("cpmp.deployments.urls")),
    path("errors/", include("cpmp.oversight.errors_register.urls")),
    path("sources/", include("cpmp.assets.urls")),
]
