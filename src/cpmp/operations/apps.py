from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "cpmp.operations"
    label = "operations"
    verbose_name = "Operations"
