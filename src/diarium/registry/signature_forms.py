"""Forms of the signature pages: asking for signatures (signers in order, each with a
role), registering one's signing key, cancelling a request."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from diarium.documents.signing.pades import LEVELS
from diarium.organisation.models import User

SIGNER_ROWS = 4


class RequestForm(forms.Form):
    level = forms.ChoiceField(label=_("Signature level (PAdES)"),
                              choices=[(level, level) for level in LEVELS], initial="B-B")

    def __init__(self, *args, authority_id=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        users = User.objects.filter(is_active=True, roles__authority_id=authority_id
                                    ).distinct().order_by("username")
        for n in range(1, SIGNER_ROWS + 1):
            self.fields[f"signer_{n}"] = forms.ModelChoiceField(
                label=_("Signer %(n)d") % {"n": n}, queryset=users, required=n == 1)
            self.fields[f"role_{n}"] = forms.CharField(
                label=_("Role of signer %(n)d") % {"n": n}, max_length=100, required=n == 1)

    def signers(self) -> list[tuple[User, str]]:
        data = self.cleaned_data
        return [(data[f"signer_{n}"], data[f"role_{n}"]) for n in range(1, SIGNER_ROWS + 1)
                if data.get(f"signer_{n}")]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class Pkcs12Form(forms.Form):
    file = forms.FileField(label=_("PKCS#12 file (.p12, .pfx)"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput,
                               strip=False)
