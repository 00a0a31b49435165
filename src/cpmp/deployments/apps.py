from django.apps import AppConfig


class DeploymentsConfig(AppConfig):
    name = "cpmp.deployments"
    label = "deployments"
    verbose_name = "Deployments"
