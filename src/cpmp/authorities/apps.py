from django.apps import AppConfig


class AuthoritiesConfig(AppConfig):
    name = "cpmp.authorities"
    label = "authorities"
    verbose_name = "Authorisations"
