"""Forms of the staff UI. They parse and check input; the services do the writing."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from diarium.core.pages import filterable
from diarium.core.shortcuts import shortcut_attrs
from diarium.organisation.models import Authority, Municipality, Unit, User
from diarium.organisation.selectors import staff_of
from diarium.registry import selectors, services
from diarium.registry.identity import find_identity_numbers, mask
from diarium.registry.models import Case, CaseStatus, DiarySeries, Direction, Party, PartyKind
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
        widget=forms.TextInput(attrs={"list": "osl-provisions", "autocomplete": "off"}),
        help_text=_("Type a chapter, a section or words of the description and choose from "
                    "the list, e.g. OSL 26 kap. 1 §. Leave empty if nothing is secret."),
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


class PartyFields(forms.Form):
    """A party picked from the contact register (searched as you type, through the
    visibility rules for parties) or created here. Give user= (the searcher)."""

    party_query = forms.CharField(
        label=_("Find a party"), max_length=200, required=False,
        help_text=_("Name, personnummer, organisationsnummer or e-mail."),
    )
    # Rendered as radio buttons by registry/_party_results.html: the matches of the query.
    party = forms.UUIDField(required=False, widget=forms.HiddenInput)
    new_party_kind = forms.ChoiceField(label=_("Kind"), choices=PartyKind.choices,
                                       initial=PartyKind.PERSON, required=False)
    new_party_name = forms.CharField(label=_("Name"), max_length=300, required=False)
    new_party_identity_number = forms.CharField(
        label=_("Personnummer or organisationsnummer"), max_length=20, required=False,
        help_text=_("Checked by its check digit."),
    )
    new_party_email = forms.EmailField(label=_("E-mail"), required=False)
    party_role = forms.CharField(
        label=_("Role in the case"), max_length=64, required=False,
        help_text=_("For example sökande (applicant) or avsändare (sender)."))

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.picked: Party | None = None
        self.new_party: services.PartyData | None = None

    def party_matches(self) -> list[Party]:
        """The parties the query finds (and the one picked), for the radio buttons."""
        query = (self.data.get("party_query") or "").strip() if self.is_bound else ""
        found = list(selectors.search_parties(self.user, query)) if query else []
        picked = self.picked or self._picked_from_data()
        if picked is not None and picked not in found:
            found.insert(0, picked)
        return found

    def picked_id(self) -> str:
        return str(self.data.get("party", "")) if self.is_bound else ""

    def _picked_from_data(self) -> Party | None:
        value = self.picked_id()
        if not value or self.user is None:
            return None
        try:
            return selectors.parties(self.user).get(pk=value)
        except (Party.DoesNotExist, ValidationError, ValueError):
            return None

    def clean_party(self):
        value = self.cleaned_data.get("party")
        if value is None:
            return None
        try:
            self.picked = selectors.parties(self.user).get(pk=value)
        except Party.DoesNotExist:
            raise ValidationError(_("There is no such party.")) from None
        return self.picked

    def clean(self) -> dict:
        data = super().clean()
        name = (data.get("new_party_name") or "").strip()
        if name and data.get("party"):
            self.add_error("new_party_name",
                           _("Pick a party from the register or create a new one, not both."))
        elif name:
            party = services.PartyData(
                kind=data.get("new_party_kind") or PartyKind.PERSON, name=name,
                identity_number=data.get("new_party_identity_number", ""),
                contact={"email": data.get("new_party_email", "")},
            )
            try:
                services.validate_party(party)
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    field = f"new_party_{key}"
                    self.add_error(field if field in self.fields else None, messages)
            else:
                self.new_party = party
        return data

    def has_party(self) -> bool:
        return self.picked is not None or self.new_party is not None


class DocumentForm(PlanFields, SecrecyForm, PartyFields):
    """A document's registration fields; the direction comes from the view or a subclass.
    Give user= and authority_ids= (whose plans offer the record types)."""

    title = forms.CharField(
        label=_("Description"), max_length=500, required=False,
        help_text=_("Leave it empty when the record type has a naming rule: the rule gives "
                    "the description."))
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
    identity_confirmed = forms.BooleanField(
        label=_("The number is meant to stay in the text"), required=False,
        help_text=_("Shown masked to those who may not read identity numbers."),
    )
    # The free-text fields checked for personnummer and samordningsnummer.
    FREE_TEXT = ("title", "public_title", "sender_recipient")
    identity_in_text = False

    def clean(self) -> dict:
        data = super().clean()
        self.identity_in_text = False
        if not (data.get("title") or "").strip() and not data.get("record_type"):
            # Without a record type no naming rule can give the description (with one,
            # the service decides: its rule may).
            self.add_error("title", _("A document needs a description."))
        if data.get("identity_confirmed"):
            return data
        for name in self.FREE_TEXT:
            numbers = find_identity_numbers(data.get(name) or "")
            if numbers:
                self.identity_in_text = True
                self.add_error(name, _(
                    "The text holds what looks like a personnummer (%(number)s). Make the "
                    "person a party instead, or confirm that the number is meant to stay "
                    "in the text.") % {"number": ", ".join(mask(n) for n in numbers)})
        return data

    def document_direction(self) -> str:
        return self.cleaned_data.get("direction") or Direction.INCOMING

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
            party=self.picked,
            new_party=self.new_party,
            party_role=data.get("party_role", "") if self.has_party() else None,
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
        label=_("Responsible officer"), queryset=User.objects.none(), required=False,
        widget=forms.Select(attrs=filterable(_("Find an officer"))),
    )
    follow_up_date = forms.DateField(label=_("Follow-up date"), widget=DateInput,
                                     required=False)
    case_secret = forms.BooleanField(
        label=_("Mark the new case secret with the same provision"), required=False
    )
    sender_recipient = forms.CharField(label=_("Sender"), max_length=300, required=False)
    FREE_TEXT = (*DocumentForm.FREE_TEXT, "case_title", "case_public_title")
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
        self.fields["responsible_officer"].queryset = selectors.eligible_officers(
            {s.authority_id for s in qs})
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
        # A field that failed its own checks (a title too long) has an error already.
        if not series and not self.has_error("series"):
            self.add_error("series", _("Choose a diary series for the new case."))
        if not data.get("case_title", "").strip() and not self.has_error("case_title"):
            self.add_error("case_title", _("A case needs a title."))
        officer = data.get("responsible_officer")
        eligible = selectors.eligible_officers([series.authority_id]) if series else None
        if officer and eligible is not None and not eligible.filter(pk=officer.pk).exists():
            self.add_error("responsible_officer", _(
                "The responsible officer must be a case officer, board secretary or "
                "registrar of this authority."))
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


class AddPartyForm(PartyFields):
    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not self.has_party():
            raise ValidationError(_("Pick a party or create a new one."))
        return data


class CaseEditForm(SecrecyForm):
    """Every field of a case that may change after it is opened."""

    title = forms.CharField(label=_("Case title"), max_length=500)
    public_title = forms.CharField(
        label=_("Public case title"), max_length=500, required=False,
        help_text=_("The title without personal names, shown to the public."),
    )
    classification_code = forms.CharField(
        label=_("Classification"), max_length=32, required=False,
        help_text=_("The process code from the document management plan."),
    )
    responsible_officer = OfficerChoiceField(
        label=_("Responsible officer"), queryset=User.objects.none(), required=False
    )
    responsible_unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False
    )
    municipality = forms.ModelChoiceField(
        label=_("Member municipality"), queryset=Municipality.objects.none(), required=False
    )
    follow_up_date = forms.DateField(label=_("Follow-up date"), widget=DateInput,
                                     required=False)
    field_order = ["title", "public_title", "classification_code", "responsible_officer",
                   "responsible_unit", "municipality", "follow_up_date"]

    def __init__(self, case: Case, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {
            "title": case.title, "public_title": case.public_title,
            "classification_code": case.classification_code,
            "responsible_officer": case.responsible_officer_id,
            "responsible_unit": case.responsible_unit_id,
            "municipality": case.municipality_id,
            "follow_up_date": case.follow_up_date,
            "secrecy_provision": case.secrecy_provision,
            "withhold_title": case.withhold_title,
            "withhold_parties": case.withhold_parties,
            "withhold_files": case.withhold_files,
        })
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["responsible_officer"].queryset = selectors.officer_choices(case)
        self.fields["responsible_unit"].queryset = selectors.unit_choices(case.authority)
        members = case.authority.member_municipalities.all()
        if members.exists():
            self.fields["municipality"].queryset = members
        else:
            del self.fields["municipality"]

    def case_data(self) -> services.CaseData:
        data = self.cleaned_data
        secrecy = self.secrecy()
        if secrecy.provision.strip() == self.case.secrecy_provision:
            secrecy.marked_on = self.case.secrecy_marked_on  # the marking's date stays
        return services.CaseData(
            title=data["title"],
            public_title=data["public_title"],
            classification_code=data["classification_code"],
            responsible_officer=data["responsible_officer"],
            responsible_unit=data["responsible_unit"],
            municipality=data.get("municipality", self.case.municipality),
            follow_up_date=data["follow_up_date"],
            secrecy=secrecy,
        )


class ReassignForm(forms.Form):
    responsible_officer = OfficerChoiceField(
        label=_("New responsible officer"), queryset=User.objects.none(), required=False,
        empty_label=_("– No one –"),
    )

    def __init__(self, case: Case, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"responsible_officer": case.responsible_officer_id})
        super().__init__(*args, **kwargs)
        self.fields["responsible_officer"].queryset = selectors.officer_choices(case)


class FollowUpForm(forms.Form):
    follow_up_date = forms.DateField(
        label=_("Follow-up date"), widget=DateInput, required=False,
        help_text=_("Leave empty to remove the follow-up date."),
    )


class RelateForm(forms.Form):
    diary_number = forms.CharField(label=_("Diary number of the related case"), max_length=64)


class GrantAccessForm(forms.Form):
    user = OfficerChoiceField(label=_("Staff member"), queryset=User.objects.none())

    def __init__(self, case: Case, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_of([case.authority_id])


class CloseCaseForm(forms.Form):
    note = forms.CharField(label=_("Closing note"), widget=forms.Textarea(attrs={"rows": 2}),
                           required=False, max_length=2000)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason for voiding"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    # Voiding cannot be undone: the user confirms it in the same form (issue 9, finding 8).
    confirm = forms.BooleanField(
        label=_("Yes, void it: this cannot be undone (the entry stays, marked voided)"),
        error_messages={"required": _("Confirm that it is to be voided.")})


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
    q = forms.CharField(label=_("Free text"), max_length=200, required=False,
                        widget=forms.TextInput(attrs=shortcut_attrs("search-field")))
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
