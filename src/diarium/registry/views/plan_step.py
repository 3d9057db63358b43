"""The plan's check of a valid registration form, and keeping its files when it is shown
again, shared by the registration views."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone

from diarium.registry import enforcement, services
from diarium.registry.enforcement import PlanWarning
from diarium.registry.models import DiarySeries
from diarium.registry.plan_forms import PlanFields
from diarium.registry.views.common import apply_errors


@dataclass
class PlanStep:
    """files: the form's files, stored (kept ones and new uploads). warnings and secrecy
    (the plan's default provision, filled in) are for the confirmation step; direction is
    the warning that the record type is meant for the other direction, confirmed only by
    ticking "Register anyway"."""

    files: list[services.StoredUpload] = field(default_factory=list)
    warnings: list[PlanWarning] = field(default_factory=list)
    secrecy: str = ""
    direction: PlanWarning | None = None

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.warnings or self.secrecy or self.direction)


def review(actor, form: PlanFields, authority_id, series: DiarySeries,
           store_files: bool = True) -> PlanStep | None:
    """Check the form's record type against the plan for a document in the series. None
    (the error shown on the form) when the plan has no such record type. Otherwise the
    files are stored, and when there is something to confirm the form is turned into the
    confirmation step. May raise FileTooLarge."""
    try:
        rule = enforcement.resolve_rule(
            authority_id, form.cleaned_data.get("record_type") or None, timezone.localdate()
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    files = list(form.kept)
    if store_files:
        files += services.store_uploads(actor, form.uploads())
    mismatch = enforcement.direction_warning(rule, form.document_direction())
    if form.cleaned_data.get("register_anyway"):
        mismatch = None
    if form.is_confirmed(series):
        step = PlanStep(files, direction=mismatch)
    else:
        given = form.cleaned_data.get("secrecy_provision", "").strip()
        step = PlanStep(files, enforcement.warnings_for(rule, series),
                        "" if given else enforcement.rule_secrecy(rule), mismatch)
    if step.needs_confirmation:
        form.ask_confirmation(series, step.secrecy)
    return step


def keep_files(request: HttpRequest, form: PlanFields, step: PlanStep | None) -> None:
    """Before a registration form is shown again after a POST (an error, the confirmation
    step, a party search): stage the files it holds, the kept ones and those just chosen,
    so that the user need not choose them again. May raise FileTooLarge."""
    if request.method != "POST" or not form.staging_key:
        return
    if step is not None:
        files = step.files  # stored by review()
    else:
        if not hasattr(form, "cleaned_data"):
            form.load_kept()  # not checked: a party search
        chosen = [f for f in request.FILES.getlist("files") if f.size]
        files = list(form.kept) + services.store_uploads(
            request.user, [services.Upload(f, f.name, f.content_type) for f in chosen])
    form.kept = services.stage_files(request.user, form.staging_key, files)
    data = form.data.copy()  # what the page sends back, as the form's data too
    data.setlist("kept_files", [str(f.staged) for f in form.kept])
    data.setlist("drop_files", [])
    form.data = data
