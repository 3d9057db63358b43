import datetime as dt

import pytest
from django.urls import reverse

from diarium.registry import services
from tests import factories as f

pytestmark = pytest.mark.django_db

PAGES = ["web:home", "registry:inbox", "registry:register", "registry:search"]


@pytest.mark.parametrize("name", PAGES)
def test_pages_require_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_login_page_is_swedish_and_labelled(client):
    response = client.get(reverse("web:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv">' in html
    assert "Logga in" in html
    assert '<label for="id_username">Användarnamn:</label>' in html
    assert 'href="#main"' in html  # skip link


def test_login_and_logout(client, registrator):
    response = client.post(reverse("web:login"), {"username": "reg", "password": "x"})
    assert response.status_code == 302 and response["Location"] == reverse("web:home")
    assert "Mina ärenden" in client.get(reverse("web:home")).content.decode()
    response = client.post(reverse("web:logout"))
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 302


def test_wrong_password_is_explained_in_swedish(client, registrator):
    response = client.post(reverse("web:login"), {"username": "reg", "password": "fel"})
    assert response.status_code == 200
    assert "Ange ett korrekt användarnamn och lösenord" in response.content.decode()


def test_language_switch_to_english(reg_client):
    assert "Mina ärenden" in reg_client.get(reverse("web:home")).content.decode()
    response = reg_client.post(
        reverse("set_language"), {"language": "en", "next": reverse("web:home")}
    )
    assert response.status_code == 302
    html = reg_client.get(reverse("web:home")).content.decode()
    assert '<html lang="en">' in html
    assert "My cases" in html and "Mina ärenden" not in html
    # Each language's button carries its own name, whichever language the page is in.
    assert '>English</button>' in html and '>Svenska</button>' in html


def test_home_lists_my_open_cases_with_follow_up(ks, registrator, officer, officer_client):
    mine = f.case(registrator, ks, "Bygglov Storgatan", responsible_officer=officer,
                  follow_up_date=dt.date(2020, 1, 31))
    f.case(registrator, ks, "Någon annans ärende")
    closed = f.case(registrator, ks, "Avslutat ärende", responsible_officer=officer)
    services.close_case(registrator, closed)
    html = officer_client.get(reverse("web:home")).content.decode()
    assert mine.diary_number in html and "Bygglov Storgatan" in html
    assert "2020-01-31" in html
    assert "Någon annans ärende" not in html and "Avslutat ärende" not in html


def test_unknown_page_is_a_swedish_404(reg_client):
    response = reg_client.get("/finns-inte/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


def test_home_is_paginated(ks, registrator, officer, officer_client):
    for i in range(27):
        f.case(registrator, ks, f"Ärende nummer {i}", responsible_officer=officer)
    first = officer_client.get(reverse("web:home")).content.decode()
    second = officer_client.get(reverse("web:home") + "?page=2").content.decode()
    assert first.count('scope="row"') == 25
    assert second.count('scope="row"') == 2
    assert "Sida 1 av 2" in first


def test_browser_language_does_not_override_swedish(client):
    response = client.get("/logga-in/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "sv"
    client.cookies["django_language"] = "en"
    response = client.get("/logga-in/", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.headers["Content-Language"] == "en"


def test_the_menu_links_only_pages_the_user_may_open(client, reg_client):
    """A member of a board without a staff role (a ledamot) is not shown the plan, its
    lookup or the systems register, which would answer 403; staff are."""
    member = f.user("ledamot")
    client.force_login(member)
    html = client.get(reverse("web:home")).content.decode()
    for name in ("plan:plan_index", "plan:systems", "plan:lookup"):
        assert f'href="{reverse(name)}"' not in html and f'action="{reverse(name)}"' not in html
        assert client.get(reverse(name)).status_code == 403
    html = reg_client.get(reverse("web:home")).content.decode()
    assert f'href="{reverse("plan:plan_index")}"' in html
    assert f'action="{reverse("plan:lookup")}"' in html
