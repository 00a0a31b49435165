from django.urls import path

from . import views
from .pages import steps
from .pages import views as pages

app_name = "authorities"

urlpatterns = [
    path("", views.register, name="register"),
    path("<int:authorisation_id>/", views.detail, name="detail"),
    path("applications/", pages.application_list, name="application-list"),
    path("applications/new/", pages.application_start, name="application-start"),
    path("applications/<int:application_id>/", pages.case, name="case"),
    path(
        "applications/<int:application_id>/edit/", pages.application_edit, name="application-edit"
    ),
    path("applications/<int:application_id>/check/", steps.gatekeep, name="gatekeep"),
    path("applications/<int:application_id>/decision/", steps.decide, name="decide"),
    path("applications/<int:application_id>/oral-grant/", steps.oral_grant, name="oral-grant"),
    path(
        "applications/<int:application_id>/written-grant/",
        steps.written_grant,
        name="written-grant",
    ),
    path(
        "applications/<int:application_id>/commissioner-notice/",
        steps.commissioner_notice,
        name="commissioner-notice",
    ),
    path(
        "applications/<int:application_id>/commissioner-decision/",
        steps.commissioner_decision,
        name="commissioner-decision",
    ),
    path(
        "applications/<int:application_id>/external-authority/",
        steps.external_authority,
        name="external-authority",
    ),
    path("applications/<int:application_id>/<str:kind>/review/", steps.review, name="review"),
    path("applications/<int:application_id>/<str:kind>/renewal/", steps.renew, name="renew"),
    path("applications/<int:application_id>/<str:kind>/variation/", steps.vary, name="vary"),
    path("applications/<int:application_id>/<str:kind>/cancellation/", steps.cancel, name="cancel"),
    path(
        "applications/<int:application_id>/<str:kind>/equipment-recovered/",
        steps.equipment_recovered,
        name="equipment-recovered",
    ),
]
