from django.apps import AppConfig


class DeploymentsConfig(AppConfig):
    name = "cpmp.deployments"
    label = "deployments"
    verbose_name = "Deployments"

    def ready(self) -> None:
        from cpmp.authorities.notifications import lifecycle_step

        from .receivers import on_lifecycle_step

        lifecycle_step.connect(on_lifecycle_step, dispatch_uid="deployments-recovery-tasks")
