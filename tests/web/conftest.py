"""Fixtures for the staff UI: a KS authority with its series and a few users."""

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories as f


@pytest.fixture
def ks():
    return f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")


@pytest.fixture
def registrator(ks):
    return f.user("reg", roles={ks.authority: "registrar"}, first_name="Rut", last_name="Reg")


@pytest.fixture
def officer(ks):
    return f.user("hand", roles={ks.authority: "officer"}, first_name="Hans", last_name="Hand")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reg_client(registrator) -> Client:
    return logged_in(registrator)


@pytest.fixture
def officer_client(officer) -> Client:
    return logged_in(officer)


def new_case_letter(ks, **extra) -> dict:
    """The registration form's fields for an incoming letter opening a new case in ks."""
    return {
        "target": "new", "series": ks.pk, "case_title": "Bygglov Storgatan 1",
        "title": "Ansökan om bygglov", "document_date": timezone.localdate().isoformat(),
        **extra,
    }
