"""Signing in: the password login with its second step (a TOTP code, or enrolling an
authenticator app when an administrator must), the single sign-on routes (OpenID Connect
through mozilla-django-oidc, SAML through djangosaml2; 404 while switched off), and the
account page where a user enrols or removes their authenticator.

A password login that needs a second factor does not sign the user in: it keeps the user's
id in the session as *pending* (for a few minutes), and only a right code signs in. Rules in
organisation/twofactor.py; writes through organisation/services.py."""

from __future__ import annotations

import time

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from diarium.organisation import lockout, services, twofactor
from diarium.web.account import LoginForm

PENDING = "diarium_pending_login"
PENDING_SECONDS = 300
ENROLLING = "diarium_enrolling_device"
SSO_FAILED = "fel"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"), max_length=8, min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "pattern": "[0-9]*", "autofocus": True}))


def sso_options() -> list[dict]:
    """The single sign-on buttons of the login page."""
    found = []
    if settings.OIDC_ENABLED:
        found.append({"url": reverse("web:oidc_login"),
                      "label": _("Sign in with the municipality's account")})
    if settings.SAML_ENABLED:
        label = _("Sign in with the municipality's account")
        found.append({"url": reverse("web:saml_login"),
                      "label": f"{label} (SAML)" if found else label})
    return found


class LoginView(auth_views.LoginView):
    """Django's login, the lockout's form, the SSO buttons, and a second step for those
    who use (or must enrol) an authenticator app."""

    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso"] = sso_options()
        context["sso_failed"] = self.request.GET.get("sso") == SSO_FAILED
        return context

    def form_valid(self, form):
        user = form.get_user()
        if twofactor.confirmed_device(user) is None and not twofactor.must_enrol(user):
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[PENDING] = {"user": user.pk, "backend": user.backend,
                                         "next": self.get_success_url(), "at": time.time()}
        if twofactor.confirmed_device(user) is None:
            return redirect("web:login_enrol")
        return redirect("web:login_code")


def _pending(request: HttpRequest):
    """The user whose password was right and who still owes the second step."""
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user


def _finish(request: HttpRequest, user, device) -> HttpResponse:
    pending = request.session.pop(PENDING, {})
    auth_login(request, user, backend=user.backend)
    otp_login(request, device)
    target = pending.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()},
                                           require_https=request.is_secure()):
        target = settings.LOGIN_REDIRECT_URL
    return redirect(target)


def _refused(request: HttpRequest, user, form: CodeForm) -> bool:
    """A wrong code counts as a failed login of the username (lockout.py)."""
    address = lockout.client_address(request)
    if lockout.is_locked(user.get_username(), address):
        request.session.pop(PENDING, None)
        form.add_error(None, _("Too many failed logins. Try again in %(minutes)d minutes, or "
                               "ask an administrator to unlock your account.")
                       % {"minutes": settings.LOGIN_LOCKOUT_MINUTES})
        return True
    return False


