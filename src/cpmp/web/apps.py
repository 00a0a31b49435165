from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cpmp.web"
    label = "web"
    verbose_name = "Web"

    def ready(self) -> None:
        # Connects the receiver that records when each session signed in.
        from . import sessions  # noqa: F401
