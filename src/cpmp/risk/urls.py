from django.urls import path

from . import form_pages, views

app_name = "risk"

urlpatterns = [
    path("", views.register, name="register"),
    path("new/", form_pages.assessment_create, name="create"),
    path("<int:assessment_id>/", views.detail, name="detail"),
    path("<int:assessment_id>/revise/", form_pages.assessment_revise, name="revise"),
    path("<int:assessment_id>/accept/", form_pages.assessment_accept, name="accept"),
]
