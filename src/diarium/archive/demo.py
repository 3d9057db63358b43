"""The demo municipality's e-archive: an archive creator per board and submission
agreements, so that closed cases can go to the archive at once
(`diarium archive export-cases --ingest`) and the payroll example of docs/make-sip.md
has an agreement to be delivered under."""

from diarium.archive import services
from diarium.archive.transfer import PRODUCER
from diarium.core.actors import DEMO
from diarium.organisation.models import Authority

PAYROLL = ("LÖ-KS-LÖN", "Historiska löneuppgifter 1996–2010", "Lönesystemet")


def load(authorities: list[Authority]) -> int:
    """Create the creators and agreements, as the demo loader (system:demo).
    Returns how many agreements were made."""
    made = 0
    for authority in authorities:
        creator = services.ensure_archive_creator(DEMO, authority)
        services.create_agreement(
            DEMO,
            creator,
            reference=f"LÖ-{authority.code}-DIARIUM",
            name=f"Ärenden från Diarium, {authority.name}",
            producer=PRODUCER,
        )
        made += 1
        if authority.code == "KS":
            reference, name, producer = PAYROLL
            services.create_agreement(
                DEMO, creator, reference=reference, name=name, producer=producer
            )
            made += 1
    return made
