from django.urls import path

from . import record_pages, views

app_name = "sources"

urlpatterns = [
    path("reports/", views.reports, name="reports"),
    path("<int:source_id>/", views.source_records, name="records"),
    path("<int:source_id>/contacts/new/", views.contact_add, name="contact-add"),
    path("<int:source_id>/taskings/new/", record_pages.tasking_add, name="tasking-add"),
    path("<int:source_id>/payments/new/", record_pages.payment_add, name="payment-add"),
    path("<int:source_id>/welfare/new/", record_pages.welfare_add, name="welfare-add"),
    path("<int:source_id>/triage/new/", record_pages.triage_add, name="triage-add"),
    path("payments/<int:payment_id>/decide/", record_pages.payment_decide, name="payment-decide"),
]
