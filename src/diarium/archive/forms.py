"""The e-archive's forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from diarium.archive import selectors


class UploadForm(forms.Form):
    package = forms.FileField(label=_("Package"),
                              help_text=_("An E-ARK SIP as .zip, .tar or .tar.gz."))
    agreement = forms.ModelChoiceField(
        label=_("Submission agreement"), queryset=None, required=False,
        empty_label=_("The one the package names"))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = selectors.agreements(user)
