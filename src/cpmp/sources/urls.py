from django.urls import path

from . import views

app_name = "sources"

urlpatterns = [
    path("reports/", views.reports, name="reports"),
    path("<int:source_id>/", views.source_records, name="records"),
    path("<int:source_id>/contacts/new/", views.contact_add, name="contact-add"),
]
