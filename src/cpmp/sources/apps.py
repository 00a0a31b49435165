from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "cpmp.sources"
    label = "sources"
    verbose_name = "Source management"
