"""User and role administration and the organisation file in the staff UI: what an
administrator can do, that every change is audited, and that others are refused (403) or
do not see users they do not look after (404)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from diarium.audit.models import AuditEvent
from diarium.organisation import services as org
from diarium.organisation.models import Role, RoleAssignment, User
from diarium.registry.models import DiarySeries
from diarium.registry.orgfile import files
from diarium.registry.orgfile.exporting import organisation_rows
from tests import factories as f
from tests.web.conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    muni = f.municipality("Sjöviks kommun", "9901")
    ks = f.authority("KS", muni=muni, name="Kommunstyrelsen")
    sn = f.authority("SN", muni=muni, name="Socialnämnden")
    adm = org.create_administration(org_operator(), muni, name="KLF", authorities=[ks, sn])
    unit = org.create_unit(org_operator(), adm, name="Kansliet")
    admin = f.user("admin-ks", roles={ks: Role.ADMINISTRATOR}, home_municipality=muni,
                   first_name="Ada", last_name="Admin")
    karin = f.user("karin", roles={ks: Role.REGISTRATOR, sn: Role.READER},
                   home_municipality=muni, first_name="Karin", last_name="Lind")
    other = f.authority("X", muni=f.municipality("Annan kommun", "9999"))
    outsider = f.user("utomstaende", roles={other: Role.OFFICER},
                      home_municipality=other.municipality)
    return {"muni": muni, "ks": ks, "sn": sn, "unit": unit, "admin": admin, "karin": karin,
            "outsider": outsider, "client": logged_in(admin)}


def org_operator():
    from diarium.core.actors import OPERATOR
    return OPERATOR


def url(name: str, *args) -> str:
    return reverse(f"web:{name}", args=args)


def test_the_administrator_finds_users_and_sees_only_their_own(world):
    client = world["client"]
    page = client.get(url("users"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Karin Lind" in text and "utomstaende" not in text
    assert 'lang="sv"' in text and "Användare" in text  # Swedish UI
    found = client.get(url("users"), {"q": "lind"}).content.decode()
    assert "Karin Lind" in found and url("user", world["admin"].pk) not in found
    assert client.get(url("user", world["karin"].pk)).status_code == 200
    assert client.get(url("user", world["outsider"].pk)).status_code == 404


def test_every_page_and_action_refuses_a_non_administrator(world):
    registrar = logged_in(world["karin"])
    karin = world["karin"].pk
    for name, args in [("users", ()), ("user_new", ()), ("user", (karin,)),
                       ("organisation_file", ()), ("organisation_export", ())]:
        assert registrar.get(url(name, *args)).status_code == 403, name
    for name, args in [("user_new", ()), ("user_update", (karin,)), ("user_role", (karin,)),
                       ("user_active", (karin,)), ("user_password", (karin,)),
                       ("organisation_file", ()), ("organisation_apply", ())]:
        assert registrar.post(url(name, *args), {}).status_code == 403, name
    assert "administration/anvandare" not in registrar.get(reverse("web:home")) \
        .content.decode()
    assert "administration/anvandare" in world["client"].get(reverse("web:home")) \
        .content.decode()


def test_create_a_user_give_and_take_a_role_set_the_unit_deactivate(world):
    client, ks, sn = world["client"], world["ks"], world["sn"]
    response = client.post(url("user_new"), {
        "username": "olle", "first_name": "Olle", "last_name": "Berg",
        "email": "olle@sjovik.example", "home_municipality": str(world["muni"].pk),
        "unit": str(world["unit"].pk), "password": ""})
    olle = User.objects.get(username="olle")
    assert response.status_code == 302 and response["Location"] == url("user", olle.pk)
    assert olle.unit == world["unit"] and not olle.has_usable_password()

    page = client.get(url("user", olle.pk)).content.decode()
    assert f'value="{ks.pk}"' in page and f'value="{sn.pk}"' not in page  # only KS is hers
    client.post(url("user_role", olle.pk), {"action": "give", "authority": str(ks.pk),
                                            "role": Role.OFFICER})
    assert list(olle.roles.values_list("role", flat=True)) == ["officer"]
    # A board she does not administer: refused by the form, nothing given.
    response = client.post(url("user_role", olle.pk), {
        "action": "give", "authority": str(sn.pk), "role": Role.REGISTRATOR})
    assert response.status_code == 200 and olle.roles.count() == 1
    assignment = olle.roles.get()
    client.post(url("user_role", olle.pk), {"action": "take", "assignment": assignment.pk})
    assert not olle.roles.exists()
    # Karin's reader role in SN is not the KS administrator's to take.
    sn_role = RoleAssignment.objects.get(user=world["karin"], authority=sn)
    client.post(url("user_role", world["karin"].pk), {"action": "take",
                                                      "assignment": sn_role.pk})
    assert RoleAssignment.objects.filter(pk=sn_role.pk).exists()

    client.post(url("user_update", olle.pk), {"first_name": "Olof", "last_name": "Berg",
                                              "email": "olof@sjovik.example", "unit": ""})
    olle.refresh_from_db()
    assert olle.first_name == "Olof" and olle.unit is None
    client.post(url("user_active", olle.pk), {"active": "0"})
    olle.refresh_from_db()
    assert not olle.is_active
    client.post(url("user_active", olle.pk), {"active": "1"})
    olle.refresh_from_db()
    assert olle.is_active
    # Yourself: refused.
    client.post(url("user_active", world["admin"].pk), {"active": "0"})
    world["admin"].refresh_from_db()
    assert world["admin"].is_active

    assert [e.action for e in AuditEvent.objects.filter(object_id=str(olle.pk))
            .order_by("occurred_at", "seq")] == [
        "organisation.user_created", "organisation.role_assigned",
        "organisation.role_removed", "organisation.user_changed",
        "organisation.user_changed", "organisation.user_changed"]
    assert all(e.actor_name == "admin-ks" for e in AuditEvent.objects.filter(
        object_id=str(olle.pk)))


def test_every_problem_of_a_new_user_is_shown_at_once(world):
    response = world["client"].post(url("user_new"), {
        "username": "<script>x</script> ÅÄÖ", "email": "fel",
        "home_municipality": str(world["muni"].pk), "password": "123"})
    html = response.content.decode()
    assert response.status_code == 200 and not User.objects.filter(email="fel").exists()
    assert "Ange en giltig mejladress." in html  # the e-mail address
    assert "Fyll i ett giltigt användarnamn." in html  # the username, in the same answer
    assert "Det här lösenordet är för kort." in html  # and the password
    assert "<script>x</script>" not in html


def test_a_password_only_for_someone_whose_boards_are_all_yours(world):
    client = world["client"]
    # Karin reads in SN, where the KS administrator is not: setting her password would
    # let the administrator into SN's records.
    response = client.post(url("user_password", world["karin"].pk),
                           {"password": "en-lång-lösenordsfras-1"})
    assert response.status_code == 200
    world["karin"].refresh_from_db()
    assert not world["karin"].check_password("en-lång-lösenordsfras-1")
    olle = org.create_user(world["admin"], username="olle", municipality=world["muni"])
    response = client.post(url("user_password", olle.pk), {"password": "kort"})
    assert "error-summary" in response.content.decode()
    client.post(url("user_password", olle.pk), {"password": "en-lång-lösenordsfras-1"})
    olle.refresh_from_db()
    assert olle.check_password("en-lång-lösenordsfras-1")
    event = AuditEvent.objects.get(action="organisation.password_set")
    assert "lösenordsfras" not in str(event.after)


ORG_YAML = """\
myndigheter:
  - kod: KS
    namn: Kommunstyrelsen i Sjövik
    kommun: "9901"
