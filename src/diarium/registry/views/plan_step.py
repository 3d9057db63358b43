"""The plan's check of a valid registration form, shared by the registration views."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone

from diarium.registry import enforcement, services
from diarium.registry.enforcement import PlanWarning
from diarium.registry.models import DiarySeries
from diarium.registry.plan_forms import PlanFields
from diarium.registry.views.common import apply_errors


@dataclass
class PlanStep:
    """files: the form's files, stored (kept ones and new uploads). warnings and secrecy
    (the plan's default provision, filled in) are for the confirmation step."""

    files: list[services.StoredUpload] = field(default_factory=list)
    warnings: list[PlanWarning] = field(default_factory=list)
    secrecy: str = ""

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.warnings or self.secrecy)


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
    if form.is_confirmed(series):
        return PlanStep(files)
    given = form.cleaned_data.get("secrecy_provision", "").strip()
    step = PlanStep(files, enforcement.warnings_for(rule, series),
                    "" if given else enforcement.rule_secrecy(rule))
    if step.needs_confirmation:
        form.ask_confirmation(series, step.secrecy, files)
    return step
