from django.urls import path

from . import views

app_name = "operations"

urlpatterns = [
    path("", views.operation_list, name="list"),
    path("<int:operation_id>/", views.operation_detail, name="detail"),
    path("<int:operation_id>/team/", views.team_add, name="team-add"),
    path("<int:operation_id>/team/<int:user_id>/remove/", views.team_remove, name="team-remove"),
]