diarieserier:
  - kod: KS
    myndighet: KS
    namn: KS diarium
    nummerformat: "{series} {year}:{number}"
"""


def _upload(client, text: str, name: str = "org.yaml"):
    return client.post(url("organisation_file"), {
        "file": SimpleUploadedFile(name, text.encode(), content_type="application/yaml")})


def test_upload_shows_problems_and_applies_nothing(world):
    page = _upload(world["client"], ORG_YAML).content.decode()
    assert "diarieserier" in page and "nummerformat" in page  # the colon is refused
    assert "Tillämpa" not in page
    assert not DiarySeries.objects.exists()


def test_upload_preview_then_apply(world):
    client = world["client"]
    text = ORG_YAML.replace("{series} {year}:{number}", "{series}-{year}-{number}")
    page = _upload(client, text).content.decode()
    assert "Kommunstyrelsen i Sjövik" in page and "Tillämpa ändringarna" in page
    assert not DiarySeries.objects.exists()  # a dry run
    sha = client.session["diarium_organisation_file"]["sha256"]
    # Applying something else than what was previewed is not possible.
    response = client.post(url("organisation_apply"), {"sha256": "0" * 64})
    assert response.status_code == 302 and not DiarySeries.objects.exists()
    response = client.post(url("organisation_apply"), {"sha256": sha})
    assert response.status_code == 200
    assert DiarySeries.objects.get().number_format == "{series}-{year}-{number}"
    world["ks"].refresh_from_db()
    assert world["ks"].name == "Kommunstyrelsen i Sjövik"
    event = AuditEvent.objects.get(action="organisation.imported")
    assert event.actor_name == "admin-ks" and event.after["sha256"] == sha


def test_export_downloads_the_organisation(world):
    response = world["client"].get(url("organisation_export"), {"format": "yaml"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('organisation.yaml"')
    assert files.read_bytes(response.content, "o.yaml")["anvandare"].rows
    xlsx = world["client"].get(url("organisation_export"), {"format": "xlsx"})
    book = files.read_bytes(xlsx.content, "o.xlsx")
    assert [r.values for r in book["roller"].rows] == organisation_rows()["roller"]
    assert io.BytesIO(xlsx.content).read(2) == b"PK"
