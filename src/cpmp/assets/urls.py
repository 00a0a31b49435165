from django.urls import path

from . import manage_views, views

app_name = "assets"

urlpatterns = [
    path("", views.source_list, name="source-list"),
    path("<int:source_id>/", views.source_detail, name="source-detail"),
    path("<int:source_id>/status/", manage_views.source_status, name="source-status"),
]
