"""The seam to dispatch (e-mail with a link, or post): the board records who a document
goes to; the sending itself belongs to the registry's dispatch and is wired here when it
exists. `send` is the one function the board calls."""

from collections.abc import Iterable
from dataclasses import dataclass

from diarium.board.models import Dispatch
from diarium.registry.models import Document


@dataclass(frozen=True)
class Recipient:
    name: str
    address: str = ""  # an e-mail address, a postal address or empty
    channel: str = "email"  # email, post, link


def send(document: Document, recipients: Iterable[Recipient]) -> list[Dispatch]:
    """Hand the document to dispatch for each recipient (recorded; one row each)."""
    return Dispatch.objects.bulk_create([
        Dispatch(document=document, recipient=r.name, address=r.address, channel=r.channel)
        for r in recipients])


def parse_lines(text: str) -> list[Recipient]:
    """Recipients written one per line as "Name <address>" or "Name"."""
    result = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        name, _lt, rest = line.partition("<")
        address = rest.rstrip(">").strip()
        result.append(Recipient(name.strip() or address, address,
                                "email" if "@" in address else "post"))
    return result
