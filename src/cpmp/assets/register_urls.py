"""The asset register's pages, mounted at ``/assets/``; the source pages keep ``urls.py``."""

from django.urls import path

from . import manage_views, register_views

app_name = "asset-register"

urlpatterns = [
    path("", register_views.asset_register, name="list"),
    path("<int:asset_id>/", register_views.asset_detail, name="detail"),
    path("<int:asset_id>/book/", register_views.book, name="book"),
    path("<int:asset_id>/custody/", manage_views.custody_add, name="custody-add"),
    path("<int:asset_id>/status/", manage_views.status_change, name="status"),
    path("register/<str:kind>/", manage_views.register, name="register"),
    path("undercover-officers/", register_views.undercover_roster, name="uco-roster"),
    path(
        "undercover-officers/roster.csv",
        register_views.undercover_roster_export,
        name="uco-roster-export",
    ),
]
