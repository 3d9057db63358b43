"""User and role administration for administrators (the `administrator` role in an
authority, or a superuser), without the Django admin: find users, create one, give or take
a role in an authority they administer, set the unit, name and e-mail address, deactivate
and reactivate, set a password. Every write is a service of organisation/services.py,
which checks the administrator's rights again and writes the audit event; a user outside
what the administrator looks after does not exist for them (404), and anyone who
administers nothing is refused (403)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from diarium.core.pages import apply_errors, error_text, or_404, paginate
from diarium.organisation import selectors, services, twofactor
from diarium.organisation.models import Role, RoleAssignment, Unit, User


def _administrator(request: HttpRequest) -> User:
    if not selectors.may_administer(request.user):
        raise PermissionDenied(_("Only administrators manage users."))
    return request.user


def _managed(request: HttpRequest, user_id: int) -> User:
    admin = _administrator(request)
    return or_404(selectors.administered_users(admin).get, pk=user_id)


def _unit_choices(admin: User, current: Unit | None = None) -> list[tuple[str, str]]:
    units = list(selectors.units_of(selectors.administered_municipalities(admin)))
    if current is not None and current not in units:
        units.append(current)
    return [("", "–")] + [(str(u.pk), f"{u.administration.name} / {u.name}") for u in units]


def _unit(value: str) -> Unit | None:
    return Unit.objects.filter(pk=value).first() if value else None


class UserDetailsForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150,
                                 required=False)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150,
                                required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail address"), required=False)
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), required=False)

    def __init__(self, *args, admin: User, current: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(admin, current)


class NewUserForm(UserDetailsForm):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    home_municipality = forms.ChoiceField(label=gettext_lazy("Home municipality"))
    password = forms.CharField(
        label=gettext_lazy("Password"), required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("Leave empty when the user signs in with the "
                               "municipality's account (single sign-on)."))
    field_order = ["username", "first_name", "last_name", "email", "home_municipality",
                   "unit", "password"]

    def __init__(self, *args, admin: User, **kwargs):
        super().__init__(*args, admin=admin, **kwargs)
        self.fields["home_municipality"].choices = [
            (str(m.pk), m.name) for m in selectors.administered_municipalities(admin)]

    def clean(self) -> dict:
        """The username's and the password's problems with the other fields' errors, all
        at once (the service checks them again when it creates the user)."""
        data = super().clean()
        candidate = User(username=data.get("username", "").strip(),
                         **{name: data.get(name, "") for name in
                            ("first_name", "last_name", "email")})
        problems = services.new_user_problems(
            candidate, data.get("password") or None,
            exclude=["home_municipality", "unit", *self.errors])
        for name, found in problems.items():
            if name in self.fields and not self.has_error(name):
                self.add_error(name, found)
        return data


class RoleForm(forms.Form):
    authority = forms.ChoiceField(label=gettext_lazy("Authority"))
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)

    def __init__(self, *args, admin: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].choices = [
            (str(a.pk), f"{a.name} ({a.code})") for a in selectors.administered_authorities(admin)]


class PasswordForm(forms.Form):
    password = forms.CharField(label=gettext_lazy("New password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


@login_required
def users(request: HttpRequest) -> HttpResponse:
    """Every user the administrator looks after, searchable by name, username or e-mail."""
    admin = _administrator(request)
    text = request.GET.get("q", "").strip()
    found = selectors.administered_users(admin, text).prefetch_related("roles__authority")
    return render(request, "web/users.html", {
        "page": paginate(request, found), "q": text,
    })


@login_required
def user_new(request: HttpRequest) -> HttpResponse:
    admin = _administrator(request)
    form = NewUserForm(request.POST or None, admin=admin)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        municipality = selectors.administered_municipalities(admin) \
            .get(pk=data["home_municipality"])
        try:
            user = services.create_user(
                admin, username=data["username"], municipality=municipality,
                password=data["password"] or None, first_name=data["first_name"],
                last_name=data["last_name"], email=data["email"], unit=_unit(data["unit"]))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The user %(user)s is created. Give them a role "
                                        "below.") % {"user": user.username})
            return redirect("web:user", user_id=user.pk)
    return render(request, "web/user_new.html", {"form": form})


def _user_page(request: HttpRequest, admin: User, user: User, **forms_given) -> HttpResponse:
    assignments = RoleAssignment.objects.filter(user=user).select_related("authority") \
        .order_by("authority__code", "role")
    mine = set(selectors.administered_authorities(admin).values_list("pk", flat=True))
    return render(request, "web/user.html", {
        "person": user,
        "assignments": [(a, a.authority_id in mine) for a in assignments],
        "details_form": forms_given.get("details_form") or UserDetailsForm(
            admin=admin, current=user.unit, initial={
                "first_name": user.first_name, "last_name": user.last_name,
                "email": user.email, "unit": str(user.unit_id or "")}),
        "role_form": forms_given.get("role_form") or RoleForm(admin=admin),
        "password_form": forms_given.get("password_form") or PasswordForm(),
        "is_self": user.pk == admin.pk,
        "two_factor": twofactor.confirmed_device(user) is not None,
    })


@login_required
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _managed(request, user_id)
    return _user_page(request, request.user, user)


@login_required
@require_POST
def user_update(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _managed(request, user_id)
    form = UserDetailsForm(request.POST, admin=request.user, current=user.unit)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.update_user(request.user, user, first_name=data["first_name"],
                                 last_name=data["last_name"], email=data["email"],
                                 unit=_unit(data["unit"]))
        except (ValidationError, PermissionDenied) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The user's details are saved."))
            return redirect("web:user", user_id=user.pk)
    return _user_page(request, request.user, user, details_form=form)


def _form_error(form: forms.Form, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        apply_errors(form, exc)
    else:
        form.add_error(None, str(exc) or _("You may not make this change."))


@login_required
@require_POST
def user_role(request: HttpRequest, user_id: int) -> HttpResponse:
    """Give a role (action=give, from the form) or take one (action=take)."""
    user = _managed(request, user_id)
    form = RoleForm(request.POST, admin=request.user)
    take = request.POST.get("action") == "take"
    if take:
        assignment = or_404(RoleAssignment.objects.select_related("authority").get,
                            user=user, pk=request.POST.get("assignment"))
        try:
            services.remove_role(request.user, user, assignment.authority, assignment.role)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _message(exc))
        else:
            messages.success(request, _("%(user)s no longer holds the role %(role)s in "
                                        "%(authority)s.") % {
                "user": user, "role": assignment.get_role_display(),
                "authority": assignment.authority.code})
        return redirect("web:user", user_id=user.pk)
    if form.is_valid():
        authority = selectors.administered_authorities(request.user) \
            .get(pk=form.cleaned_data["authority"])
        try:
            services.assign_role(request.user, user, authority, form.cleaned_data["role"])
        except (ValidationError, PermissionDenied) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("%(user)s now holds the role %(role)s in "
                                        "%(authority)s.") % {
                "user": user, "role": Role(form.cleaned_data["role"]).label,
                "authority": authority.code})
            return redirect("web:user", user_id=user.pk)
    return _user_page(request, request.user, user, role_form=form)


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return error_text(exc)
    return str(exc) or _("You may not make this change.")


@login_required
@require_POST
def user_active(request: HttpRequest, user_id: int) -> HttpResponse:
    """Deactivate (active=0) or reactivate (active=1) a user. A user is never deleted: the
    audit log names them."""
    user = _managed(request, user_id)
    active = request.POST.get("active") == "1"
    try:
        services.update_user(request.user, user, is_active=active)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
    else:
        text = _("%(user)s is active again.") if active else \
            _("%(user)s is deactivated and can no longer sign in.")
        messages.success(request, text % {"user": user})
    return redirect("web:user", user_id=user.pk)


@login_required
@require_POST
def user_password(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _managed(request, user_id)
    form = PasswordForm(request.POST)
    if form.is_valid():
        try:
            services.set_password(request.user, user, form.cleaned_data["password"])
        except (ValidationError, PermissionDenied) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The password of %(user)s is set. Tell them in "
                                        "person, not by e-mail.") % {"user": user})
            return redirect("web:user", user_id=user.pk)
    return _user_page(request, request.user, user, password_form=form)


@login_required
@require_POST
def user_two_factor(request: HttpRequest, user_id: int) -> HttpResponse:
    """Remove a user's authenticator app (a lost phone): they enrol again at their next
    password login. The password rule decides who may (services.reset_two_factor)."""
    user = _managed(request, user_id)
    services.reset_two_factor(request.user, user)
    messages.success(request, _("The authenticator app of %(user)s is removed. They set up "
                                "a new one at their next login.") % {"user": user})
    return redirect("web:user", user_id=user.pk)
