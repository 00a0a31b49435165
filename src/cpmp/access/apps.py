from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "cpmp.access"
    label = "access"
    verbose_name = "People and access"
