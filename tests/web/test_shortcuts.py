"""Keyboard shortcuts: the help page lists them from the one list, and a page carries a
key only on a link or field the user has (a reader gets no "n" for registering)."""

import pytest
from django.urls import reverse

from diarium.core.shortcuts import KEYS, SHORTCUTS
from tests import factories as f
from tests.web.conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def ks():
    return f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")


def test_the_help_page_lists_every_shortcut_in_swedish(ks):
    reader = f.user("lasare", roles={ks.authority: "reader"})
    html = logged_in(reader).get(reverse("web:shortcuts")).content.decode()
    assert "<h1>Kortkommandon</h1>" in html
    assert html.count("<tr><td><kbd>") == len(SHORTCUTS)
    assert "<kbd>g</kbd> sedan <kbd>h</kbd></td><td>Gå till Mina ärenden" in html
    assert "<kbd>?</kbd></td><td>Visa den här listan över kortkommandon" in html
    assert 'src="/static/web/shortcuts.js"' in html


def test_keys_sit_only_on_what_the_role_has(ks):
    registrar = f.user("rut", roles={ks.authority: "registrar"})
    reader = f.user("lasare", roles={ks.authority: "reader"})
    register_key = f'data-shortcut="{KEYS["registry:register"]}"'
    home = logged_in(registrar).get(reverse("web:home")).content.decode()
    assert register_key in home and 'data-shortcut="g h"' in home
    assert 'id="header-lookup" name="q" data-shortcut="/"' in home
    assert register_key not in logged_in(reader).get(reverse("web:home")).content.decode()
    # The page's own search field carries "/" after the header's, so it wins in the browser.
    search = logged_in(registrar).get(reverse("registry:search")).content.decode()
    assert search.count('data-shortcut="/"') == 2
    assert search.rindex('data-shortcut="/"') > search.index("</header>")


def test_a_case_page_offers_its_actions_by_key(ks):
    registrar = f.user("rut", roles={ks.authority: "registrar"})
    case = f.case(registrar, ks, "Bygglov Storgatan 1")
    html = logged_in(registrar).get(reverse("registry:case", args=[case.pk])).content.decode()
    edit = reverse("registry:case_edit", args=[case.pk])
    add = reverse("registry:case_add_document", args=[case.pk])
    assert f'href="{edit}" data-shortcut="e"' in html
    assert f'href="{add}" data-shortcut="a"' in html
