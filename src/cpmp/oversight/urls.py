from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("", views.import_start, name="import-start"),
    path("<int:import_id>/", views.import_detail, name="import-detail"),
    path("<int:import_id>/confirm/", views.import_confirm, name="import-confirm"),
]
