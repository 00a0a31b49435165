"""The asset register's pages, mounted at ``/assets/``; the source pages keep ``urls.py``."""

from django.urls import path

from . import register_views

app_name = "asset-register"

urlpatterns = [
    path("", register_views.asset_register, name="list"),
    path("<int:asset_id>/", register_views.asset_detail, name="detail"),
    path("<int:asset_id>/book/", register_views.book, name="book"),
    path("undercover-officers/", register_views.undercover_roster, name="uco-roster"),
    path(
        "undercover-officers/roster.csv",
        register_views.undercover_roster_export,
        name="uco-roster-export",
    ),
]
