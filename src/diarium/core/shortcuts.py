"""Keyboard shortcuts of the staff UI: one list, read by the pages (a `data-shortcut`
attribute on the link or field a key activates: the template tag web_ui.shortcut, or
`shortcut_attrs` on a form's widget) and by the help page (web/views.py). In core because
every app's pages carry them.

A key works only where its link is on the page: a role that has no inbox has no "g i".
static/web/shortcuts.js does the rest in the browser; keys typed into a field are text."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Shortcut:
    keys: str  # one key, or two typed one after the other ("g h")
    target: str  # the name the template uses for the link or field
    description: str


SHORTCUTS = [
    Shortcut("g h", "web:home", _("Go to My cases")),
    Shortcut("g w", "registry:worklist", _("Go to the work lists")),
    Shortcut("g i", "registry:inbox", _("Go to the inbox")),
    Shortcut("n", "registry:register", _("Register an incoming document")),
    Shortcut("g s", "registry:search", _("Go to search")),
    Shortcut("g d", "registry:document_search", _("On the search pages: search documents")),
    Shortcut("g p", "plan:plan_index", _("Go to the document management plan")),
    Shortcut("g j", "core:jobs", _("Go to jobs")),
    Shortcut("/", "search-field", _("Move to the page's search field (else \"What do I do "
                                     "with …?\")")),
    Shortcut("e", "case:edit", _("On a case: change the case")),
    Shortcut("a", "case:add-document", _("On a case: register an outgoing or drawn-up "
                                         "document")),
    Shortcut("?", "web:shortcuts", _("Show this list of keyboard shortcuts")),
]
KEYS = {shortcut.target: shortcut.keys for shortcut in SHORTCUTS}


def shortcut_attrs(target: str) -> dict[str, str]:
    """A form widget's attributes for the field a key moves to."""
    return {"data-shortcut": KEYS[target]}