def login_code(request: HttpRequest) -> HttpResponse:
    """The second step: the code of the user's authenticator app."""
    user = _pending(request)
    if user is None:
        return redirect("web:login")
    device = twofactor.confirmed_device(user)
    if device is None:
        return redirect("web:login_enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _refused(request, user, form):
        if device.verify_token(form.cleaned_data["code"].strip()):
            return _finish(request, user, device)
        lockout.record_failure(user.get_username(), lockout.client_address(request))
        form.add_error("code", _("The code is wrong or too old. Enter the code your app "
                                 "shows now."))
    return render(request, "web/login_code.html", {"form": form})


def _qr(device: TOTPDevice) -> str:
    return segno.make(twofactor.provisioning_uri(device), error="m").svg_data_uri(scale=5)


def _enrolment(request: HttpRequest, user) -> tuple[TOTPDevice, bool]:
    """The device being enrolled in this session, made when enrolment starts: (device,
    whether its secret is to be shown now, which is only on the page that made it)."""
    device_id = request.session.get(ENROLLING)
    device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first() \
        if device_id else None
    if device is None or request.method == "GET":
        device = twofactor.unconfirmed_device(user)
        request.session[ENROLLING] = device.pk
        return device, True
    return device, False


def _enrol(request: HttpRequest, user, template: str, on_success) -> HttpResponse:
    device, fresh = _enrolment(request, user)
    form = CodeForm(request.POST if not fresh else None)
    if not fresh and form.is_valid():
        if services.confirm_two_factor(user, user, device, form.cleaned_data["code"].strip()):
            request.session.pop(ENROLLING, None)
            device.refresh_from_db()
            return on_success(device)
        lockout.record_failure(user.get_username(), lockout.client_address(request))
        form.add_error("code", _("The code is wrong. Scan the new code below and try again."))
        device, fresh = twofactor.unconfirmed_device(user), True
        request.session[ENROLLING] = device.pk
    return render(request, template, {
        "form": form, "qr": _qr(device), "secret": twofactor.secret_base32(device),
        "issuer": settings.OTP_TOTP_ISSUER, "username": user.get_username(),
    })


def login_enrol(request: HttpRequest) -> HttpResponse:
    """The second step for an administrator who must use two factors and has no
    authenticator yet: enrol one, then the login completes."""
    user = _pending(request)
    if user is None:
        return redirect("web:login")
    if twofactor.confirmed_device(user) is not None:
        return redirect("web:login_code")
    if request.method == "POST" and _refused(request, user, CodeForm()):
        return redirect("web:login")
    return _enrol(request, user, "web/login_enrol.html",
                  lambda device: _finish(request, user, device))


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """The signed-in user's authenticator: enrol one, or remove it."""
    user = request.user
    device = twofactor.confirmed_device(user)
    if device is None and request.GET.get("ny") != "1" and request.method == "GET":
        return render(request, "web/two_factor.html", {
            "device": None, "required": twofactor.must_enrol(user)})
    if device is None:
        def enrolled(new_device):
            otp_login(request, new_device)
            messages.success(request, _("Two-factor login is on. From now on you give a code "
                                        "from the app when you log in with your password."))
            return redirect("web:two_factor")
        return _enrol(request, user, "web/two_factor_enrol.html", enrolled)
    return render(request, "web/two_factor.html", {
        "device": device,
        "may_remove": not (settings.REQUIRE_2FA_FOR_ADMINS and twofactor.is_administrator(user)),
    })


@login_required
@require_POST
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    services.reset_two_factor(request.user, request.user)
    messages.success(request, _("Your authenticator app is removed."))
    return redirect("web:two_factor")


# --- single sign-on ----------------------------------------------------------------------

def _switched_on(flag: str) -> None:
    if not getattr(settings, flag, False):
        raise Http404


def oidc_login(request: HttpRequest) -> HttpResponse:
    """To the identity provider (the authorization request, with state, nonce and PKCE)."""
    from mozilla_django_oidc.views import OIDCAuthenticationRequestView

    _switched_on("OIDC_ENABLED")
    return OIDCAuthenticationRequestView.as_view()(request)


def oidc_callback(request: HttpRequest) -> HttpResponse:
    """Back from the identity provider: the code is exchanged and checked, the user signed
    in (organisation/oidc.py), or back to the login page with an error."""
    from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

    _switched_on("OIDC_ENABLED")
    return OIDCAuthenticationCallbackView.as_view()(request)


def saml_login(request: HttpRequest) -> HttpResponse:
    from djangosaml2.views import LoginView as SamlLoginView

    _switched_on("SAML_ENABLED")
    return SamlLoginView.as_view()(request)


@csrf_exempt  # the IdP posts the signed assertion from its own origin
def saml_acs(request: HttpRequest) -> HttpResponse:
    from djangosaml2.views import AssertionConsumerServiceView

    _switched_on("SAML_ENABLED")
    return AssertionConsumerServiceView.as_view()(request)


def saml_metadata(request: HttpRequest) -> HttpResponse:
    """The service provider's metadata, for the IdP's administrator."""
    from djangosaml2.views import MetadataView

    _switched_on("SAML_ENABLED")
    return MetadataView.as_view()(request)


def sso_failed(request: HttpRequest, exception=None, status=403, **kwargs) -> HttpResponse:
    """A refused SAML response: back to the login page, which says so."""
    return HttpResponseRedirect(reverse("web:login") + f"?sso={SSO_FAILED}")
