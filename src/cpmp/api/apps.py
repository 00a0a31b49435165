from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cpmp.api"
    label = "api"
    verbose_name = "JSON API"
