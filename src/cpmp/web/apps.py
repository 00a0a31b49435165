from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cpmp.web"
    label = "web"
    verbose_name = "Web"
