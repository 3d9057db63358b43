"""Forms for documents written in the case: a new draft, a new version, breaking a lock,
and choosing two versions to compare."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diarium.registry import enforcement, services
from diarium.registry.forms import DateInput
from diarium.registry.models import Direction

NOTE = {"rows": 2}


class DraftForm(forms.Form):
    """A new draft in a case: its registration fields and its first version, an upload."""

    direction = forms.ChoiceField(
        label=_("Direction"), widget=forms.RadioSelect,
        choices=[(Direction.INTERNAL, Direction.INTERNAL.label),
                 (Direction.OUTGOING, Direction.OUTGOING.label)],
        initial=Direction.INTERNAL,
    )
    record_type = forms.ChoiceField(label=_("Record type"), required=False)
    title = forms.CharField(label=_("Description"), max_length=500)
    public_title = forms.CharField(label=_("Public description"), max_length=500,
                                   required=False)
    sender_recipient = forms.CharField(label=_("Sender or recipient"), max_length=300,
                                       required=False)
    document_date = forms.DateField(label=_("Document date"), widget=DateInput,
                                    initial=timezone.localdate)
    file = forms.FileField(label=_("File"), required=False,
                           help_text=_("The first version, e.g. a Word or LibreOffice file."))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs=NOTE))

    def __init__(self, *args, authority_id=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = enforcement.rule_choices([authority_id], timezone.localdate())
        self.fields["record_type"].choices = [("", _("– No record type –")), *choices]

    def document_data(self) -> services.DocumentData:
        data = self.cleaned_data
        return services.DocumentData(
            direction=data["direction"], title=data["title"],
            public_title=data["public_title"], sender_recipient=data["sender_recipient"],
            document_date=data["document_date"], record_type=data["record_type"] or None)

    def upload(self) -> services.Upload | None:
        file = self.cleaned_data.get("file")
        return services.Upload(file, file.name, file.content_type) if file else None


class VersionForm(forms.Form):
    file = forms.FileField(label=_("File"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs=NOTE))
    reason = forms.CharField(
        label=_("Reason for a new version of the final document"), required=False,
        max_length=2000, widget=forms.Textarea(attrs=NOTE),
        help_text=_("Required when the document is final; it is recorded in the history."))
    check_in = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def version_input(self) -> services.VersionInput:
        file = self.cleaned_data["file"]
        return services.VersionInput(services.Upload(file, file.name, file.content_type),
                                     note=self.cleaned_data["note"],
                                     reason=self.cleaned_data["reason"])


class BreakLockForm(forms.Form):
    reason = forms.CharField(label=_("Reason for breaking the lock"), max_length=2000,
                             widget=forms.Textarea(attrs=NOTE))


class CompareForm(forms.Form):
    old = forms.UUIDField(label=_("Compare version"))
    new = forms.UUIDField(label=_("with version"))
