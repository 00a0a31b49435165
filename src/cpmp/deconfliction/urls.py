from django.urls import path

from . import views

app_name = "deconfliction"

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("identifiers/new/", views.identifier_add, name="identifier-add"),
    path("<int:case_id>/", views.case_detail, name="case-detail"),
    path("<int:case_id>/resolve/", views.case_resolve, name="case-resolve"),
]
