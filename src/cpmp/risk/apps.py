from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "cpmp.risk"
    label = "risk"
    verbose_name = "Risk"
