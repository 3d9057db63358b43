"""The document management plan in the registration forms: the record type choice (the
record types in force, grouped by process) and the confirmation step.

When the chosen record type is kept in order or not registered, belongs to another diary
series or IT system, or has a default secrecy the officer left empty, the form comes back
once with the warnings and the secrecy filled in. Registering it then is the officer's
confirmed decision. A record type meant for the other direction (incoming against
outgoing or drawn up) is confirmed only by ticking "Register anyway".

Whenever the form comes back (this step, a field to correct, a party search) the files
already chosen are kept as staged uploads (registry/staging_model.py): the form carries
their ids in `kept_files`, each with a `drop_files` box to leave it out. Only the user's
own staged uploads for the same form are found."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diarium.core.pages import filterable
from diarium.registry import enforcement, selectors, services
from diarium.registry.models import DiarySeries

KEPT_GONE = _("A file kept from before is no longer there (chosen files are kept for two "
              "hours): choose it again.")


class PlanFields(forms.Form):
    record_type = forms.ChoiceField(
        label=_("Record type"), required=False,
        widget=forms.Select(attrs=filterable(_("Find a record type"))),
        help_text=_("From the authority's document management plan. It decides the default "
                    "secrecy and how long the document is kept."),
    )
    confirmed_for = forms.CharField(required=False, widget=forms.HiddenInput)
    # Rendered by registry/_document_fields.html (one hidden id and one box per file).
    kept_files = forms.Field(required=False, widget=forms.MultipleHiddenInput)
    drop_files = forms.Field(required=False, widget=forms.MultipleHiddenInput)
    # Shown with the warning that the record type is meant for the other direction.
    register_anyway = forms.BooleanField(
        label=_("Register anyway"), required=False,
        help_text=_("The record type stays as chosen; the registration notes the warning."))

    def __init__(self, *args, user=None, authority_ids=(), staging_key="", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.staging_key = staging_key
        choices = enforcement.rule_choices(authority_ids, timezone.localdate())
        self.fields["record_type"].choices = [("", _("– No record type –")), *choices]
        self.kept: list[services.StoredUpload] = []

    def clean_kept_files(self) -> list[str]:
        self.kept = self._kept(self.cleaned_data.get("kept_files") or [])
        return [str(f.staged) for f in self.kept]

    def load_kept(self) -> None:
        """self.kept of a form shown again without being checked (a party search)."""
        try:
            self.kept = self._kept(self["kept_files"].value() or [])
        except ValidationError:
            self.kept = []

    def _kept(self, values) -> list[services.StoredUpload]:
        """The kept files still wanted (not dropped). An id that is not the user's own,
        unexpired staged upload for this form is refused with the same message as an
        expired one (it tells nothing about the file)."""
        given = [str(v) for v in values if v]
        if not given:
            return []
        try:
            ids = list(dict.fromkeys(uuid.UUID(v) for v in given))
        except ValueError:
            raise ValidationError(KEPT_GONE) from None
        if self.user is None or not self.staging_key:
            raise ValidationError(KEPT_GONE)
        found = {row.pk: row for row in selectors.staged_uploads(self.user, self.staging_key,
                                                                 ids)}
        if len(found) != len(ids):
            raise ValidationError(KEPT_GONE)
        dropped = {str(v) for v in (self["drop_files"].value() or [])}
        return [services.StoredUpload(row.content, row.name, row.mime_type, staged=row.pk)
                for row in (found[pk] for pk in ids) if str(row.pk) not in dropped]

    def document_direction(self) -> str:
        """The direction of the document being registered ("" when not known yet)."""
        return ""

    def confirmation_key(self, series: DiarySeries) -> str:
        return f"{self.cleaned_data.get('record_type', '')}|{series.pk}"

    def is_confirmed(self, series: DiarySeries) -> bool:
        return self.cleaned_data.get("confirmed_for") == self.confirmation_key(series)

    def ask_confirmation(self, series: DiarySeries, secrecy: str) -> None:
        """Turn the bound form into the confirmation step: the same values and the secrecy
        filled in from the plan (the view keeps the files)."""
        data = self.data.copy()
        data["confirmed_for"] = self.confirmation_key(series)
        if secrecy:
            data["secrecy_provision"] = secrecy
            for flag in ("withhold_title", "withhold_parties", "withhold_files"):
                data[flag] = "on"
        self.data = data
