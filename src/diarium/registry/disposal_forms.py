"""Forms of the disposal pages: holds, correcting a record type, the report's filters."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diarium.core.pages import filterable
from diarium.organisation.models import Authority
from diarium.registry import enforcement
from diarium.registry.disposal_selectors import DueCriteria
from diarium.registry.forms import DateInput


class HoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the hold"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. a dispute, an audit or an investigation that needs the records."),
    )
    reference = forms.CharField(label=_("Reference"), max_length=200, required=False)


class ReleaseHoldForm(forms.Form):
    note = forms.CharField(label=_("Note on release"), max_length=2000, required=False)


class RecordTypeForm(forms.Form):
    record_type = forms.ChoiceField(
        label=_("Record type"), required=False,
        widget=forms.Select(attrs=filterable(_("Find a record type"))))

    def __init__(self, *args, authority_id=None, on=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = enforcement.rule_choices([authority_id], on or timezone.localdate())
        self.fields["record_type"].choices = [("", _("– No record type –")), *choices]


class NoLongerCurrentForm(forms.Form):
    date = forms.DateField(label=_("No longer current from"), widget=DateInput, required=False,
                           help_text=_("Leave empty to clear."))


class DueReportForm(forms.Form):
    on = forms.DateField(label=_("Due on"), widget=DateInput, required=False,
                         help_text=_("Documents that may be disposed of on this day."))
    authority = forms.ModelChoiceField(
        label=_("Authority"), queryset=Authority.objects.none(), to_field_name="code",
        required=False, empty_label=_("All my authorities"),
    )
    record_type = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, authority_ids=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = Authority.objects.filter(
            pk__in=list(authority_ids)
        ).order_by("code")

    def criteria(self) -> DueCriteria:
        data = self.cleaned_data
        authority = data.get("authority")
        return DueCriteria(
            on=data.get("on") or timezone.localdate(),
            authority_ids=frozenset({authority.pk}) if authority else None,
            record_type_id=data.get("record_type"),
        )
