"""What a DIP says about its delivery: metadata/other/delivery.json (machine-readable:
the order, the secrecy reviews, every delivered file with its checksum and source, what
was left out) and documentation/README.txt (the same in Swedish, for the recipient)."""

from __future__ import annotations

import json

from diarium.archive.models import DipOrder

from .plan import DipPlan


def _reviews(order: DipOrder) -> list[dict]:
    """The decisions only: reviewers' notes and names stay in the archive's own log."""
    return [{"record": r.record.identifier, "decision": r.decision,
             "reviewed_at": r.reviewed_at.isoformat()}
            for r in order.reviews.select_related("record")]


def delivery_json(order: DipOrder, plan: DipPlan, files: list[dict], now: str) -> bytes:
    package = order.package
    data = {
        "format": "diarium-delivery", "format_version": 1,
        "order": str(order.pk), "aip": package.aip_id, "package": package.objid or package.name,
        "archive_creator": package.creator.name, "recipient": order.recipient,
        "purpose": order.purpose, "ordered_by": order.ordered_by.get_username(),
        "ordered_at": order.ordered_at.isoformat(), "delivered_at": now,
        "whole_package": order.whole_package,
        "reviews": _reviews(order),
        "refused": [r.identifier for r in plan.refused],
        "masked": [r.identifier for r in plan.masked],
        "files_withheld": len(plan.withheld),  # names may be secret: counted only
        "metadata_delivered": plan.with_metadata,
        "files": files,
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode()


def readme(order: DipOrder, plan: DipPlan, files: list[dict]) -> bytes:
    package = order.package
    lines = [
        f"Utlämnande ur e-arkivet: dip-{order.pk}", "",
        f"Arkivbildare: {package.creator.name}",
        f"Arkivpaket: {package.objid or package.name} ({package.aip_id})",
        f"Mottagare: {order.recipient}",
    ]
    if order.purpose:
        lines.append(f"Ändamål: {order.purpose}")
    lines += ["", f"{len(files)} filer i representations/*/data/ med kontrollsummor i METS.xml "
              "och metadata/preservation/premis.xml.",
              "metadata/other/delivery.json beskriver beställningen, sekretessprövningen och "
              "varje fils ursprung."]
    if plan.with_metadata:
        lines.append("metadata/descriptive/erms.xml: ärendets och handlingarnas metadata "
                     "(CITS ERMS 2.1.2), endast det som lämnas ut.")
    else:
        lines.append("Ärendets metadata lämnas inte ut (sekretess).")
    if plan.refused:
        lines += ["", "Efter sekretessprövning lämnas inte ut:"]
        lines += [f"  {r.identifier}" for r in plan.refused]
    if plan.masked:
        lines += ["", "Lämnas ut med maskerade delar:"]
        lines += [f"  {r.identifier}" for r in plan.masked]
    if plan.withheld:
        lines += ["", f"{len(plan.withheld)} filer lämnas inte ut."]
    return ("\n".join(lines) + "\n").encode()
