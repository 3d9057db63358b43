"""The document management plan in the registration forms: the record type choice (the
record types in force, grouped by process) and the confirmation step.

When the chosen record type is kept in order or not registered, belongs to another diary
series or IT system, or has a default secrecy the officer left empty, the form comes back
once with the warnings, the secrecy filled in, and the files already uploaded kept (as a
signed list of their checksums, valid for this user for a day). Registering it then is
the officer's confirmed decision."""

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diarium.documents.models import StoredFile
from diarium.registry import enforcement, services
from diarium.registry.models import DiarySeries

KEPT_FILES_SALT = "diarium.registry.kept-files"
KEPT_FILES_MAX_AGE = 24 * 3600


class PlanFields(forms.Form):
    record_type = forms.ChoiceField(
        label=_("Record type"), required=False,
        help_text=_("From the authority's document management plan. It decides the default "
                    "secrecy and how long the document is kept."),
    )
    confirmed_for = forms.CharField(required=False, widget=forms.HiddenInput)
    kept_files = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, authority_ids=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        choices = enforcement.rule_choices(authority_ids, timezone.localdate())
        self.fields["record_type"].choices = [("", _("– No record type –")), *choices]
        self.kept: list[services.StoredUpload] = []

    def clean_kept_files(self) -> str:
        token = self.cleaned_data.get("kept_files", "")
        if token:
            self.kept = self._unsign(token)
        return token

    def _unsign(self, token: str) -> list[services.StoredUpload]:
        try:
            value = signing.loads(token, salt=KEPT_FILES_SALT, max_age=KEPT_FILES_MAX_AGE)
        except signing.BadSignature as exc:
            raise ValidationError(_("The kept files have expired: choose them again.")) from exc
        if self.user is None or value.get("user") != self.user.pk:
            raise ValidationError(_("The kept files have expired: choose them again."))
        stored = StoredFile.objects.in_bulk([sha for sha, _name, _mime in value["files"]])
        return [services.StoredUpload(stored[sha], name, mime)
                for sha, name, mime in value["files"] if sha in stored]

    def confirmation_key(self, series: DiarySeries) -> str:
        return f"{self.cleaned_data.get('record_type', '')}|{series.pk}"

    def is_confirmed(self, series: DiarySeries) -> bool:
        return self.cleaned_data.get("confirmed_for") == self.confirmation_key(series)

    def ask_confirmation(self, series: DiarySeries, secrecy: str,
                         files: list[services.StoredUpload]) -> None:
        """Turn the bound form into the confirmation step: the same values, the secrecy
        filled in from the plan, and the files kept."""
        data = self.data.copy()
        data["confirmed_for"] = self.confirmation_key(series)
        if secrecy:
            data["secrecy_provision"] = secrecy
            for flag in ("withhold_title", "withhold_parties", "withhold_files"):
                data[flag] = "on"
        if files:
            data["kept_files"] = signing.dumps(
                {"user": self.user.pk,
                 "files": [[f.content.sha256, f.name, f.mime_type] for f in files]},
                salt=KEPT_FILES_SALT,
            )
        self.data = data
        self.kept = files
