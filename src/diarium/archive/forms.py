"""The e-archive's forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from diarium.archive import selectors
from diarium.archive.finding import ArchiveQuery
from diarium.archive.models import PROFILE_CHOICES, ArchiveSeries, Decision
from diarium.organisation.models import Authority


class UploadForm(forms.Form):
    package = forms.FileField(label=_("Package"),
                              help_text=_("An E-ARK SIP as .zip, .tar or .tar.gz."))
    agreement = forms.ModelChoiceField(
        label=_("Submission agreement"), queryset=None, required=False,
        empty_label=_("The one the package names"))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = selectors.agreements(user)


class AgreementForm(forms.Form):
    authority = forms.ModelChoiceField(label=_("Authority (archive creator)"), queryset=None)
    reference = forms.CharField(label=_("Reference"), max_length=100, help_text=_(
        "The identifier SIPs name in altRecordID SUBMISSIONAGREEMENT."))
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    producer = forms.CharField(label=_("Producing system"), max_length=200)
    profile = forms.ChoiceField(label=_("Profile"), choices=PROFILE_CHOICES, initial="auto")
    allowed_formats = forms.CharField(
        label=_("Allowed formats"), required=False, help_text=_(
            "PRONOM ids or MIME types, separated by commas; empty allows all."))
    valid_from = forms.DateField(label=_("Valid from"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("Valid to"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(
        attrs={"rows": 3}))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = Authority.objects.filter(
            id__in=selectors.archivist_authorities(user))

    def formats(self) -> list[str]:
        return [f.strip() for f in self.cleaned_data["allowed_formats"].split(",") if f.strip()]


def series_label(series: ArchiveSeries) -> str:
    """"3.1 Bygglov (KS)": the board's code tells apart the series of several boards that
    have the same name."""
    return f"{series} ({series.creator.authority.code})"


def series_groups(field: forms.ModelChoiceField) -> list:
    """The series grouped by archive creator (one optgroup per board, "Kommunstyrelsen
    (KS)"), after the empty choice; the field's queryset still decides what is valid."""
    groups: dict[str, list] = {}
    for series in field.queryset:
        authority = series.creator.authority
        groups.setdefault(f"{series.creator.name} ({authority.code})", []).append(
            (str(series.pk), series_label(series)))
    return [("", field.empty_label), *groups.items()]


class ArchiveSearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, help_text=_(
        "In the package's metadata, its records or the text of its files."))
    reference = forms.CharField(label=_("Diary number or package id"), required=False)
    series = forms.ModelChoiceField(label=_("Series"), queryset=None, required=False,
                                    empty_label=_("All series"))
    date_from = forms.DateField(label=_("From"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if selectors.is_archivist(user):  # series are the archivists' structure
            field = self.fields["series"]
            field.queryset = selectors.series_choices(user)
            field.widget.choices = series_groups(field)
        else:
            del self.fields["series"]

    def query(self) -> ArchiveQuery:
        data = self.cleaned_data
        series = data.get("series")
        return ArchiveQuery(text=data["q"].strip(), reference=data["reference"].strip(),
                            series=series.pk if series else None,
                            date_from=data["date_from"], date_to=data["date_to"])


class OrderForm(forms.Form):
    recipient = forms.CharField(label=_("Recipient"), max_length=300)
    purpose = forms.CharField(label=_("Purpose"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    records = forms.ModelMultipleChoiceField(
        label=_("Records"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: the whole package."))

    def __init__(self, package, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["records"].queryset = package.records.all()
        self.fields["records"].label_from_instance = lambda r: (
            f"{r.identifier} {r.title}" + (f" [{r.restriction}]" if r.restricted else ""))


class ReviewForm(forms.Form):
    """One decision (and note) per restricted record of the order."""

    def __init__(self, records, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.records = list(records)
        choices = [("", "–"), *Decision.choices]
        for record in self.records:
            self.fields[f"decision_{record.pk}"] = forms.ChoiceField(
                label=_("Decision"), choices=choices, required=False)
            self.fields[f"note_{record.pk}"] = forms.CharField(
                label=_("Note"), required=False)

    def rows(self):
        for record in self.records:
            yield record, self[f"decision_{record.pk}"], self[f"note_{record.pk}"]

    def decisions(self) -> list[tuple]:
        return [(r, self.cleaned_data[f"decision_{r.pk}"], self.cleaned_data[f"note_{r.pk}"])
                for r in self.records if self.cleaned_data.get(f"decision_{r.pk}")]


class MaskedFileForm(forms.Form):
    record = forms.ModelChoiceField(label=_("Record"), queryset=None)
    file = forms.FileField(label=_("Masked copy"))

    def __init__(self, records, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"].queryset = records
