from django.urls import path

from . import views

app_name = "errors"

urlpatterns = [
    path("", views.error_list, name="list"),
    path("new/", views.record_error, name="new"),
    path("<int:error_id>/", views.error_detail, name="detail"),
    path("<int:error_id>/confirm/", views.confirm, name="confirm"),
    path("<int:error_id>/dismiss/", views.dismiss, name="dismiss"),
    path("<int:error_id>/report/", views.report, name="report"),
    path("<int:error_id>/decision/", views.decision, name="decision"),
    path("<int:error_id>/close/", views.close, name="close"),
]
