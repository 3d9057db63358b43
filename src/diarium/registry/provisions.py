"""Secrecy provisions of the Public Access and Secrecy Act (offentlighets- och
sekretesslagen, OSL) as data: what a secrecy marking cites.

A provision is a chapter, a section (§) and optionally a paragraph (stycke), with a short
Swedish description and the usual (longest) secrecy period. The list below seeds the
register with the provisions a municipality uses most; administrators add more in the
staff UI. A marking is stored with a reference to its provision and shown in words:
"OSL 26 kap. 1 §". Markings made before the register (free text) that name a provision
were linked to it by the migration; others keep their text, shown as it is.

The descriptions and periods are a starting point, written for this register: each
municipality reviews them against the law as it stands."""

import re
from dataclasses import dataclass

ACT = "OSL"

# "OSL 26:1", "26:1", "OSL 26 kap. 1 §", "26 kap 1 § 2 st.", "OSL 26:1 2 st"
_CITATION = re.compile(
    r"^\s*(?:OSL\s*)?(?P<chapter>\d{1,2})\s*(?::|kap\.?)\s*(?P<section>\d{1,3})\s*(?:§\s*)?"
    r"(?:(?P<paragraph>\d{1,2})\s*st(?:\.|ycket)?)?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Citation:
    chapter: int
    section: int
    paragraph: int = 0  # 0: the whole section

    def __str__(self) -> str:
        return format_citation(self.chapter, self.section, self.paragraph)


def format_citation(chapter: int, section: int, paragraph: int = 0) -> str:
    text = f"{ACT} {chapter} kap. {section} §"
    return f"{text} {paragraph} st." if paragraph else text


def parse_citation(text: str) -> Citation | None:
    """The provision a text names, in any of the usual ways of writing it; None when the
    text names none ("hemligt")."""
    match = _CITATION.match(text or "")
    if not match:
        return None
    return Citation(int(match["chapter"]), int(match["section"]), int(match["paragraph"] or 0))


@dataclass(frozen=True)
class Seed:
    chapter: int
    section: int
    description: str
    years: int | None
    paragraph: int = 0


# The provisions a municipality's boards cite most often.
SEEDS = (
    Seed(15, 2, "Försvarssekretess: uppgift som rör totalförsvaret", 40),
    Seed(17, 4, "Prov: uppgift i prov eller underlag för prov, t.ex. nationella prov", 10),
    Seed(18, 8, "Säkerhets- och bevakningsåtgärder för byggnader, system och personer", 40),
    Seed(18, 13, "Krisberedskap: risk- och sårbarhetsanalyser och planering", 40),
    Seed(19, 1, "Kommunens affärsverksamhet: ekonomiska förhållanden", 20),
    Seed(19, 3, "Upphandling: anbud och uppgifter om affärsförhållanden", 20),
    Seed(21, 1, "Hälsa och sexualliv: uppgifter som kan skada en enskild", 70),
    Seed(21, 3, "Skyddad adress: var en person som hotas eller förföljs kan nås", 70),
    Seed(21, 5, "Utlänningar: uppgifter vars röjande kan utsätta någon för fara", 50),
    Seed(21, 7, "Personuppgifter som skulle behandlas i strid med dataskyddsreglerna", 70),
    Seed(23, 1, "Förskola och annan pedagogisk verksamhet: barnets personliga förhållanden", 50),
    Seed(23, 2, "Skola: elevhälsa, särskilt stöd och elevens personliga förhållanden", 70),
    Seed(24, 8, "Statistik: uppgift om en enskild i statistikverksamhet", 70),
    Seed(25, 1, "Hälso- och sjukvård: enskilds hälsotillstånd och personliga förhållanden", 70),
    Seed(26, 1, "Socialtjänst: enskilds personliga förhållanden", 70),
    Seed(26, 5, "Socialtjänst: anmälare och uppgiftslämnare", 70),
    Seed(30, 23, "Tillsyn över näringsverksamhet: affärs- och driftförhållanden", 20),
    Seed(31, 16, "Enskildas affärs- och driftförhållanden i kommunal verksamhet", 20),
    Seed(32, 4, "Överförmyndare: enskilds personliga och ekonomiska förhållanden", 70),
    Seed(39, 1, "Personalsocial verksamhet: enskilds personliga förhållanden", 70),
    Seed(39, 3, "Personaladministration: hälsa och personliga förhållanden", 50),
)
