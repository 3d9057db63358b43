"""Searching documents (registry/document_search.py): the page, with why each hit
matched, and the hits as CSV or XLSX. Only documents whose content the viewer may read
are found; the secret ones shown or exported are audited by the policy's page."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diarium.core.pages import paginate
from diarium.core.shortcuts import shortcut_attrs
from diarium.organisation.selectors import authorities_for
from diarium.registry import document_search as ds
from diarium.registry import enforcement
from diarium.registry import worklist_export as export
from diarium.registry.forms import DateInput
from diarium.registry.identity import mask_identity_numbers
from diarium.registry.models import Direction, DocumentStatus
from diarium.registry.selectors import can_read_identity_numbers
from diarium.registry.views.common import page

EXPORT_LIMIT = 10_000


class DocumentSearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Words"), max_length=200, required=False,
                        widget=forms.TextInput(attrs=shortcut_attrs("search-field")),
                        help_text=gettext_lazy("In the description, sender, record type "
                                               "and the files' text."))
    registered_from = forms.DateField(label=gettext_lazy("Registered from"), widget=DateInput,
                                      required=False)
    registered_to = forms.DateField(label=gettext_lazy("Registered until"), widget=DateInput,
                                    required=False)
    direction = forms.ChoiceField(label=gettext_lazy("Direction"), required=False,
                                  choices=[("", gettext_lazy("Any direction")),
                                           *Direction.choices])
    record_type = forms.ChoiceField(label=gettext_lazy("Record type"), required=False)
    sender = forms.CharField(label=gettext_lazy("Sender or recipient"), max_length=200,
                             required=False)
    officer = forms.TypedChoiceField(label=gettext_lazy("Responsible officer"), required=False,
                                     coerce=int, empty_value=None)
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), required=False)
    authority = forms.ChoiceField(label=gettext_lazy("Authority"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False,
                               choices=[("", gettext_lazy("Any status")),
                                        *DocumentStatus.choices])
    sort = forms.ChoiceField(label=gettext_lazy("Sort by"), required=False, choices=[
        ("-registered", gettext_lazy("Registered, newest first")),
        ("registered", gettext_lazy("Registered, oldest first")),
        ("-date", gettext_lazy("Document date, newest first")),
        ("date", gettext_lazy("Document date, oldest first")),
        ("number", gettext_lazy("Diary number")),
        ("sender", gettext_lazy("Sender or recipient")),
    ])

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        authorities = list(authorities_for(user))
        ids = [a.pk for a in authorities]
        self.fields["record_type"].choices = [
            ("", _("Any")), *enforcement.rule_choices(ids, timezone.localdate())]
        self.fields["officer"].choices = [
            ("", _("Anyone")),
            *[(u.pk, u.get_full_name() or u.get_username()) for u in ds.officer_choices(user)]]
        self.fields["unit"].choices = [("", _("Any unit")),
                                       *[(str(u.pk), u.name) for u in ds.unit_choices(user)]]
        self.fields["authority"].choices = [("", _("Any authority")),
                                            *[(str(a.pk), str(a)) for a in authorities]]

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("registered_from"), data.get("registered_to")
        if start and end and start > end:
            self.add_error("registered_to", _("The end date is before the start date."))
        return data

    def criteria(self) -> ds.DocumentSearch:
        data = self.cleaned_data
        return ds.DocumentSearch(
            q=data.get("q", ""), registered_from=data.get("registered_from"),
            registered_to=data.get("registered_to"), direction=data.get("direction", ""),
            record_type=data.get("record_type") or None, officer=data.get("officer"),
            unit=data.get("unit") or None, sender=data.get("sender", ""),
            authority=data.get("authority") or None, status=data.get("status", ""),
            sort=data.get("sort") or "-registered")


def _found(form: DocumentSearchForm):
    """The matching documents, or None with the reason added to the form."""
    try:
        return ds.search_documents(form.user, form.criteria())
    except ds.IdentityRefused:
        form.add_error("sender", _("Your role may not search by identity number."))
    except ds.TooManyMatches:
        form.add_error("q", _("The words match too many documents: add a word or narrow "
                              "the search with the other fields."))
    return None


@login_required
def document_search(request: HttpRequest) -> HttpResponse:
    form = DocumentSearchForm(request.GET or None, user=request.user)
    found, hits = None, []
    full = can_read_identity_numbers(request.user)
    with page(request) as shown:
        if form.is_bound and form.is_valid() and not form.criteria().empty:
            matches = _found(form)
            if matches is not None:
                found = paginate(request, matches)
                docs = list(found.object_list)
                # Only readable ones are found; the page still decides, and audits.
                readable = shown.readable_documents(docs)
                hits = ds.explain([d for d in docs if d.pk in readable], form.criteria(),
                                  full_identity=full)
        return render(request, "registry/document_search.html", {
            "form": form, "page": found, "hits": hits, "full_identity": full,
            "query": request.GET.urlencode()})


@login_required
def document_search_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    form = DocumentSearchForm(request.GET or None, user=request.user)
    if not (form.is_bound and form.is_valid()) or form.criteria().empty:
        return HttpResponse(_("Give at least one criterion."), status=400,
                            content_type="text/plain; charset=utf-8")
    matches = _found(form)
    if matches is None:
        return HttpResponse("; ".join(e for errs in form.errors.values() for e in errs),
                            status=400, content_type="text/plain; charset=utf-8")
    docs = list(matches[:EXPORT_LIMIT])
    full = can_read_identity_numbers(request.user)

    def text(value: str) -> str:
        return value if full else mask_identity_numbers(value)

    with page(request) as shown:
        readable = shown.readable_documents(docs)  # the export shows content: audited
    headers = [_("Document number"), _("Registered"), _("Document date"), _("Direction"),
               _("Record type"), _("Description"), _("Sender or recipient"),
               _("Responsible officer"), _("Unit"), _("Status")]
    rows = [[d.document_number, timezone.localtime(d.registered_at).strftime("%Y-%m-%d"),
             d.document_date.isoformat(), d.get_direction_display(),
             d.rule.name if d.rule_id else "", text(d.title),
             text(d.sender_recipient),
             str(d.case.responsible_officer or ""), str(d.case.responsible_unit or ""),
             d.get_status_display()]
            for d in docs if d.pk in readable]
    name = f"handlingar-{timezone.localdate().isoformat()}"
    if fmt == "csv":
        return export.csv_response(headers, rows, name)
    return export.xlsx_response(headers, rows, name, _("Documents"))
