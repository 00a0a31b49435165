"""The project's URL configuration with the source pages mounted at ``/sources/``.

The access tests use it while the project's own URL configuration does not mount them yet;
``conftest.py`` switches to it only then.
"""

from django.urls import include, path

from cpmp.config.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("sources/", include("cpmp.assets.urls"))]
