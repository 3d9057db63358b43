"""Forms of the staff UI. They parse and check input; the services do the writing."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from diarium.organisation.models import Authority, User
from diarium.organisation.selectors import staff_of
from diarium.registry import selectors, services
from diarium.registry.models import Case, CaseStatus, DiarySeries, Direction
from diarium.registry.plan_forms import PlanFields

NEW, EXISTING = "new", "existing"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or more files from a single <input type=file multiple>."""

    widget = MultipleFileInput

    def clean(self, data, initial=None) -> list:
        items = data if isinstance(data, list | tuple) else [data]
        files = [super(MultipleFileField, self).clean(item, initial) for item in items if item]
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        return files


class SeriesChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: DiarySeries) -> str:
        return f"{obj.code} – {obj.name}"


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class SecrecyForm(forms.Form):
    secrecy_provision = forms.CharField(
        label=_("Secrecy provision"), max_length=64, required=False,
        help_text=_("Leave empty if the document holds no secret information, e.g. OSL 26:1."),
    )
    withhold_title = forms.BooleanField(label=_("Withhold the description from the public"),
                                        required=False)
    withhold_parties = forms.BooleanField(label=_("Withhold the parties from the public"),
                                          required=False)
    withhold_files = forms.BooleanField(label=_("Withhold the files from the public"),
                                        required=False)

    def secrecy(self) -> services.Secrecy:
        data = self.cleaned_data
        return services.Secrecy(
            provision=data["secrecy_provision"],
            withhold_title=data["withhold_title"],
            withhold_parties=data["withhold_parties"],
            withhold_files=data["withhold_files"],
        )


class DocumentForm(PlanFields, SecrecyForm):
    """A document's registration fields; the direction comes from the view or a subclass.
    Give user= and authority_ids= (whose plans offer the record types)."""

    title = forms.CharField(label=_("Description"), max_length=500)
    public_title = forms.CharField(
        label=_("Public description"), max_length=500, required=False,
        help_text=_("The description without personal names, shown to the public."),
    )
    sender_recipient = forms.CharField(label=_("Sender or recipient"), max_length=300,
                                       required=False)
    document_date = forms.DateField(label=_("Document date"), widget=DateInput,
                                    initial=timezone.localdate)
    files = MultipleFileField(label=_("Files"), required=False,
                              help_text=_("You may choose several files."))

    def document_data(self, direction: str) -> services.DocumentData:
        data = self.cleaned_data
        return services.DocumentData(
            direction=direction,
            title=data["title"],
            public_title=data["public_title"],
            sender_recipient=data["sender_recipient"],
            document_date=data["document_date"],
            record_type=data["record_type"] or None,
            secrecy=self.secrecy(),
        )

    def uploads(self) -> list[services.Upload]:
        return [
            services.Upload(f, f.name, f.content_type) for f in self.cleaned_data.get("files", [])
        ]


class CaseDocumentForm(DocumentForm):
    """An outgoing or drawn-up document in a given case."""

    direction = forms.ChoiceField(
        label=_("Direction"), widget=forms.RadioSelect,
        choices=[(Direction.OUTGOING, Direction.OUTGOING.label),
                 (Direction.INTERNAL, Direction.INTERNAL.label)],
        initial=Direction.OUTGOING,
    )
    field_order = ["direction"]


