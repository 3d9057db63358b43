"""Forms of the public request and of staff's review, masking and delivery."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diarium.disclosure import redaction
from diarium.disclosure.models import DeliveryMethod, ReplyMethod
from diarium.disclosure.selectors import documents_by_number
from diarium.disclosure.services import MAX_NAME, MAX_TEXT, MaskInput
from diarium.organisation.models import Authority

_SALT = "diarium.disclosure.form-started"


def started_token() -> str:
    return signing.TimestampSigner(salt=_SALT).sign(str(int(timezone.now().timestamp())))


class RequestForm(forms.Form):
    message = forms.CharField(label=_("What do you ask for?"), required=False,
                              max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Describe documents that are not listed above, "
                                          "or anything to add."))
    authority = forms.ModelChoiceField(label=_("Authority"), required=False,
                                       queryset=Authority.objects.order_by("name"),
                                       empty_label=_("Choose an authority"),
                                       help_text=_("Only needed when you describe the "
                                                   "documents yourself."))
    requester_name = forms.CharField(label=_("Name (optional)"), required=False,
                                     max_length=MAX_NAME,
                                     help_text=_("You may stay anonymous."))
    reply_method = forms.ChoiceField(label=_("How do you want the answer?"),
                                     choices=ReplyMethod.choices, widget=forms.RadioSelect,
                                     initial=ReplyMethod.EMAIL)
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    postal_address = forms.CharField(label=_("Postal address"), required=False,
                                     max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    wants_decision = forms.BooleanField(
        label=_("If anything is refused, I want a written decision that I can appeal"),
        required=False)
    # Spam protection without a third party: a field people do not see (bots fill it),
    # and the time the form was shown, signed (a bot posts at once or replays old forms).
    website = forms.CharField(label=_("Leave this field empty"), required=False,
                              max_length=200, widget=forms.TextInput(attrs={
                                  "tabindex": "-1", "autocomplete": "off"}))
    started = forms.CharField(widget=forms.HiddenInput)

    def describe(self) -> None:
        """Tie each field to its help text and errors for screen readers
        (aria-describedby, aria-invalid), as the template shows them."""
        for name, field in self.fields.items():
            if name in ("website", "started"):
                continue
            bound = self[name]
            ids = [f"{bound.auto_id}-help"] if field.help_text else []
            if bound.errors:
                ids.append(f"{bound.auto_id}-error")
                if name != "reply_method":
                    field.widget.attrs["aria-invalid"] = "true"
            if ids and name != "reply_method":
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def spam(self) -> bool:
        """A filled honeypot, a form sent too fast, a forged or stale start time."""
        if self.cleaned_data.get("website"):
            return True
        try:
            value = signing.TimestampSigner(salt=_SALT).unsign(
                self.cleaned_data.get("started", ""), max_age=86400)
        except signing.BadSignature:
            return True
        minimum = float(getattr(settings, "DISCLOSURE_MIN_SECONDS", 3))
        return timezone.now().timestamp() - int(value) < minimum


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[
        ("release", _("Release")), ("refused", _("Refuse"))])
    provision = forms.CharField(label=_("OSL provision (when refused)"), required=False,
                                max_length=64)
    note = forms.CharField(label=_("Note"), required=False, max_length=MAX_TEXT)


class MaskForm(forms.Form):
    """The masks of a document, one field per file (`masks_<position>`), each a line per
    mask; drawing a rectangle on a page image adds a line to its file's field."""

    provision = forms.CharField(label=_("Legal ground for new masks"), required=False,
                                max_length=64, initial="OSL 26 kap. 1 §")

    def __init__(self, *args, files: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.files = files
        for position, _file in enumerate(files, start=1):
            self.fields[f"masks_{position}"] = forms.CharField(
                label=_("Masks in file %(n)s") % {"n": position}, required=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 3, "data-file": position}),
                help_text=_("One mask a line: page, left, top, right, bottom (in per cent "
                            "of the page, from the top-left corner), OSL provision. "
                            "Drawing a rectangle on a page adds a line."))

    def _lines(self, name: str, file) -> list[MaskInput]:
        result = []
        for number, line in enumerate(self.cleaned_data.get(name, "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(",", 5)]
            try:
                page, left, top, right, bottom = int(parts[0]), *map(float, parts[1:5])
                box = redaction.Box(page, left / 100, top / 100, right / 100, bottom / 100)
                provision = parts[5]
            except (ValueError, IndexError):
                raise forms.ValidationError(_("Line %(n)s is not page, left, top, right, "
                                              "bottom, provision.") % {"n": number}) from None
            if not box.valid():
                raise forms.ValidationError(_("Line %(n)s lies outside the page.") % {
                    "n": number})
            result.append(MaskInput(box, provision, file.pk))
        return result

    def clean(self) -> dict:
        cleaned = super().clean()
        masks: list[MaskInput] = []
        for position, file in enumerate(self.files, start=1):
            name = f"masks_{position}"
            try:
                masks += self._lines(name, file)
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        if len(masks) > 500:
            raise forms.ValidationError(_("Too many masks."))
        cleaned["masks"] = masks
        return cleaned


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(label=_("Deliver"), choices=DeliveryMethod.choices)


class SettingsForm(forms.Form):
    """An authority's way of taking requests (its registrators and administrators)."""

    register_as_case = forms.BooleanField(label=_("Register each request as a case"),
                                          required=False)
    series = forms.ModelChoiceField(label=_("Diary series for requests"), required=False,
                                    queryset=None)
    target_working_days = forms.IntegerField(
        label=_("Target for answering (working days; 0 = the same day)"), min_value=0,
        max_value=30)

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        from diarium.registry.models import DiarySeries

        self.fields["series"].queryset = DiarySeries.objects.filter(authority=authority,
                                                                    active=True)


class StaffRequestForm(forms.Form):
    """A request that came by phone, letter or at the counter, keyed in by staff."""

    received_at = forms.DateTimeField(label=_("Received"), required=False,
                                      help_text=_("Empty: now."))
    documents = forms.CharField(label=_("Document numbers"), required=False, max_length=4000,
                                widget=forms.Textarea(attrs={"rows": 2}),
                                help_text=_("E.g. KS 2026/42:3, one a line."))
    message = forms.CharField(label=_("What is asked for"), required=False,
                              max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}))
    authority = forms.ModelChoiceField(label=_("Authority"), required=False,
                                       queryset=Authority.objects.none())
    requester_name = forms.CharField(label=_("Name (optional)"), required=False,
                                     max_length=MAX_NAME)
    reply_method = forms.ChoiceField(label=_("Reply by"), choices=ReplyMethod.choices)
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    postal_address = forms.CharField(label=_("Postal address"), required=False,
                                     max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    wants_decision = forms.BooleanField(label=_("Wants a written decision if refused"),
                                        required=False)

    def __init__(self, *args, authority_ids, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["authority"].queryset = Authority.objects.filter(
            pk__in=authority_ids).order_by("name")

    def clean_documents(self) -> list:
        """The documents asked for, as the public projection's entries; a number not
        found is an error beside the other fields' (not only once they are right)."""
        entries, missing = documents_by_number(self.user, self.cleaned_data["documents"])
        if missing:
            raise forms.ValidationError(_("Not found or not requestable: %(numbers)s") % {
                "numbers": ", ".join(missing)})
        return entries
