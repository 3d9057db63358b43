import pytest

from diarium.registry import selectors, services
from diarium.registry.selectors import CaseSearch
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    ks = f.series(f.authority("KS"), "KS")
    sn = f.series(f.authority("SN"), "SN")
    reg = f.user(roles={ks.authority: "registrar"})
    sn_reg = f.user(roles={sn.authority: "registrar"})
    sn_officer = f.user(roles={sn.authority: "officer"})
    bygg = f.case(reg, ks, title="Bygglov för fritidshus vid sjön")
    secret = f.case(sn_reg, sn, title="Orosanmälan barnet Kalle Svensson",
                    secrecy=services.Secrecy("OSL 26:1", withhold_title=True))
    open_sn = f.case(sn_reg, sn, title="Tillsyn av boende")
    f.document(sn_reg, open_sn, title="Läkarintyg hemligt innehåll",
               secrecy=services.Secrecy("OSL 25:1"))
    return locals()


def ids(user, **criteria):
    return {c.id for c in selectors.search_cases(user, CaseSearch(**criteria))}


def test_swedish_stemming_finds_inflected_forms(world):
    assert ids(world["reg"], text="bygglovet") == {world["bygg"].id}
    assert ids(world["reg"], text="fritidshusen") == {world["bygg"].id}


def test_the_last_word_typed_is_a_prefix_and_joining_words_are_left_out(world):
    reg, bygg = world["reg"], world["bygg"]
    # The word being typed matches the start of longer words; the others are whole
    # words (in their forms, by their stems).
    assert ids(reg, text="bygglov fritids") == {bygg.id}
    assert ids(reg, text="fritids bygglov") == set()
    assert ids(reg, text="fritidshusen bygglov") == {bygg.id}
    # "för" and "vid" join the words: a query with other words looks past them, even
    # where the entry does not hold them; a query of only such words is matched as typed.
    assert ids(reg, text="bygglov om fritidshus") == {bygg.id}
    assert ids(reg, text="för") == {bygg.id}
    assert ids(reg, text="om") == set()


def test_secret_text_is_found_only_by_the_access_group(world):
    assert ids(world["sn_reg"], text="orosanmälan") == {world["secret"].id}
    assert ids(world["sn_officer"], text="orosanmälan") == set()
    assert ids(world["reg"], text="orosanmälan") == set()


def test_secret_document_text_does_not_leak_through_an_open_case(world):
    assert ids(world["sn_reg"], text="läkarintyg") == {world["open_sn"].id}
    assert ids(world["sn_officer"], text="läkarintyg") == set()
    assert ids(world["reg"], text="läkarintyg") == set()


def test_diary_number_status_and_authority_filters(world):
    number = world["bygg"].diary_number
    assert ids(world["reg"], diary_number=number) == {world["bygg"].id}
    assert ids(world["reg"], authority="SN") == {world["open_sn"].id}
    assert ids(world["sn_reg"], authority="SN", status="open") == {
        world["open_sn"].id, world["secret"].id
    }


def test_party_search_respects_secrecy(world):
    person = services.create_party(world["sn_reg"], kind="person", name="Kalle Svensson",
                                   identity_number="811218-9876")
    services.add_party(world["sn_reg"], world["secret"], person, "barn")
    assert ids(world["sn_reg"], party="Kalle") == {world["secret"].id}
    assert ids(world["sn_officer"], party="Kalle") == set()
    assert ids(world["sn_officer"], party="19811218-9876") == set()
