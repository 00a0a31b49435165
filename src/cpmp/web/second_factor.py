"""The second-factor pages: entering a TOTP code, and setting up an authenticator app.

``SecondFactorRequiredMiddleware`` sends people here. A wrong code counts toward the same
lockout as a wrong password, and django-otp's throttling makes each further attempt wait
longer (1, 2, 4 … seconds).
"""

from __future__ import annotations

import logging
from base64 import b32encode
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from cpmp.access.predicates import has_passed_second_factor

from .forms import SecondFactorCodeForm
from .lockout import is_locked_out, lockout_response, record_wrong_code

logger = logging.getLogger(__name__)

WRONG_CODE_MESSAGE = "The code is not correct or has expired. Enter the code your app shows now"
DEVICE_NAME = "Authenticator app"


def _next_url(request: HttpRequest) -> str:
    """Return the page to open after the second factor: ``next`` if it is on this site."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url("web:home")


def _with_next(url_name: str, request: HttpRequest) -> str:
    return f"{resolve_url(url_name)}?{urlencode({'next': _next_url(request)})}"


def _confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def _end_session_locked_out(request: HttpRequest) -> HttpResponseBase:
    user_id = request.user.pk
    credentials = {"username": request.user.get_username()}
    logout(request)
    logger.warning("second factor locked out: user=%s", user_id)
    return lockout_response(request, None, credentials)


def _check_code(request: HttpRequest, form: SecondFactorCodeForm, device: TOTPDevice) -> bool:
    """Check the form's code against ``device``, adding the GOV.UK error when it fails.

    A code sent while django-otp's throttling delay runs is not checked and does not count
    toward the lockout, because no guess was tested.
    """
    if not form.is_valid():
        return False
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        form.add_error(
            "code",
            "You entered a wrong code too recently. Wait a few seconds, then enter the code "
            "your app shows now",
        )
        return False
    if device.verify_token(form.cleaned_data["code"]):
        return True
    record_wrong_code(request, request.user)
    logger.info("second factor code rejected: user=%s device=%s", request.user.pk, device.pk)
    form.add_error("code", WRONG_CODE_MESSAGE)
    return False


def _verified(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    otp_login(request, device)
    # A new session key for the raised level of trust, as Django does at sign-in.
    request.session.cycle_key()
    logger.info("second factor verified: user=%s device=%s", request.user.pk, device.pk)
    return redirect(_next_url(request))


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponseBase:
    """Ask for the 6-digit code from the person's authenticator app."""
    if has_passed_second_factor(request.user):
        return redirect(_next_url(request))
    device = _confirmed_device(request.user)
    if device is None:
        return redirect(_with_next("web:second-factor-set-up", request))
    if is_locked_out(request, request.user):
        return _end_session_locked_out(request)

    form = SecondFactorCodeForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if _check_code(request, form, device):
            return _verified(request, device)
        if getattr(request, "axes_locked_out", False):
            return _end_session_locked_out(request)
    return render(request, "web/second_factor.html", {"form": form, "next": _next_url(request)})


@require_http_methods(["GET", "POST"])
def set_up(request: HttpRequest) -> HttpResponseBase:
    """Show a new TOTP secret as a QR code and text, and confirm it with a first code.

    The same unconfirmed device is shown until it is confirmed, so reloading the page does not
    change the secret the person may already have scanned.
    """
    if has_passed_second_factor(request.user) or _confirmed_device(request.user) is not None:
        return redirect(_with_next("web:second-factor", request))
    if is_locked_out(request, request.user):
        return _end_session_locked_out(request)

    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by(
        "pk"
    ).first() or TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
    form = SecondFactorCodeForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if _check_code(request, form, device):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            logger.info("second factor set up: user=%s device=%s", request.user.pk, device.pk)
            return _verified(request, device)
        if getattr(request, "axes_locked_out", False):
            return _end_session_locked_out(request)

    context = {
        "form": form,
        "next": _next_url(request),
        "qr_code": segno.make(device.config_url, error="m").svg_data_uri(scale=5, dark="#0b0c0c"),
        "secret_groups": _grouped(b32encode(device.bin_key).decode()),
        "issuer": settings.OTP_TOTP_ISSUER,
    }
    return render(request, "web/second_factor_set_up.html", context)


def _grouped(secret: str) -> list[str]:
    """Split a base32 secret into groups of 4 characters, easier to read and type."""
    return [secret[start : start + 4] for start in range(0, len(secret), 4)]
