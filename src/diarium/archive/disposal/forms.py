"""Forms of the disposal pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diarium.archive.models import Package
from diarium.organisation.models import Authority
from diarium.plan.models import RecordType
from diarium.registry import enforcement
from diarium.registry.forms import DateInput

from . import access


class RunForm(forms.Form):
    authority = forms.ModelChoiceField(label=_("Authority"), queryset=Authority.objects.none(),
                                       to_field_name="code")
    due_on = forms.DateField(label=_("Due on or before"), widget=DateInput, required=False,
                             help_text=_("Default today. Records whose disposal date has come "
                                         "by this day are listed."))
    record_type = forms.ChoiceField(label=_("Record type"), required=False)

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        ids = access.authority_ids(user)
        self.fields["authority"].queryset = Authority.objects.filter(pk__in=ids).order_by(
            "code")
        choices = enforcement.rule_choices(ids, timezone.localdate())
        self.fields["record_type"].choices = [("", _("All record types")), *choices]

    def clean_record_type(self) -> RecordType | None:
        value = self.cleaned_data.get("record_type")
        return RecordType.objects.filter(pk=value).first() if value else None


class DecisionForm(forms.Form):
    decision_reference = forms.CharField(
        label=_("Disposal decision"), max_length=300, required=False,
        help_text=_("The decision the records are disposed of under, e.g. "
                    "\"Gallringsbeslut KS 2024:1\" or the plan's adoption "
                    "\"KS 2026-03-14 § 45\"."))
    note = forms.CharField(label=_("Note"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class PackageHoldForm(forms.Form):
    package = forms.CharField(label=_("Package"), max_length=255,
                              help_text=_("The package id or the producer's package id."))
    reason = forms.CharField(label=_("Reason for the hold"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    reference = forms.CharField(label=_("Reference"), max_length=200, required=False)

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_package(self) -> Package:
        value = self.cleaned_data["package"].strip()
        packages = access.holdable_packages(self.user)
        found = packages.filter(objid=value).exclude(state="rejected").first()
        if found is None:
            try:
                found = packages.filter(pk=value).first()
            except (ValueError, TypeError, forms.ValidationError):
                found = None
        if found is None:
            raise forms.ValidationError(_("There is no such package of your authorities."))
        return found


class ReleaseForm(forms.Form):
    note = forms.CharField(label=_("Note on release"), max_length=2000, required=False)
