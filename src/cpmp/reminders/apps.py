from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "cpmp.reminders"
    label = "reminders"
    verbose_name = "Reminders"
