from django.urls import path

from . import views

app_name = "authorities"

urlpatterns = [
    path("", views.register, name="register"),
    path("<int:authorisation_id>/", views.detail, name="detail"),
]
