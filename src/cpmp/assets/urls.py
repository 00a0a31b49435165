from django.urls import path

from . import views

app_name = "assets"

urlpatterns = [
    path("", views.source_list, name="source-list"),
    path("<int:source_id>/", views.source_detail, name="source-detail"),
]
