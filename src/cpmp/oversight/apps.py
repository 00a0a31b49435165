from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "cpmp.oversight"
    label = "oversight"
    verbose_name = "Oversight"
