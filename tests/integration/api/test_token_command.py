"""``cpmp token create|list|revoke``: tokens printed once, stored as hashes, audited."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from cpmp.api.actions import DEFAULT_LIFETIME_DAYS, MAX_LIFETIME_DAYS, user_for_token
from cpmp.api.models import ApiToken
from cpmp.audit.models import AuditEvent
from tests.factories import a_gatekeeper, make_user

pytestmark = pytest.mark.django_db


def _run(*arguments: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("token", *arguments, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_prints_token_once() -> None:
    user = a_gatekeeper()
    out, err = _run("create", user.username, "--name", "nightly report")
    token = out.strip()
    record = ApiToken.objects.get()

    assert token.startswith("cpmp_")
    assert len(token) > 40
    assert record.user == user
    assert record.name == "nightly report"
    assert record.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert record.prefix == token[: len(record.prefix)]
    assert "cannot be shown again" in err
    assert token not in err


def test_create_stores_no_token_text() -> None:
    user = a_gatekeeper()
    token = _run("create", user.username)[0].strip()
    record = ApiToken.objects.get()
    stored = [str(getattr(record, field.attname)) for field in ApiToken._meta.concrete_fields]
    assert all(token not in value for value in stored)
    assert record.name == "unnamed"


def test_create_default_lifetime_90_days() -> None:
    user = a_gatekeeper()
    _run("create", user.username)
    record = ApiToken.objects.get()
    assert record.expires_at - record.created_at == timedelta(days=DEFAULT_LIFETIME_DAYS)
    assert DEFAULT_LIFETIME_DAYS == 90


def test_create_expires_days_option() -> None:
    user = a_gatekeeper()
    _run("create", user.username, "--expires-days", "7")
    record = ApiToken.objects.get()
    assert record.expires_at - record.created_at == timedelta(days=7)


@pytest.mark.parametrize("days", ["0", "-1", str(MAX_LIFETIME_DAYS + 1)])
def test_create_rejects_lifetime_out_of_range(days: str) -> None:
    user = a_gatekeeper()
    with pytest.raises(CommandError, match="from 1 to 365"):
        _run("create", user.username, "--expires-days", days)
    assert ApiToken.objects.count() == 0


def test_create_rejects_unknown_username() -> None:
    with pytest.raises(CommandError, match="no user with the username 'nobody'"):
        _run("create", "nobody")


def test_create_rejects_inactive_user() -> None:
    user = make_user("gatekeeper", is_active=False)
    with pytest.raises(CommandError, match="inactive"):
        _run("create", user.username)
    assert ApiToken.objects.count() == 0


def test_create_is_audited() -> None:
    user = a_gatekeeper()
    _run("create", user.username)
    record = ApiToken.objects.get()
    event = AuditEvent.objects.get(object_type="api_token", event_type="record.created")
    assert event.object_id == str(record.pk)
    assert event.actor_label == "command-line"
    assert event.payload["new"]["user_id"] == user.pk
    assert event.payload["new"]["prefix"] == record.prefix


def test_list_shows_prefix_and_state() -> None:
    first, second = a_gatekeeper(), a_gatekeeper()
    _run("create", first.username, "--name", "first")
    _run("create", second.username, "--name", "second")
    revoked = ApiToken.objects.get(name="second")
    revoked.revoked_at = timezone.now()
    revoked.save()

    out, _ = _run("list")
    lines = out.strip().splitlines()
    assert lines[0].split("\t")[0] == "id"
    assert len(lines) == 3
    rows = {line.split("\t")[2]: line.split("\t") for line in lines[1:]}
    assert rows["first"][4] == "active"
    assert rows["second"][4] == "revoked"
    assert rows["first"][3] == ApiToken.objects.get(name="first").prefix


def test_list_filters_by_username() -> None:
    first, second = a_gatekeeper(), a_gatekeeper()
    _run("create", first.username, "--name", "first")
    _run("create", second.username, "--name", "second")
    out, _ = _run("list", second.username)
    names = [line.split("\t")[2] for line in out.strip().splitlines()[1:]]
    assert names == ["second"]


def test_list_marks_expired_tokens() -> None:
    user = a_gatekeeper()
    _run("create", user.username)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    out, _ = _run("list")
    assert out.strip().splitlines()[1].split("\t")[4] == "expired"


def test_revoke_stops_token_working() -> None:
    user = a_gatekeeper()
    token = _run("create", user.username)[0].strip()
    record = ApiToken.objects.get()
    assert user_for_token(token, timezone.now()) == user

    out, _ = _run("revoke", str(record.pk))

    record.refresh_from_db()
    assert record.revoked_at is not None
    assert f"Token {record.pk}" in out
    assert user_for_token(token, timezone.now()) is None
    event = AuditEvent.objects.get(object_type="api_token", event_type="record.changed")
    assert event.object_id == str(record.pk)


def test_revoke_twice_keeps_first_instant() -> None:
    user = a_gatekeeper()
    _run("create", user.username)
    record = ApiToken.objects.get()
    _run("revoke", str(record.pk))
    record.refresh_from_db()
    first = record.revoked_at

    _run("revoke", str(record.pk))

    record.refresh_from_db()
    assert record.revoked_at == first
    assert AuditEvent.objects.filter(event_type="record.changed").count() == 1


def test_revoke_unknown_token_fails() -> None:
    with pytest.raises(CommandError, match="no API token with id 999"):
        _run("revoke", "999")
