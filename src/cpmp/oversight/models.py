"""Imports of legacy central records."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .errors_register.models import RelevantError  # noqa: F401


class ImportState(models.TextChoices):
    PREVIEWED = "previewed", "Dry run read, not stored"
    STORED = "stored", "Records stored"


class ImportChannel(models.TextChoices):
    WEB = "web", "Web page, by a signed-in user"
    COMMAND_LINE = "command-line", "The cpmp import command, with no signed-in user"


class CentralRecordImport(models.Model):
    """One file read from a legacy register, kept whole so nothing in it is ever lost."""

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    as_at = models.DateField()
    mapping = models.JSONField(default=dict, blank=True)
    report = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=20, choices=ImportState.choices)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    # The command line runs with no user; this records where an import with no user came from.
    channel = models.CharField(
        max_length=20, choices=ImportChannel.choices, default=ImportChannel.WEB
    )
    created_at = models.DateTimeField(auto_now_add=True)
    stored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sha256"], name="import_sha256")]

    def __str__(self) -> str:
        return f"import {self.pk}"
