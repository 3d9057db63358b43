"""The signed-in user's account pages: API tokens (own, and for administrators those of
the users they manage) and, for administrators, the list of login lockouts with an
unlock button. Every write goes through organisation/services.py."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from diarium.core.pages import apply_errors, or_404
from diarium.organisation import lockout, services, tokens


class LoginForm(AuthenticationForm):
    """Django's login form, telling a locked-out user so instead of "wrong password"."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": gettext_lazy(
            "Too many failed logins. Try again in %(minutes)d minutes, or ask an "
            "administrator to unlock your account."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if lockout.is_locked(username, lockout.client_address(self.request)):
            raise ValidationError(self.error_messages["locked"], code="locked",
                                  params={"minutes": settings.LOGIN_LOCKOUT_MINUTES})
        return super().clean()


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100, required=False,
                           help_text=gettext_lazy("What the token is for, e.g. the "
                                                  "integration that uses it."))
    days = forms.IntegerField(label=gettext_lazy("Valid for (days)"), required=False,
                              min_value=1, max_value=services.MAX_TOKEN_DAYS)


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """List the user's tokens (administrators: `?alla=1` for everyone they manage) and make
    a new one; the new key is shown on this response only."""
    everyone = request.GET.get("alla") == "1" and tokens.may_manage_others(request.user)
    form, new_key = TokenForm(request.POST or None), None
    if request.method == "POST" and form.is_valid():
        try:
            made = services.create_api_token(request.user, request.user,
                                             name=form.cleaned_data["name"],
                                             days=form.cleaned_data["days"])
            new_key, form = made.key, TokenForm()
        except ValidationError as exc:
            apply_errors(form, exc)
    return render(request, "web/api_tokens.html", {
        "tokens": tokens.tokens_for(request.user, everyone=everyone),
        "form": form, "new_key": new_key, "everyone": everyone,
        "may_manage_others": tokens.may_manage_others(request.user),
    })


@login_required
@require_POST
def revoke_api_token(request: HttpRequest, token_id) -> HttpResponse:
    token = or_404(tokens.tokens_for(request.user, everyone=True).get, pk=token_id)
    services.revoke_api_token(request.user, token)
    messages.success(request, _("The token %(prefix)s… is revoked.") % {"prefix": token.prefix})
    return redirect(request.POST.get("next") or "web:api_tokens")


@login_required
def login_locks(request: HttpRequest) -> HttpResponse:
    """Administrators: current lockouts, each with an unlock button."""
    if not tokens.may_manage_others(request.user):
        raise PermissionDenied
    if request.method == "POST":
        kind, value = request.POST.get("kind"), request.POST.get("value", "")
        if kind in ("username", "address") and value:
            services.unlock_login(request.user, **{kind: value})
            messages.success(request, _("%(value)s is unlocked.") % {"value": value})
        return redirect("web:login_locks")
    return render(request, "web/login_locks.html", {"locks": lockout.current_locks()})
