"""The one filter definition of the public diary, used by its pages, its API and its
feeds: search words, authority, date range, direction, record type and case status.
Every value is checked here; what fails is a 400 with the field named, never a 500."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_QUERY = 200
PAGE_SIZE = 25
KIND_CASES, KIND_DOCUMENTS = "cases", "documents"

DIRECTIONS = [("", _("All")), ("incoming", _("Incoming")), ("outgoing", _("Outgoing")),
              ("internal", _("Drawn up"))]
STATUSES = [("", _("All")), ("open", _("Open")), ("dormant", _("Dormant")),
            ("closed", _("Closed")), ("voided", _("Voided")),
            ("disposed", _("Disposed of"))]
KINDS = [(KIND_CASES, _("Cases")), (KIND_DOCUMENTS, _("Documents"))]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search words or diary number"), required=False,
                        max_length=MAX_QUERY, strip=True)
    kind = forms.ChoiceField(label=_("Show"), choices=KINDS, required=False)
    authority = forms.CharField(label=_("Authority"), required=False, max_length=32)
    date_from = forms.DateField(label=_("From date"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To date"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    direction = forms.ChoiceField(label=_("Direction"), choices=DIRECTIONS, required=False)
    record_type = forms.CharField(label=_("Record type"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Case status"), choices=STATUSES, required=False)

    def __init__(self, data=None, *, authorities=(), record_types=()):
        super().__init__(data)
        self.fields["authority"].widget = forms.Select(
            choices=[("", _("All authorities")), *authorities])
        self.fields["record_type"].widget = forms.Select(
            choices=[("", _("All")), *[(name, name) for name in record_types]])

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The from date is after the to date."))
        for name in ("date_from", "date_to"):
            value = data.get(name)
            if value and not dt.date(1900, 1, 1) <= value <= dt.date(2999, 12, 31):
                self.add_error(name, _("Give a date between 1900 and 2999."))
        data["kind"] = data.get("kind") or KIND_CASES
        return data


def page_number(raw: str | None) -> int:
    """The page asked for, at least 1 (anything unreadable is page 1; a page past the end
    is clamped by the paginator)."""
    try:
        number = int(str(raw or "1")[:12])
    except ValueError:
        return 1
    return max(1, number)
