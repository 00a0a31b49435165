from django.apps import AppConfig


class DeconflictionConfig(AppConfig):
    name = "cpmp.deconfliction"
    label = "deconfliction"
    verbose_name = "Deconfliction"
