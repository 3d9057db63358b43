"""Forms of the plan's pages. They parse and check input; the services do the writing."""

from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from diarium.organisation.models import Authority, User
from diarium.organisation.selectors import staff_of
from diarium.plan import choices
from diarium.plan.io.reading import MAX_FILE_BYTES, read_limited
from diarium.plan.models import ArchiveDelivery, ChecklistKind, ITSystem, SystemStatus
from diarium.plan.services import ItemData, SystemData

FORMATS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".json": "json"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class LookupForm(forms.Form):
    q = forms.CharField(label=_("Kind of document"), max_length=200,
                        help_text=_('For example "sick leave" or "protokoll".'))
    authority = forms.ModelChoiceField(queryset=Authority.objects.none(), label=_("Authority"),
                                       required=False, empty_label=None)

    def __init__(self, user: User, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["authority"]
        field.queryset = choices.authorities_with_plans(user)
        field.initial = choices.default_authority(user, field.queryset)
        if self.is_bound and not self.data.get("authority") and field.initial is not None:
            # The header's box sends only the words: the select must show the board the
            # answer comes from (the user's own), or a refinement would switch boards.
            self.data = self.data.copy()
            self.data["authority"] = str(field.initial.pk)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Plan file"),
                           help_text=_("CSV (UTF-8), XLSX or JSON in the plan's column set."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = PurePath(upload.name).suffix.lower()
        if suffix not in FORMATS:
            raise ValidationError(_("Upload a .csv, .xlsx or .json file."))
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(_("The file is larger than %(mb)s MB.")
                                  % {"mb": MAX_FILE_BYTES // (1024 * 1024)})
        return upload

    def data_and_format(self) -> tuple[bytes, str]:
        upload = self.cleaned_data["file"]
        return read_limited(upload), FORMATS[PurePath(upload.name).suffix.lower()]


class AdoptForm(forms.Form):
    decision_date = forms.DateField(label=_("Decision date"), widget=DateInput())
    decision_reference = forms.CharField(
        label=_("Decision reference"), max_length=200,
        help_text=_('The board, date and paragraph, e.g. "KS 2026-03-14 § 45".'))
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput(), required=False,
                                 help_text=_("Empty: from the decision date."))


class SystemForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}),
                                  required=False)
    owner = forms.ModelChoiceField(queryset=Authority.objects.none(), label=_("Owner authority"))
    administrator = forms.ModelChoiceField(queryset=User.objects.none(), required=False,
                                           label=_("System administrator"))
    administrator_name = forms.CharField(
        label=_("System administrator (name)"), max_length=200, required=False,
        help_text=_("When the system administrator is not a user of Diarium."))
    status = forms.ChoiceField(label=_("Status"), choices=SystemStatus.choices)
    archive_delivery = forms.ChoiceField(label=_("Delivery to the e-archive"),
                                         choices=ArchiveDelivery.choices)
    delivery_method = forms.CharField(label=_("How it delivers"), max_length=300, required=False)
    extraction_spec = forms.CharField(
        label=_("Extraction specification"), max_length=300, required=False,
        help_text=_("A reference to the specification of what is extracted and how."))
    record_types = forms.MultipleChoiceField(label=_("Record types held"), required=False,
                                             widget=forms.CheckboxSelectMultiple)
    remarks = forms.CharField(label=_("Remarks"), widget=forms.Textarea(attrs={"rows": 3}),
                              required=False)

    def __init__(self, owners, municipality_id, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["administrator"].queryset = staff_of(
            Authority.objects.filter(municipality_id=municipality_id).values_list("id", flat=True))
        self.fields["record_types"].choices = [
            (str(pk), label) for pk, label in choices.record_type_choices(municipality_id)]

    @staticmethod
    def initial_for(system: ITSystem) -> dict:
        return {
            "name": system.name, "description": system.description, "owner": system.owner,
            "administrator": system.administrator, "status": system.status,
            "administrator_name": system.administrator_name,
            "archive_delivery": system.archive_delivery, "remarks": system.remarks,
            "delivery_method": system.delivery_method, "extraction_spec": system.extraction_spec,
            "record_types": [str(pk) for pk in system.record_types.values_list("id", flat=True)],
        }

    def system_data(self) -> SystemData:
        data = self.cleaned_data
        return SystemData(
            name=data["name"], owner=data["owner"], description=data["description"],
            administrator=data["administrator"], administrator_name=data["administrator_name"],
            archive_delivery=data["archive_delivery"], delivery_method=data["delivery_method"],
            extraction_spec=data["extraction_spec"], status=data["status"],
            remarks=data["remarks"], record_type_ids=list(data["record_types"]),
        )


def parse_items(text: str) -> list[ItemData]:
    """One item a line; guidance after a " | " on the same line."""
    items = []
    for line in text.splitlines():
        if line.strip():
            item, _sep, guidance = line.partition("|")
            items.append(ItemData(item.strip(), guidance.strip()))
    return items


def format_items(items) -> str:
    return "\n".join(f"{i.text} | {i.guidance}" if i.guidance else i.text for i in items)


class TemplateItemsForm(forms.Form):
    items = forms.CharField(
        label=_("Items"), widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_('One item a line. Guidance may follow on the same line after "|".'))

    def item_data(self) -> list[ItemData]:
        return parse_items(self.cleaned_data["items"])


class TemplateForm(TemplateItemsForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ChecklistKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    field_order = ["kind", "name", "items"]


class StartChecklistForm(forms.Form):
    template = forms.ModelChoiceField(queryset=None, label=_("Checklist template"))

    def __init__(self, templates, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates


class TickForm(forms.Form):
    done = forms.BooleanField(required=False)
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)
