"""Bearer tokens for the JSON API.

Only the SHA-256 of a token is stored, never the token: it is printed once when made. A token
is 256 random bits, so an unsalted fast hash is enough to keep a database copy from yielding
usable tokens, and it lets a request find its token by one indexed lookup.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A bearer token that lets one person's scripts call the API as that person."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens"
    )
    # What the token is for, such as "nightly deadline report", so people can tell them apart.
    name = models.CharField(max_length=100)
    # Hex SHA-256 of the whole token.
    token_hash = models.CharField(max_length=64, unique=True)
    # The token's first characters, shown in listings to identify it. They are too few to use.
    prefix = models.CharField(max_length=16)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"], name="api_token_user")]

    def __str__(self) -> str:
        return f"API token {self.prefix}…"

    def is_usable(self, now: datetime) -> bool:
        """Decide whether the token may authenticate a request at ``now``."""
        if self.revoked_at is not None:
            return False
        return now < self.expires_at
