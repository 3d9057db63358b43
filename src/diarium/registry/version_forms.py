"""Forms for documents written in the case: a new draft, a new version, breaking a lock,
and choosing two versions to compare."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diarium.registry import enforcement, selectors, services
from diarium.registry.forms import DateInput
from diarium.registry.models import Direction, DocumentTemplate

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
    template = forms.ModelChoiceField(
        label=_("Template"), required=False, queryset=DocumentTemplate.objects.none(),
        empty_label=_("– No template: upload a file –"),
        help_text=_("The template is filled with the case's details."))
    file = forms.FileField(label=_("File"), required=False,
                           help_text=_("The first version, e.g. a Word or LibreOffice file."))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs=NOTE))
    field_order = ["template", "direction", "record_type", "title"]

    def __init__(self, *args, case=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = enforcement.rule_choices([case.authority_id], timezone.localdate())
        self.fields["record_type"].choices = [("", _("– No record type –")), *choices]
        self.fields["template"].queryset = selectors.templates_for(case)

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("template") and not data.get("file"):
            raise forms.ValidationError(_("Choose a template or a file."))
        return data

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


class TemplateForm(forms.Form):
    """A new template: for one authority or the whole municipality."""

    name = forms.CharField(label=_("Name"), max_length=200)
    scope = forms.ChoiceField(label=_("For"))
    record_types = forms.MultipleChoiceField(label=_("Record types"), required=False)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs=NOTE))
    file = forms.FileField(
        label=_("Template file (DOCX or ODT)"),
        help_text=_("Fields are written {{ diarienummer }}; a field that does not exist is "
                    "refused with its name."))

    def __init__(self, *args, authorities=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.authorities = {str(a.pk): a for a in authorities}
        municipalities = {a.municipality_id: a.municipality for a in authorities}
        self.municipalities = {f"m:{m.pk}": m for m in municipalities.values()}
        self.fields["scope"].choices = [
            *[(key, _("All of %(name)s") % {"name": m.name})
              for key, m in self.municipalities.items()],
            *[(key, a.name) for key, a in self.authorities.items()]]
        self.fields["record_types"].choices = [
            (group, items) for group, items in enforcement.rule_choices(
                [a.pk for a in authorities], timezone.localdate())]

    def template_data(self) -> services.TemplateData:
        data = self.cleaned_data
        authority = self.authorities.get(data["scope"])
        municipality = (authority.municipality if authority
                        else self.municipalities[data["scope"]])
        return services.TemplateData(name=data["name"], municipality=municipality,
                                     authority=authority, record_types=data["record_types"],
                                     description=data["description"])

    def upload(self) -> services.Upload:
        file = self.cleaned_data["file"]
        return services.Upload(file, file.name, file.content_type)
