from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cpmp.audit"
    label = "audit"
    verbose_name = "Audit"
