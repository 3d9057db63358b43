"""Forms of the inbox beside the registration form: keep mail in order, dismiss it, drop
an .eml or .msg in, and an administrator's functional mailbox."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from diarium.registry.intake.models import MailSecurity
from diarium.registry.services.mailboxes import MailboxData


class KeepInOrderForm(forms.Form):
    kept_in = forms.CharField(
        label=_("Kept in order in"), max_length=200,
        help_text=_("The register or IT system where the mail is kept, e.g. the one the "
                    "document management plan names for this kind of document."))
    record_type = forms.CharField(label=_("Record type"), max_length=200, required=False)


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is not an official document"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. advertising, or a copy sent for information only."))


class UploadMessageForm(forms.Form):
    file = forms.FileField(label=_("E-mail message (.eml or .msg)"))
    authority = forms.ModelChoiceField(label=_("Authority"), queryset=None, empty_label=None)

    def __init__(self, *args, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".eml", ".msg")):
            raise forms.ValidationError(_("Choose an .eml or .msg file."))
        return upload


class MailboxForm(forms.Form):
    authority = forms.ModelChoiceField(label=_("Authority"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("Name"), max_length=200,
                           help_text=_("The address, e.g. kommunstyrelsen@example.se."))
    host = forms.CharField(label=_("IMAP server"), max_length=255)
    port = forms.IntegerField(label=_("Port"), min_value=1, max_value=65535, initial=993)
    security = forms.ChoiceField(label=_("Encryption"), choices=MailSecurity.choices)
    username = forms.CharField(label=_("Username"), max_length=255)
    password = forms.CharField(
        label=_("App password"), required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Stored encrypted and never shown again. Leave empty to keep the "
                    "stored one."))
    folder = forms.CharField(label=_("Folder to read"), max_length=255, initial="INBOX")
    done_folder = forms.CharField(
        label=_("Folder for handled mail"), max_length=255, required=False,
        help_text=_("Mail with an outcome is moved here; when empty it is flagged instead."))
    active = forms.BooleanField(label=_("Read on the schedule"), required=False, initial=True)

    def __init__(self, *args, authorities, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities
        if editing:
            self.fields["authority"].disabled = True

    def data_object(self) -> MailboxData:
        data = self.cleaned_data
        return MailboxData(name=data["name"], host=data["host"], port=data["port"],
                           security=data["security"], username=data["username"],
                           folder=data["folder"], done_folder=data["done_folder"],
                           active=data["active"])
