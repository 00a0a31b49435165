from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    # LogoutView accepts POST only, so a link or an image cannot sign someone out.
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
]
