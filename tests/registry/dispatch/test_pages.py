"""The staff pages: dispatch from the document page, the dispatch's page with each
recipient's outcome and the retry, and the administrators' lists and mail settings (the
password never shown). Those who may not read the document see none of it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from diarium.core.sealed import unseal
from diarium.registry.dispatch.models import (
    Dispatch,
    DispatchSettings,
    DistributionList,
    RecipientState,
)
from tests import factories as f
from tests.web.conftest import logged_in
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db


def test_dispatch_from_the_document_page_to_the_case_parties(world, smtp):
    client = logged_in(world.registrator)
    doc_page = client.get(reverse("registry:document", args=[world.decision.pk])).content.decode()
    form_url = reverse("registry:document_dispatch", args=[world.decision.pk])
    assert form_url in doc_page
    form = client.get(form_url).content.decode()
    assert "Anna Andersson" in form and "Bo Bygg AB" in form
    response = client.post(form_url, {
        "channel": "email", "parties": [world.anna.pk, world.bo.pk],
        "others": "Okänd <okand@example.org>"})
    dispatch = Dispatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:dispatch", args=[dispatch.pk])
    run_jobs()
    assert smtp.recipients == ["anna@example.org", "bo@example.org"]
    page = client.get(response["Location"]).content.decode()
    assert "okand@example.org" in page and "550" in page and "recipient-failed" in page
    assert "queued as" in page
    client.post(reverse("registry:dispatch_retry", args=[dispatch.pk]))
    smtp.refuse.clear()
    run_jobs()
    assert dispatch.recipients.get(email="okand@example.org").state == RecipientState.SENT
    case_page = client.get(reverse("registry:case", args=[world.case.pk])).content.decode()
    assert reverse("registry:dispatch", args=[dispatch.pk]) in case_page


def test_a_bad_line_is_shown_and_nothing_is_written(world, smtp):
    client = logged_in(world.registrator)
    response = client.post(reverse("registry:document_dispatch", args=[world.decision.pk]), {
        "channel": "email", "others": "Eva <inte-en-adress>"})
    assert response.status_code == 200
    assert "Eva" in response.content.decode()
    assert not Dispatch.objects.exists()


def test_others_see_nothing_of_a_secret_documents_dispatch(world, smtp):
    """The canary: the recipients and subject of a secret document's dispatch reach only
    those who may read the document."""
    from diarium.registry import services

    secret_case = f.case(world.registrator, world.ks, "Skyddat ärende",
                         secrecy=services.Secrecy(provision="OSL 26 kap. 1 §",
                                                  withhold_title=True, withhold_parties=True))
    secret_doc = f.document(world.registrator, secret_case, "Beslut", direction="outgoing",
                            secrecy=services.Secrecy(provision="OSL 26 kap. 1 §"))
    canary = "Kanarie Hemligsson"
    dispatch = Dispatch.objects.create(document=secret_doc, channel="post", subject=canary,
                                       created_by=world.registrator)
    dispatch.recipients.create(position=1, kind="postal", name=canary, postal_address="a")
    assert canary in logged_in(world.registrator).get(
        reverse("registry:case", args=[secret_case.pk])).content.decode()
    outsider = f.user(roles={world.ks.authority: "officer"})  # not in its access group
    client = logged_in(outsider)
    for url in (reverse("registry:dispatch", args=[dispatch.pk]),
                reverse("registry:dispatch_print", args=[dispatch.pk]),
                reverse("registry:document_dispatch", args=[secret_doc.pk]),
                reverse("registry:document", args=[secret_doc.pk]),
                reverse("registry:case", args=[secret_case.pk])):
        response = client.get(url)
        assert canary not in response.content.decode(errors="replace"), url


def test_administrators_set_up_lists_and_the_mail_server(world, smtp):
    client = logged_in(world.admin)
    url = reverse("registry:dispatch_settings", args=[world.ks.authority.pk])
    response = client.post(url, {"host": "smtp.sjovik.example", "port": 587,
                                 "security": "starttls", "username": "ks",
                                 "password": "hemligt-smtp", "from_address": "ks@sjovik.se",
                                 "from_name": "Kommunstyrelsen", "cover_letter": "Hej $mottagare"})
    assert response.status_code == 302
    stored = DispatchSettings.objects.get()
    assert unseal(stored.password_sealed) == "hemligt-smtp"
    assert "hemligt-smtp" not in client.get(url).content.decode()

    response = client.post(reverse("registry:distribution_list_new"), {
        "authority": world.ks.authority.pk, "name": "Remissinstanser",
        "parties": [world.anna.pk], "active": "on",
        "others": "Länsstyrelsen <lst@example.org>\nPostmottagare; Box 1; 111 11 Stad"})
    assert response.status_code == 302, response.content.decode()
    dlist = DistributionList.objects.get()
    assert [m.kind for m in dlist.current.members.all()] == ["party", "email", "postal"]
    edit = reverse("registry:distribution_list", args=[dlist.pk])
    client.post(edit, {"name": "Remissinstanser", "others": "Länsstyrelsen <lst@example.org>",
                       "active": "on"})
    dlist.refresh_from_db()
    assert dlist.current.number == 2
    page = client.get(edit).content.decode()
    assert "Version 1" in page and "Anna Andersson" in page

    response = client.post(reverse("registry:distribution_list_new"), {
        "authority": world.ks.authority.pk, "name": "Fel",
        "others": "Eva\u2028Bcc <eva@example.org>"})
    assert response.status_code == 200 and DistributionList.objects.count() == 1
    assert logged_in(world.registrator).get(
        reverse("registry:distribution_lists")).status_code == 403