class NewOrExistingCaseForm(DocumentForm):
    """Register a document either in an existing case or in a new one."""

    target = forms.ChoiceField(
        label=_("Register in"), widget=forms.RadioSelect, initial=NEW,
        choices=[(NEW, _("Open a new case")), (EXISTING, _("Add to an existing case"))],
    )
    diary_number = forms.CharField(
        label=_("Diary number of the existing case"), max_length=64, required=False,
        help_text=_("For example KS 2026/42."),
    )
    series = SeriesChoiceField(label=_("Diary series"), queryset=DiarySeries.objects.none(),
                               required=False, help_text=_("For a new case."))
    case_title = forms.CharField(label=_("Case title"), max_length=500, required=False)
    case_public_title = forms.CharField(
        label=_("Public case title"), max_length=500, required=False,
        help_text=_("The title without personal names, shown to the public."),
    )
    responsible_officer = OfficerChoiceField(
        label=_("Responsible officer"), queryset=User.objects.none(), required=False
    )
    follow_up_date = forms.DateField(label=_("Follow-up date"), widget=DateInput,
                                     required=False)
    case_secret = forms.BooleanField(
        label=_("Mark the new case secret with the same provision"), required=False
    )
    sender_recipient = forms.CharField(label=_("Sender"), max_length=300, required=False)
    field_order = [
        "target", "diary_number", "series", "case_title", "case_public_title",
        "responsible_officer", "follow_up_date",
    ]

    def __init__(self, user: User, *args, series=None, **kwargs) -> None:
        qs = series if series is not None else selectors.registration_series(user)
        kwargs.setdefault("authority_ids", {s.authority_id for s in qs})
        super().__init__(*args, user=user, **kwargs)
        self.case: Case | None = None
        self.fields["series"].queryset = qs
        self.fields["responsible_officer"].queryset = staff_of({s.authority_id for s in qs})
        if len(qs) == 1:
            self.fields["series"].initial = qs[0].pk

    def clean(self) -> dict:
        data = super().clean()
        if data.get("target") == EXISTING:
            self._clean_existing(data.get("diary_number", "").strip())
        elif data.get("target") == NEW:
            self._clean_new(data)
        return data

    def _clean_existing(self, number: str) -> None:
        if not number:
            self.add_error("diary_number", _("Give the diary number of the case."))
            return
        try:
            case = selectors.get_case_by_number(self.user, number)
        except Case.DoesNotExist:
            self.add_error("diary_number", _("There is no case with this diary number."))
            return
        if not selectors.can_add_to(self.user, case):
            self.add_error("diary_number", _("You may not register documents in this case."))
        elif case.status == CaseStatus.VOID:
            self.add_error("diary_number", _("The case is voided."))
        elif case.status == CaseStatus.DISPOSED:
            self.add_error("diary_number", _("The case is disposed of."))
        else:
            self.case = case

    def _clean_new(self, data: dict) -> None:
        series = data.get("series")
        if not series:
            self.add_error("series", _("Choose a diary series for the new case."))
        if not data.get("case_title", "").strip():
            self.add_error("case_title", _("A case needs a title."))
        officer = data.get("responsible_officer")
        if series and officer and not staff_of([series.authority_id]).filter(pk=officer.pk):
            self.add_error("responsible_officer",
                           _("The officer holds no role in the series' authority."))
        if data.get("case_secret") and not data.get("secrecy_provision", "").strip():
            self.add_error("secrecy_provision", _("Give the provision to mark the case secret."))

    def target_series(self) -> DiarySeries:
        """The series the document lands in: the existing case's or the new case's."""
        return self.case.series if self.case is not None else self.cleaned_data["series"]

    def case_data(self) -> services.CaseData:
        data = self.cleaned_data
        return services.CaseData(
            title=data["case_title"],
            public_title=data["case_public_title"],
            responsible_officer=data["responsible_officer"],
            follow_up_date=data["follow_up_date"],
            secrecy=self.secrecy() if data["case_secret"] else services.Secrecy(),
        )


class PlaceInboxItemForm(NewOrExistingCaseForm):
    """Place inbox mail: the same choices, the files come with the mail."""

    files = None


class CloseCaseForm(forms.Form):
    note = forms.CharField(label=_("Closing note"), widget=forms.Textarea(attrs={"rows": 2}),
                           required=False, max_length=2000)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason for voiding"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


STATUS_LABELS = {
    CaseStatus.OPEN: pgettext_lazy("case status", "Open"),
    CaseStatus.DORMANT: pgettext_lazy("case status", "Dormant"),
    CaseStatus.CLOSED: pgettext_lazy("case status", "Closed"),
    CaseStatus.VOID: pgettext_lazy("case status", "Voided"),
    CaseStatus.DISPOSED: pgettext_lazy("case status", "Disposed of"),
}


class SearchForm(forms.Form):
    """The case search. Its field names are the API's parameters (/api/v1/cases/)."""

    # Old name -> name, accepted until the next release (docs/registry.md "Changes").
    DEPRECATED = {"text": "q", "date_from": "opened_from", "date_to": "opened_to"}

    diary_number = forms.CharField(label=_("Diary number"), max_length=64, required=False)
    q = forms.CharField(label=_("Free text"), max_length=200, required=False)
    party = forms.CharField(label=_("Party"), max_length=200, required=False,
                            help_text=_("Name or identity number."))
    opened_from = forms.DateField(label=_("Opened from"), widget=DateInput, required=False)
    opened_to = forms.DateField(label=_("Opened until"), widget=DateInput, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *STATUS_LABELS.items()])
    authority = forms.ModelChoiceField(
        label=_("Authority"), queryset=Authority.objects.all(), to_field_name="code",
        required=False, empty_label=_("Any authority"),
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and any(old in data for old in self.DEPRECATED):
            data = data.copy()
            for old, new in self.DEPRECATED.items():
                if old in data and new not in data:
                    data[new] = data[old]
        super().__init__(data, *args, **kwargs)

    def criteria(self) -> selectors.CaseSearch:
        data = self.cleaned_data
        authority = data.get("authority")
        return selectors.CaseSearch(
            text=data.get("q", ""),
            diary_number=data.get("diary_number", ""),
            party=data.get("party", ""),
            date_from=data.get("opened_from"),
            date_to=data.get("opened_to"),
            status=data.get("status", ""),
            authority=authority.code if authority else "",
        )

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("opened_from"), data.get("opened_to")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and start > end:
            self.add_error("opened_to", _("The end date lies before the start date."))
        return data
