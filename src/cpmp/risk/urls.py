from django.urls import path

from . import views

app_name = "risk"

urlpatterns = [
    path("", views.register, name="register"),
    path("<int:assessment_id>/", views.detail, name="detail"),
]
