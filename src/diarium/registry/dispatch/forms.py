"""Forms of dispatch: the dispatch of a document (its case's parties, lists, other
recipients), an administrator's distribution list and the authority's mail settings.

Other recipients are written one per line:
    Anna Andersson <anna@example.org>          an e-mail address
    Anna Andersson; Storgatan 1; 123 45 Sjövik  a postal address (lines split by ;)
    Enhet: Bygglovsenheten <bygglov@example.se> a unit of the authority (lists only)"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diarium.registry.dispatch.models import DispatchChannel, SmtpSecurity
from diarium.registry.dispatch.recipients import RecipientInput
from diarium.registry.dispatch.setup import SettingsData

ADDRESS = re.compile(r"^(?P<name>[^<>]*)<(?P<email>[^<>]*)>$")
UNIT_PREFIX = "enhet:"
# Django shows help text as HTML: these hold "<address>", so they are escaped (lazily,
# in the reader's language).
escaped = lazy(lambda text: escape(str(text)), str)
LINES_HELP = escaped(gettext_lazy(
    "One per line: “Name <address@example.se>” for e-mail, or “Name; street; postal code "
    "and town” for post."))


def parse_lines(text: str, units=None) -> list[RecipientInput]:
    """The recipients written in a text box (see the module's docstring)."""
    found = []
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line:
            continue
        found.append(_parse_line(line, number, units))
    return found


def _parse_line(line: str, number: int, units) -> RecipientInput:
    unit = None
    if units is not None and line.lower().startswith(UNIT_PREFIX):
        line = line[len(UNIT_PREFIX):].strip()
        name = ADDRESS.match(line).group("name").strip() if ADDRESS.match(line) else line
        unit = units.filter(name__iexact=name).first()
        if unit is None:
            raise ValidationError(_("Line %(n)s: there is no unit %(name)s.") % {
                "n": number, "name": name})
    match = ADDRESS.match(line)
    if match:
        kind = "unit" if unit else "email"
        return RecipientInput(kind, unit=unit, name=match["name"].strip(),
                              email=match["email"].strip())
    if ";" in line:
        name, *address = [part.strip() for part in line.split(";")]
        return RecipientInput("unit" if unit else "postal", unit=unit, name=name,
                              postal_address="\n".join(address))
    raise ValidationError(_("Line %(n)s: write “Name <address>” or “Name; street; postal "
                            "code and town”.") % {"n": number})


class DispatchForm(forms.Form):
    channel = forms.ChoiceField(label=gettext_lazy("Send by"), choices=DispatchChannel.choices,
                                widget=forms.RadioSelect, initial=DispatchChannel.EMAIL)
    parties = forms.ModelMultipleChoiceField(
        label=gettext_lazy("The case's parties"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple)
    lists = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Distribution lists"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple)
    others = forms.CharField(label=gettext_lazy("Other recipients"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}), help_text=LINES_HELP)
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=500, required=False,
                              help_text=gettext_lazy("Empty: the diary number and the "
                                                     "document's description."))
    posted_on = forms.DateField(label=gettext_lazy("Posted on (post only)"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, parties, lists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = parties
        self.fields["lists"].queryset = lists

    def clean_others(self) -> list[RecipientInput]:
        return parse_lines(self.cleaned_data["others"])

    def recipients(self) -> list[RecipientInput]:
        chosen = [RecipientInput("party", party=p) for p in self.cleaned_data["parties"]]
        return chosen + self.cleaned_data["others"]


class DistributionListForm(forms.Form):
    authority = forms.ModelChoiceField(label=gettext_lazy("Authority"), queryset=None,
                                       empty_label=None)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    parties = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Contacts"), queryset=None, required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}))
    staff = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Staff"), queryset=None, required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}))
    others = forms.CharField(
        label=gettext_lazy("Other recipients"), required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=escaped(gettext_lazy(
            "One per line: “Name <address@example.se>”, “Name; street; postal code and "
            "town”, or “Enhet: unit name <address>”.")))
    active = forms.BooleanField(label=gettext_lazy("In use"), required=False, initial=True)

    def __init__(self, *args, authorities, parties, staff, units, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        self.fields["authority"].queryset = authorities
        self.fields["parties"].queryset = parties
        self.fields["staff"].queryset = staff
        if editing:
            self.fields["authority"].disabled = True

    def clean_others(self) -> list[RecipientInput]:
        return parse_lines(self.cleaned_data["others"], units=self.units)

    def members(self) -> list[RecipientInput]:
        data = self.cleaned_data
        return ([RecipientInput("party", party=p) for p in data["parties"]]
                + [RecipientInput("staff", user=u) for u in data["staff"]] + data["others"])


class SettingsForm(forms.Form):
    host = forms.CharField(label=gettext_lazy("SMTP server"), max_length=255, required=False)
    port = forms.IntegerField(label=gettext_lazy("Port"), min_value=1, max_value=65535,
                              initial=587)
    security = forms.ChoiceField(label=gettext_lazy("Encryption"), choices=SmtpSecurity.choices)
    username = forms.CharField(label=gettext_lazy("Username"), max_length=255, required=False)
    password = forms.CharField(
        label=gettext_lazy("Password"), required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("Stored encrypted and never shown again. Leave empty to keep "
                               "the stored one."))
    from_address = forms.EmailField(label=gettext_lazy("Sender address"), required=False)
    from_name = forms.CharField(label=gettext_lazy("Sender name"), max_length=200,
                                required=False)
    cover_letter = forms.CharField(
        label=gettext_lazy("Cover letter"), required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("The body of e-mail and the letter sent with post. "
                               "$mottagare, $handling, $diarienummer, $datum and $myndighet "
                               "are filled in."))

    def data_object(self) -> SettingsData:
        d = self.cleaned_data
        return SettingsData(host=d["host"], port=d["port"], security=d["security"],
                            username=d["username"], from_address=d["from_address"],
                            from_name=d["from_name"], cover_letter=d["cover_letter"])
