from django.contrib.auth import views as auth_views
from django.urls import path

from . import oidc, second_factor, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-in/organisation/", oidc.start, name="oidc-start"),
    path("sign-in/organisation/callback/", oidc.callback, name="oidc-callback"),
    path("sign-in/code/", second_factor.verify, name="second-factor"),
    path("sign-in/set-up-app/", second_factor.set_up, name="second-factor-set-up"),
    # LogoutView accepts POST only, so a link or an image cannot sign someone out.
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
]
