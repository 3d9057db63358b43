"""Work lists: my cases, my unit's, my authorities', and the inbox; filtered, sorted and
exported (CSV, XLSX). Only cases whose content the user may read are listed, and the
secret ones shown are audited by the visibility policy's page."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from diarium.core.pages import paginate
from diarium.organisation.selectors import authorities_for
from diarium.registry import enforcement, selectors, services
from diarium.registry import worklist_export as export
from diarium.registry.forms import STATUS_LABELS
from diarium.registry.identity import mask_identity_numbers
from diarium.registry.templatetags.registry_ui import case_status
from diarium.registry.views.common import page

# The lists by their name in the URL.
LISTS = {"mina": "mine", "enhetens": "unit", "myndighetens": "authority", "inkorgen": "inbox"}
TITLES = {
    "mine": gettext_lazy("My cases"), "unit": gettext_lazy("My unit's cases"),
    "authority": gettext_lazy("My authorities' cases"), "inbox": gettext_lazy("Inbox"),
}
AGES = [("", gettext_lazy("Any age")), ("30", gettext_lazy("Older than 30 days")),
        ("90", gettext_lazy("Older than 90 days")),
        ("180", gettext_lazy("Older than six months")),
        ("365", gettext_lazy("Older than a year"))]


class WorkListForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False, choices=[
        ("", gettext_lazy("Open and dormant")), *STATUS_LABELS.items()])
    follow_up = forms.ChoiceField(label=gettext_lazy("Follow-up date"), required=False,
                                  choices=[("", gettext_lazy("Any")),
                                           ("overdue", gettext_lazy("Due or overdue")),
                                           ("week", gettext_lazy("Due within a week")),
                                           ("set", gettext_lazy("Has one")),
                                           ("none", gettext_lazy("Has none"))])
    record_type = forms.ChoiceField(label=gettext_lazy("Holds a document of record type"),
                                    required=False)
    older_than = forms.TypedChoiceField(label=gettext_lazy("Age"), required=False,
                                        choices=AGES, coerce=int, empty_value=None)
    authority = forms.ChoiceField(label=gettext_lazy("Authority"), required=False)
    sort = forms.ChoiceField(label=gettext_lazy("Sort by"), required=False, choices=[
        ("follow_up", gettext_lazy("Follow-up date, overdue first")),
        ("-follow_up", gettext_lazy("Follow-up date, latest first")),
        ("opened", gettext_lazy("Opened, oldest first")),
        ("-opened", gettext_lazy("Opened, newest first")),
        ("number", gettext_lazy("Diary number")),
        ("-number", gettext_lazy("Diary number, descending")),
        ("title", gettext_lazy("Title")),
    ])

    def __init__(self, *args, user, which: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        authorities = list(authorities_for(user))
        ids = [a.pk for a in authorities]
        self.fields["record_type"].choices = [
            ("", _("Any")), *enforcement.rule_choices(ids, timezone.localdate())]
        self.fields["authority"].choices = [("", _("Any authority")),
                                            *[(str(a.pk), str(a)) for a in authorities]]
        if which != "authority":
            del self.fields["authority"]

    def criteria(self) -> selectors.WorkListCriteria:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.WorkListCriteria(
            status=data.get("status", ""), follow_up=data.get("follow_up", ""),
            record_type=data.get("record_type") or None,
            older_than=data.get("older_than"), authority=data.get("authority") or None,
            sort=data.get("sort") or "follow_up",
        )


class InboxListForm(forms.Form):
    older_than = forms.TypedChoiceField(label=gettext_lazy("Age"), required=False,
                                        choices=AGES, coerce=int, empty_value=None)
    authority = forms.ChoiceField(label=gettext_lazy("Authority"), required=False)
    sort = forms.ChoiceField(label=gettext_lazy("Sort by"), required=False, choices=[
        ("received", gettext_lazy("Received, oldest first")),
        ("-received", gettext_lazy("Received, newest first")),
        ("subject", gettext_lazy("Subject")), ("sender", gettext_lazy("Sender"))])

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["authority"].choices = [
            ("", _("Any authority")), *[(str(a.pk), str(a)) for a in authorities_for(user)]]

    def query(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"older_than": data.get("older_than"), "authority": data.get("authority") or None,
                "sort": data.get("sort") or "received"}


def _which(slug: str) -> str:
    try:
        return LISTS[slug]
    except KeyError:
        raise Http404 from None


@login_required
def worklist(request: HttpRequest, slug: str) -> HttpResponse:
    which, user = _which(slug), request.user
    context = {"which": which, "slug": slug, "title": TITLES[which], "lists": LISTS,
               "titles": TITLES, "today": timezone.localdate(),
               "query": request.GET.urlencode()}
    if which == "inbox":
        form = InboxListForm(request.GET or None, user=user)
        items = selectors.inbox_list(user, **form.query()).prefetch_related("inboxfile_set")
        return render(request, "registry/worklist.html",
                      context | {"form": form, "page": paginate(request, items)})
    form = WorkListForm(request.GET or None, user=user, which=which)
    found = paginate(request, selectors.work_list(user, which, form.criteria()))
    found.object_list = list(found.object_list)
    with page(request) as shown:
        shown.readable_cases(found.object_list)  # the list shows titles: secret ones audited
        return render(request, "registry/worklist.html", context | {"form": form, "page": found})


@login_required
def worklist_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    which, user = _which(slug), request.user
    if fmt not in ("csv", "xlsx"):
        raise Http404
    full = selectors.can_read_identity_numbers(user)

    def text(value: str) -> str:
        return value if full else mask_identity_numbers(value)

    name = f"arbetslista-{slug}-{timezone.localdate().isoformat()}"
    if which == "inbox":
        form = InboxListForm(request.GET or None, user=user)
        headers = [_("Received"), _("Authority"), _("Sender"), _("Subject")]
        rows = [[timezone.localtime(i.received_at).strftime("%Y-%m-%d %H:%M"),
                 i.authority.code, text(i.sender), text(i.subject)]
                for i in selectors.inbox_list(user, **form.query())]
    else:
        form = WorkListForm(request.GET or None, user=user, which=which)
        today = timezone.localdate()
        headers = [_("Diary number"), _("Title"), _("Status"), _("Responsible officer"),
                   _("Unit"), _("Follow-up date"), _("Opened"), _("Days open"), _("Overdue")]
        cases = list(selectors.work_list(user, which, form.criteria()))
        rows = [[c.diary_number, text(c.title), case_status(c.status),
                 str(c.responsible_officer or ""), str(c.responsible_unit or ""),
                 c.follow_up_date.isoformat() if c.follow_up_date else "",
                 timezone.localdate(c.opened_at).isoformat(),
                 (today - timezone.localdate(c.opened_at)).days,
                 _("yes") if c.follow_up_date and c.follow_up_date <= today else ""]
                for c in cases]
        with page(request) as shown:
            shown.readable_cases(cases)  # the export shows titles: secret ones audited
    if fmt == "csv":
        return export.csv_response(headers, rows, name)
    return export.xlsx_response(headers, rows, name, str(TITLES[which]))


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    services.mark_notifications_read(request.user)
    return redirect("web:home")
