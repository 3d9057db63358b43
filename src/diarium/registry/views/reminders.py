"""The signed-in user's choice of e-mail reminders (services/reminders.py): one e-mail
per reminder, a daily digest, or none."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diarium.registry import services
from diarium.registry.reminder_model import ReminderMode
from diarium.registry.services import reminders
from diarium.registry.views.common import apply_errors


class ReminderForm(forms.Form):
    mode = forms.ChoiceField(label=gettext_lazy("E-mail reminders"), choices=ReminderMode.choices,
                             widget=forms.RadioSelect)


@login_required
def reminder_settings(request: HttpRequest) -> HttpResponse:
    form = ReminderForm(request.POST or None, initial={"mode": reminders.mode_of(request.user)})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_reminder_mode(request.user, form.cleaned_data["mode"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your choice of reminders is saved."))
            return redirect("registry:reminders")
    return render(request, "registry/reminders.html", {
        "form": form, "email": request.user.email})
