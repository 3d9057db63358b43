"""Two-factor login (TOTP, RFC 6238) for password logins, with django-otp's TOTP devices.

Who: every user may enrol an authenticator app; administrators (the administrator role in
any authority, superusers, and users of the Django admin) must, when
DIARIUM_REQUIRE_2FA_FOR_ADMINS is on. A user with a confirmed device gives a code at every
password login (web/signin.py); without one, an administrator who must enrol does so before
the login completes. The secret is shown once, while the device is unconfirmed; a confirmed
device's secret is never shown again. Single sign-on is exempt: the identity provider asks
for the second factor (Entra ID's conditional access, Keycloak's OTP, AD FS's MFA).
Wrong codes count as failed logins for the lockout (lockout.py), and django-otp slows a
device down after each wrong code."""

from __future__ import annotations

import base64

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from diarium.organisation.models import Role, User
from diarium.organisation.selectors import access_for

DEVICE_NAME = "authenticator"


def is_administrator(user: User) -> bool:
    return bool(user.is_superuser or user.is_staff
                or access_for(user).authorities_with([Role.ADMINISTRATOR]))


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def must_enrol(user: User) -> bool:
    """An administrator without a device, when the installation requires two factors."""
    return bool(settings.REQUIRE_2FA_FOR_ADMINS and is_administrator(user)
                and confirmed_device(user) is None)


def unconfirmed_device(user: User) -> TOTPDevice:
    """The device being enrolled: a new secret each time enrolment starts over."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def provisioning_uri(device: TOTPDevice) -> str:
    """otpauth://totp/Diarium:anna?secret=…&issuer=Diarium (DIARIUM_OTP_ISSUER), for the
    QR code."""
    return device.config_url


def secret_base32(device: TOTPDevice) -> str:
    """The secret as people type it into an authenticator app."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
