from django.apps import AppConfig


class AssetsConfig(AppConfig):
    name = "cpmp.assets"
    label = "assets"
    verbose_name = "Covert assets"
