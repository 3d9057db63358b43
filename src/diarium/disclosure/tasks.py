"""The disclosure app's background work: `disclosure.mask` makes a masked copy
(services.mask_item) for the staff member who drew the masks, checked again as them when
the job runs (their access to the document may have changed since)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from diarium.core.jobs.kinds import JobFailed, kind
from diarium.core.jobs.models import Job
from diarium.core.jobs.progress import Progress
from diarium.disclosure import selectors, services
from diarium.disclosure.models import RequestedItem


def _handles_requests(user) -> bool:
    return bool(selectors.handling_authorities(user))


def _request_page(job: Job) -> str | None:
    item = RequestedItem.objects.filter(pk=job.subject_id).first()
    return reverse("disclosure:request", args=[item.request_id]) if item else None


# The job names the item's id and mask rectangles with their provisions, nothing of the
# document's content.
@kind(services.MASK_JOB, label=gettext_lazy("Masked copy"), may_view=_handles_requests,
      link=_request_page)
def make_masked_copy(job: Job, progress: Progress) -> dict:
    if job.started_by is None:
        raise JobFailed("a masked copy is made for the staff member who drew the masks")
    item = RequestedItem.objects.select_related("request", "document__case").get(
        pk=job.subject_id)
    masks = services.masks_from(job.params)
    progress.set(0, 1, "redact")
    item = services.mask_item(job.started_by, item, masks)
    progress.set(1, 1, "done")
    return {"redacted": [c.redacted_id for c in selectors.masked_files(item)],
            "pages": item.pages}
