"""Two-factor sign-in with django-otp: one authenticator app (TOTP) per user and ten one-time recovery
codes (a static device). Views call these; the gate (web.two_factor) decides who owes a code."""

from __future__ import annotations

from base64 import b32encode
from dataclasses import dataclass

import segno
from django.contrib.auth.models import User
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialdesk.errors import DeskError
from socialdesk.workspaces.actions import two_factor_required_for

RECOVERY_CODES = 10
APP_DEVICE = "Authenticator app"
RECOVERY_DEVICE = "Recovery codes"


@dataclass(frozen=True)
class Enrolment:
    """What a person needs to add the desk to an authenticator app."""

    secret: str  # base32, for typing into the app
    uri: str  # otpauth://, what the QR code holds
    qr_svg: str  # inline <svg>, no external image


def has_two_factor(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def start_enrolment(user: User) -> Enrolment:
    """The unconfirmed device the user is adding (the same one until confirmed, so reloading the page
    does not invalidate the code they already scanned)."""
    if has_two_factor(user):
        raise DeskError("two-factor is already on; turn it off first to change the app", code="enrolled")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)
    uri = device.config_url
    return Enrolment(
        secret=b32encode(device.bin_key).decode("ascii").rstrip("="),
        uri=uri,
        qr_svg=segno.make(uri, error="m").svg_inline(scale=4, title="QR code for your authenticator app"),
    )


def confirm_enrolment(user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Turns two-factor on when `code` comes from the app just set up: (the device, the recovery codes,
    which are shown once and stored only to be matched)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        raise DeskError("start again: there is no app being set up", code="no_enrolment")
    if not device.verify_token(_digits(code)):
        raise DeskError("that code is not the one the app shows now; try the next one", code="wrong_code")
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = _new_recovery_codes(user)
    return device, codes


def new_recovery_codes(user: User) -> list[str]:
    """Replaces the user's recovery codes (the old ones stop working)."""
    if not has_two_factor(user):
        raise DeskError("turn two-factor on first", code="not_enrolled")
    with transaction.atomic():
        return _new_recovery_codes(user)


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify_second_factor(user: User, code: str) -> Device:
    """The device that accepts `code`: six digits are the app's current code, anything else a recovery
    code (used up by this). Each device slows guessing down on its own (OTP_*_THROTTLE_FACTOR): after a
    wrong code even the right one is refused until the delay has passed."""
    cleaned = code.strip().replace(" ", "").replace("-", "").lower()
    device: TOTPDevice | StaticDevice | None
    if len(cleaned) == 6 and cleaned.isdecimal():
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise DeskError("that code is not right", code="wrong_code", status=400)
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        raise _throttled()
    if not device.verify_token(cleaned):
        raise DeskError("that code is not right", code="wrong_code", status=400)
    return device


def _throttled() -> DeskError:
    return DeskError("too many wrong codes: wait a few seconds and try again", code="throttled", status=429)


def turn_off_two_factor(user: User) -> None:
    """Removes the app and the recovery codes, unless a workspace of the user requires two-factor."""
    if two_factor_required_for(user):
        raise DeskError("a workspace you belong to requires two-factor", code="required", status=403)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def _digits(code: str) -> str:
    return code.strip().replace(" ", "")
