"""The sentences that answer "Vad gör jag med …?", the ranking of the answers, and the PDF
when no Unicode font is installed."""

import datetime as dt
import io

import pytest
from django.utils import translation

from diarium.plan import lookup
from diarium.plan.content import ProcessData
from diarium.plan.io import pdf
from tests import factories as f
from tests.plan import factories as pf
from tests.plan.ui import sample_municipality


def test_the_answer_in_swedish_sentences():
    with translation.override("sv"):
        kept = pf.rule("Protokoll", registration="kept_in_order",
                       registration_place="Protokollsserien", legal_basis="Arkivlagen")
        assert lookup.answer(kept) == (
            "Registreras inte men hålls ordnad i Protokollsserien. Bevaras (Arkivlagen).")
        closed = pf.disposed("Anbud", amount=2, legal_basis="Gallringsbeslut KS 2024:1",
                             registration_place="diariet KS")
        assert lookup.answer(closed) == (
            "Registreras i diariet KS. Gallras 2 år efter ärendets avslut "
            "(Gallringsbeslut KS 2024:1).")
        year_end = pf.disposed("Anbud", amount=1, count_from_year_end=True)
        assert "Gallras 1 år efter utgången av det år då ärendet avslutades." in \
            lookup.answer(year_end)
        months = pf.disposed("Logg", amount=6, unit="months", trigger="document_date",
                             secrecy_provision="OSL 18:8")
        assert lookup.answer(months) == (
            "Registreras i Nämndens diarium. Omfattas normalt av sekretess (OSL 18:8). "
            "Gallras 6 månader efter handlingens datum.")
        obsolete = pf.disposed("Utkast", amount=None, unit="", trigger="obsolete",
                               registration="not_registered", registration_place="")
        assert lookup.answer(obsolete) == "Registreras inte. Gallras vid inaktualitet."


def test_query_words_are_stemmed_and_small_words_dropped():
    assert lookup.query_terms("Vad gör jag med ett protokoll?") == ["protokoll"]
    assert lookup.query_terms("Leverantörsfakturorna") == lookup.query_terms("leverantörsfaktura")
    assert lookup.query_terms("och") == ["och"]  # only small words: keep them


@pytest.mark.django_db
def test_answers_rank_the_best_fit_first():
    ks, _bun = sample_municipality()

    def names(query: str) -> list[str]:
        return [h.rule.name for h in lookup.what_to_do(ks.pk, query, dt.date(2025, 6, 1))]

    assert names("protokoll")[:2] == ["Protokoll", "Protokollsutdrag"]
    absence = names("frånvaro")  # also inside compound words, ranked above process matches
    assert "Sjukfrånvaroanmälningar" in absence[:3]
    assert all("frånvaro" in name.casefold() for name in absence[:3])
    assert "Leverantörsfakturor" in names("fakturor")
    assert names("zxqvw") == []
    assert lookup.what_to_do(f.authority("X").pk, "protokoll", dt.date(2025, 6, 1)) == []


def test_the_pdf_falls_back_to_a_latin_font(monkeypatch, tmp_path):
    from pypdf import PdfReader

    monkeypatch.setattr(pdf, "FONT_DIRS", [tmp_path])  # no DejaVu there
    processes = [ProcessData("1", "Ledning"), ProcessData("1.2", "Nämnder"),
                 ProcessData("1.2.1", "Bereda ärenden")]
    rules = [pf.disposed("Sjukfrånvaroanmälningar", legal_basis="KS 2024-11-19 § 201 – ny")]
    data = pdf.render(processes, rules, pdf.PdfMeta("Plan för Sjövik", "Version 1"))
    text = " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert data[:5] == b"%PDF-"
    assert "Sjukfrånvaroanmälningar" in text and "§ 201 - ny" in text
    assert "1.2.1 Bereda ärenden" in text


@pytest.mark.django_db
def test_compound_words_and_everyday_words_find_the_plans_terms():
    ks, _bun = sample_municipality()

    def names(query: str) -> list[str]:
        return [h.rule.name for h in lookup.what_to_do(ks.pk, query, dt.date(2025, 6, 1))]

    # A compound the plan writes as a phrase: found by its parts, the phrase first.
    assert names("bygglovsansökan")[0] == "Ansökan om bygglov"
    assert names("Vad gör jag med en bygglovsansökan?")[0] == "Ansökan om bygglov"
    # Everyday words through the synonym list of the plan data.
    assert any("e-post" in name.casefold() for name in names("mejl")[:3])
    assert any("e-post" in name.casefold() for name in names("ett mail")[:3])
    # "post" alone is not e-mail ("e-post" is one word), and nonsense still finds nothing.
    assert not any(name.casefold().startswith("e-post") for name in names("postlista")[:1])
    assert names("zxqvwzxqvw") == []


def test_the_synonym_list_reads_as_indexed_words():
    table = lookup.synonyms()
    assert table["mejl"] == ("epost",)
    assert lookup.words("E-post och e-faktura") == lookup.words("epost och efaktura")
    assert "post" not in lookup.words("E-post")
