"""Extension points: apps above the registry (which the registry must not import) add to
the case page and to the case's API representation by registering here, in their
AppConfig.ready().

    from diarium.registry import extensions
    extensions.register_case_panel("archive", render)        # render(request, case) -> HTML
    extensions.register_case_field("archived_in", factory)   # factory() -> a DRF field

A panel is shown on the case page only to users who may read the case's content; it
returns safe HTML, or "" for nothing. A case field is a read-only serializer field added to
the case representation (absent from the stub of a case the user may not read)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

CasePanel = Callable[[HttpRequest, Any], str]

_panels: dict[str, CasePanel] = {}
_fields: dict[str, Callable[[], Any]] = {}


def register_case_panel(key: str, render: CasePanel) -> None:
    _panels[key] = render


def register_case_field(name: str, factory: Callable[[], Any]) -> None:
    _fields[name] = factory


def case_panels(request: HttpRequest, case) -> list[SafeString]:
    rendered = (render(request, case) for render in _panels.values())
    return [mark_safe(html) for html in rendered if html]  # noqa: S308 (renderers escape)


def case_fields() -> dict[str, Any]:
    return {name: factory() for name, factory in _fields.items()}
