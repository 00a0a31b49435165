"""E-mail reminders of deadlines to the people concerned, each sent once."""

from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "cpmp.reminders"
    label = "reminders"
    verbose_name = "Reminders"

    def ready(self) -> None:
        from cpmp.authorities.notifications import lifecycle_step

        from .receivers import on_lifecycle_step

        lifecycle_step.connect(on_lifecycle_step, dispatch_uid="reminders-lifecycle-e-mail")
