"""The demo's catalogue: case templates per board, and the names and places they use.

Titles are templates filled from the lists below; `{person}` stands for the case's first
person party and never appears in a public title."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Doc:
    direction: str  # "in", "ut" (outgoing) or "upp" (drawn up)
    record_type: str
    title: str
    who: str = ""  # "person", "org", "" (the officer's unit) or a literal sender
    secrecy: str = ""  # a provision marking this document only


@dataclass(frozen=True)
class Template:
    title: str
    public: str
    classification: str
    docs: list[Doc]
    parties: tuple = ()  # (kind, role) pairs: kind "person" or "org"
    secrecy: str = ""  # provision marking the case and its documents
    withhold: str = "tpf"  # with secrecy: t = title, p = parties, f = files withheld
    orgs: tuple = ()  # where the "org" party comes from (default: BUSINESSES)
    close: str = "Ärendet avslutat. Beslutet har expedierats."


FIRST_NAMES = [
    "Anna", "Eva", "Maria", "Karin", "Sara", "Emma", "Elin", "Johanna", "Linnea", "Maja",
    "Ebba", "Alva", "Fatima", "Amira", "Zeynep", "Lars", "Anders", "Johan", "Karl", "Erik",
    "Mikael", "Per", "Nils", "Oscar", "Hugo", "Liam", "Elias", "Omar", "Ali", "Mohammed",
    "Björn", "Göran", "Åsa", "Ingrid", "Sven",
]
LAST_NAMES = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Lindström",
    "Jakobsson", "Magnusson", "Holmberg", "Hedlund", "Öberg", "Sundqvist", "Mohammadi",
    "Yilmaz", "Nguyen", "Virtanen", "Kowalski", "Ali", "Åkesson", "Ek", "Blom", "Falk",
]
STREETS = [
    "Storgatan", "Kyrkogatan", "Sjövägen", "Björkallén", "Hamngatan", "Skolgatan",
    "Järnvägsgatan", "Lärkstigen", "Tallvägen", "Ekbackevägen", "Norra Strandgatan",
    "Kvarngatan", "Prästgårdsvägen",
]
# (city, postal code prefix) per municipality code
CITIES = {"9901": [("Sjövik", "745"), ("Norrby", "746")], "9902": [("Björkfors", "748")],
          "9903": [("Ekeryd", "749")]}
PROPERTY_NAMES = ["Lärkan", "Ekbacken", "Tallen", "Måsen", "Sjöboden", "Kvarnen", "Rönnen",
                  "Hägern", "Vallmon", "Norrby", "Solvik"]
BUILDERS = ("Sjöviks Bygg & Mark AB", "Sjövik Entreprenad AB", "Mälarstrand Fastigheter AB")
FOOD = ("Café Hamnen i Sjövik AB", "Restaurang Sjökrogen AB", "Pizzeria Napoli Sjövik AB")
NETWORKS = ("Norrbyns Elnät AB", "Nordisk Fiber AB", "Sjövik Entreprenad AB")
PRESCHOOL_OWNERS = ("Förskolan Ekorren AB", "Montessoriförskolan Humlan AB")
INDUSTRY = ("Lindbergs Åkeri AB", "Norrbyns Sågverk AB", "Sjöviks Bygg & Mark AB")
SUPPLIERS = ("Sjöviks Golvservice AB", "Nordisk Fiber AB", "Lindbergs Åkeri AB",
             "Sjövik Entreprenad AB", "Mälardalens Skoltransporter AB")
ALARMS = ("Trygghetslarm Norden AB", "Omsorgsteknik i Mälardalen AB")
BUSINESSES = tuple(dict.fromkeys(BUILDERS + FOOD + NETWORKS + INDUSTRY + SUPPLIERS))
CLUBS = ("Sjöviks IF", "Norrby Bollklubb", "Sjöviks Konstförening", "Scoutkåren Sjövik",
         "Sjöviks Simsällskap", "Föreningen Sjöviks Hembygdsgård", "Sjöviks Ridklubb",
         "Norrby Hockeyförening")
SCHOOLS = ["Ekbackeskolan", "Sjöviksskolan", "Norrängsskolan", "Lärkstigens skola",
           "Kvarnbyskolan"]
PRESCHOOLS = ["förskolan Solrosen", "förskolan Ekorren", "förskolan Blåklinten",
              "förskolan Myran"]
HOMES = ["Björkgårdens äldreboende", "Solhemmet", "Sjöbrisens vård- och omsorgsboende"]
UNITS = ["Barn och familj", "Vuxenenheten", "Ekonomiskt bistånd"]
AREAS = ["Norra Hamnen", "Ekbacken etapp 2", "Kvarnbyn", "Solviks industriområde",
         "Stationsområdet"]
PLACES = ["Stora torget", "Hamnplan", "Stadsparken", "Sjöviksbadet", "Resecentrum"]
VENUES = ["Sjöviks ishall", "Norrby idrottsplats", "Sjöviksbadet", "Hembygdsgården"]
IDEAS = ["utegym vid Sjöviksbadet", "fler papperskorgar i Stadsparken", "hundrastgård i "
         "Norrby", "belysning på gångvägen till stationen", "laddstolpar vid simhallen",
         "en ny lekplats i Kvarnbyn", "sittbänkar längs Sjöpromenaden"]
MOTIONS = ["solceller på kommunens fastigheter", "gratis kollektivtrafik för pensionärer",
           "en ungdomsgård i Norrby", "minskat matsvinn i skolan", "trygghetsvandringar",
           "ett kommunalt näringslivsråd"]
REMISSER = ["Ny lag om kommunal krisberedskap", "Ett stärkt skydd för dricksvatten",
            "Betänkandet Framtidens socialtjänst", "Förslag till nationell strategi för "
            "digitalisering", "Ändrade regler om strandskydd"]
PROCUREMENTS = ["skolskjutsar", "städtjänster", "livsmedel till kommunens kök",
                "IT-driftstjänster", "snöröjning"]
DAMAGES = ["halkolycka på Storgatan", "skada på bil vid vägarbete", "vattenskada i källare",
           "cykelolycka i Stadsparken"]
COMPLAINTS = ["snöröjningen i Norrby", "öppettiderna på biblioteket", "skräp i Stadsparken",
              "busstrafiken till Kvarnbyn", "kommunens webbplats"]

IN, UT, UPP = "in", "ut", "upp"
PER, ORG = "person", "org"

KS = [
    Template("Medborgarförslag från {person} om {idea}", "Medborgarförslag om {idea}", "1.2.1",
             [Doc(IN, "Medborgarförslag", "Medborgarförslag om {idea}", PER),
              Doc(UPP, "Tjänsteskrivelse", "Tjänsteskrivelse – svar på medborgarförslag"),
              Doc(UT, "Protokollsutdrag", "Protokollsutdrag, kommunfullmäktige § {para}", PER)],
             parties=((PER, "förslagsställare"),), close="Medborgarförslaget besvarat av KF."),
    Template("Motion om {motion}", "Motion om {motion}", "1.2.1",
             [Doc(IN, "Motion", "Motion om {motion}", PER),
              Doc(UPP, "Tjänsteskrivelse", "Tjänsteskrivelse med förslag till svar"),
              Doc(UPP, "Protokollsutdrag", "Protokollsutdrag, kommunstyrelsen § {para}")],
             parties=((PER, "motionär"),), close="Motionen besvarad av kommunfullmäktige."),
    Template("Upphandling av {procurement}", "Upphandling av {procurement}", "2.5.1",
             [Doc(UPP, "Upphandlingsdokument", "Upphandlingsdokument, {procurement}"),
              Doc(IN, "Anbud", "Anbud", ORG, "OSL 19:3"),
              Doc(IN, "Anbud", "Anbud", "Nordisk Tjänstepartner AB", "OSL 19:3"),
              Doc(UPP, "Tilldelningsbeslut", "Tilldelningsbeslut"),
              Doc(UT, "Underrättelse", "Underrättelse om tilldelningsbeslut", ORG)],
             parties=((ORG, "anbudsgivare"),), orgs=SUPPLIERS,
             close="Avtal tecknat med vinnande anbudsgivare."),
    Template("Remiss: {remiss}", "Remiss: {remiss}", "1.3.2",
             [Doc(IN, "Remiss", "Remiss: {remiss}", "Regeringskansliet"),
              Doc(UPP, "Tjänsteskrivelse", "Tjänsteskrivelse – förslag till remissvar"),
              Doc(UT, "Remissvar", "Remissvar från Sjöviks kommun", "Regeringskansliet")],
             close="Remissvar lämnat."),
    Template("Årsredovisning {prev_year} för Sjöviks kommun", "Årsredovisning {prev_year} för "
             "Sjöviks kommun", "1.4.2",
             [Doc(UPP, "Årsredovisning", "Årsredovisning {prev_year}"),
              Doc(IN, "Revisionsberättelse", "Revisionsberättelse {prev_year}",
                  "De förtroendevalda revisorerna"),
              Doc(UPP, "Protokollsutdrag", "Protokollsutdrag, kommunstyrelsen § {para}")],
             close="Årsredovisningen godkänd av kommunfullmäktige."),
    Template("Detaljplan för {area}", "Detaljplan för {area}", "3.4.1",
             [Doc(IN, "Begäran om planbesked", "Begäran om planbesked, {area}", ORG),
              Doc(UPP, "Planbesked", "Positivt planbesked"),
              Doc(UPP, "Samrådshandling", "Plankarta och planbeskrivning, samråd"),
              Doc(IN, "Yttrande", "Samrådsyttrande", "Länsstyrelsen"),
              Doc(UPP, "Samrådsredogörelse", "Samrådsredogörelse")],
             parties=((ORG, "exploatör"),), orgs=BUILDERS,
             close="Detaljplanen antagen och har vunnit laga kraft."),
    Template("Skadeståndsanspråk från {person}, {damage}", "Skadeståndsanspråk, {damage}",
             "2.6.1",
             [Doc(IN, "Skadeståndsanspråk", "Skadeståndsanspråk, {damage}", PER),
              Doc(UT, "Begäran om komplettering", "Begäran om komplettering", PER),
              Doc(IN, "Komplettering", "Kvitton och foton", PER),
              Doc(UT, "Beslut", "Beslut om skadeståndsanspråk", PER)],
             parties=((PER, "sökande"),), close="Anspråket avslaget; beslutet har expedierats."),
    Template("Rehabiliteringsärende, {person}", "Rehabiliteringsärende", "2.3.4",
             [Doc(UPP, "Rehabiliteringsplan", "Rehabiliteringsplan"),
              Doc(IN, "Läkarintyg", "Läkarintyg", PER),
              Doc(UPP, "Tjänsteanteckning", "Tjänsteanteckning från avstämningsmöte")],
             parties=((PER, "arbetstagare"),), secrecy="OSL 39:1",
             close="Arbetstagaren åter i ordinarie tjänst."),
    Template("Synpunkt om {complaint}", "Synpunkt om {complaint}", "1.5.1",
             [Doc(IN, "Synpunkt", "Synpunkt via e-tjänsten", PER),
              Doc(UT, "Svar", "Svar på synpunkt", PER)],
             parties=((PER, "avsändare"),), close="Synpunkten besvarad."),
]

BUN = [
    Template("Anmälan om kränkande behandling, {school}", "Anmälan om kränkande behandling, "
             "{school}", "3.1.5",
             [Doc(IN, "Anmälan", "Anmälan om kränkande behandling", "{school}"),
              Doc(UPP, "Utredning", "Utredning av kränkande behandling"),
              Doc(UPP, "Åtgärdsplan", "Åtgärder och uppföljning")],
             parties=((PER, "elev"),), secrecy="OSL 23:2", withhold="p",
             close="Utredningen avslutad; åtgärderna följs upp av rektor."),
    Template("Ansökan om skolskjuts för {person}", "Ansökan om skolskjuts", "3.1.3",
             [Doc(IN, "Ansökan", "Ansökan om skolskjuts", PER),
              Doc(UT, "Beslut", "Beslut om skolskjuts", PER)],
             parties=((PER, "vårdnadshavare"),), close="Skolskjuts beviljad."),
    Template("Ansökan om tilläggsbelopp, {school}", "Ansökan om tilläggsbelopp, {school}",
             "3.1.4",
             [Doc(IN, "Ansökan", "Ansökan om tilläggsbelopp för elev", "{school}"),
              Doc(IN, "Åtgärdsprogram", "Åtgärdsprogram", "{school}"),
              Doc(UPP, "Beslut", "Beslut om tilläggsbelopp")],
             parties=((PER, "elev"),), secrecy="OSL 23:2", withhold="pf",
             close="Tilläggsbelopp beviljat för innevarande läsår."),
    Template("Elevhälsoärende, {person}", "Elevhälsoärende", "3.1.6",
             [Doc(IN, "Remiss", "Remiss till skolpsykolog", "{school}"),
              Doc(UPP, "Journalanteckning", "Utredning, elevhälsans psykologiska insats")],
             parties=((PER, "elev"),), secrecy="OSL 25:1"),
    Template("Ansökan om godkännande av fristående förskola, {org}", "Ansökan om godkännande "
             "av fristående förskola, {org}", "3.1.1",
             [Doc(IN, "Ansökan", "Ansökan om godkännande som huvudman", ORG),
              Doc(UT, "Begäran om komplettering", "Begäran om komplettering", ORG),
              Doc(IN, "Komplettering", "Komplettering av ansökan", ORG),
              Doc(UPP, "Tjänsteskrivelse", "Tjänsteskrivelse"),
              Doc(UT, "Beslut", "Beslut om godkännande", ORG)],
             parties=((ORG, "sökande"),), orgs=PRESCHOOL_OWNERS, close="Ansökan beviljad."),
    Template("Skolinspektionens tillsyn av {school}", "Skolinspektionens tillsyn av {school}",
             "3.1.7",
             [Doc(IN, "Tillsynsbeslut", "Beslut efter tillsyn", "Skolinspektionen"),
              Doc(UPP, "Redovisning", "Redovisning av vidtagna åtgärder"),
              Doc(UT, "Redovisning", "Redovisning till Skolinspektionen", "Skolinspektionen")],
             close="Skolinspektionen har avslutat tillsynen."),
    Template("Internkontrollplan {year} för barn- och utbildningsnämnden", "Internkontrollplan "
             "{year} för barn- och utbildningsnämnden", "1.4.3",
             [Doc(UPP, "Internkontrollplan", "Internkontrollplan {year}"),
              Doc(UPP, "Protokollsutdrag", "Protokollsutdrag § {para}")]),
    Template("Klagomål på verksamheten vid {preschool}", "Klagomål på verksamheten vid "
             "{preschool}", "1.5.1",
             [Doc(IN, "Klagomål", "Klagomål", PER),
              Doc(UPP, "Tjänsteanteckning", "Tjänsteanteckning, samtal med förskolechef"),
              Doc(UT, "Svar", "Svar på klagomål", PER)],
             parties=((PER, "klagande"),), close="Klagomålet utrett och besvarat."),
    Template("Ansökan om skolgång i annan kommun, {person}", "Ansökan om skolgång i annan "
             "kommun", "3.1.2",
             [Doc(IN, "Ansökan", "Ansökan om skolgång i annan kommun", PER),
              Doc(UT, "Beslut", "Beslut om mottagande", PER)],
             parties=((PER, "vårdnadshavare"),), close="Ansökan beviljad."),
]

SOCIAL = "OSL 26:1"
SN = [
    Template("Utredning enligt 11 kap. 1 § SoL, barn och unga – {person}", "Utredning enligt "
             "SoL, barn och unga", "3.2.1",
             [Doc(IN, "Orosanmälan", "Orosanmälan", "{school}"),
              Doc(UPP, "Skyddsbedömning", "Skyddsbedömning"),
              Doc(UPP, "Utredning", "Utredning enligt 11 kap. 1 § SoL"),
              Doc(UT, "Kommunicering", "Kommunicering av utredning", PER),
              Doc(UPP, "Beslut", "Beslut om insats")],
             parties=((PER, "barn"), (PER, "vårdnadshavare")), secrecy=SOCIAL,
             close="Utredningen avslutad med insats."),
    Template("Ansökan om ekonomiskt bistånd, {person}", "Ansökan om ekonomiskt bistånd",
             "3.2.3",
             [Doc(IN, "Ansökan", "Ansökan om ekonomiskt bistånd", PER),
              Doc(IN, "Underlag", "Kontoutdrag och hyresavi", PER),
              Doc(UT, "Beslut", "Beslut om ekonomiskt bistånd", PER)],
             parties=((PER, "sökande"),), secrecy=SOCIAL, close="Bistånd beviljat för månaden."),
    Template("Ansökan om kontaktperson, {person}", "Ansökan om insats enligt SoL", "3.2.2",
             [Doc(IN, "Ansökan", "Ansökan om kontaktperson", PER),
              Doc(UPP, "Utredning", "Utredning"),
              Doc(UT, "Beslut", "Beslut om bistånd", PER)],
             parties=((PER, "sökande"),), secrecy=SOCIAL),
    Template("Ansökan om vård enligt LVU, {person}", "Ansökan om vård enligt LVU", "3.2.1",
             [Doc(UPP, "Utredning", "Utredning inför ansökan om vård"),
              Doc(UT, "Ansökan", "Ansökan om vård enligt 2 § LVU", "Förvaltningsrätten"),
              Doc(IN, "Dom", "Dom", "Förvaltningsrätten")],
             parties=((PER, "barn"), (PER, "vårdnadshavare")), secrecy=SOCIAL),
    Template("Familjehemsutredning, {person}", "Familjehemsutredning", "3.2.4",
             [Doc(UPP, "Utredning", "Familjehemsutredning"),
              Doc(IN, "Referenser", "Referenstagning", PER),
              Doc(UPP, "Beslut", "Beslut om godkännande av familjehem")],
             parties=((PER, "familjehem"),), secrecy=SOCIAL,
             close="Familjehemmet godkänt."),
    Template("Ansökan om stadigvarande serveringstillstånd, {org}", "Ansökan om "
             "stadigvarande serveringstillstånd, {org}", "3.2.6",
             [Doc(IN, "Ansökan", "Ansökan om serveringstillstånd", ORG),
              Doc(UT, "Remiss", "Remiss till Polismyndigheten", "Polismyndigheten"),
              Doc(IN, "Yttrande", "Remissyttrande", "Polismyndigheten"),
              Doc(UPP, "Utredning", "Utredning serveringstillstånd"),
              Doc(UT, "Beslut", "Beslut om serveringstillstånd", ORG)],
             parties=((ORG, "sökande"),), orgs=FOOD, close="Serveringstillstånd beviljat."),
    Template("Lex Sarah-rapport, {unit}", "Lex Sarah-rapport, {unit}", "3.2.7",
             [Doc(IN, "Rapport", "Rapport om missförhållande", "{unit}"),
              Doc(UPP, "Utredning", "Lex Sarah-utredning")],
             secrecy=SOCIAL, withhold="f", close="Utredningen avslutad; åtgärder vidtagna."),
    Template("Verksamhetsplan {year} för individ- och familjeomsorgen", "Verksamhetsplan "
             "{year} för individ- och familjeomsorgen", "1.4.1",
             [Doc(UPP, "Verksamhetsplan", "Verksamhetsplan {year}"),
              Doc(UPP, "Protokollsutdrag", "Protokollsutdrag § {para}")]),
]

VON = [
    Template("Ansökan om hemtjänst, {person}", "Ansökan om bistånd enligt SoL", "3.3.1",
             [Doc(IN, "Ansökan", "Ansökan om hemtjänst", PER),
              Doc(UPP, "Utredning", "Utredning av behov"),
              Doc(UT, "Beslut", "Beslut om hemtjänst", PER)],
             parties=((PER, "sökande"),), secrecy=SOCIAL, close="Hemtjänst beviljad."),
    Template("Ansökan om särskilt boende, {person}", "Ansökan om bistånd enligt SoL", "3.3.2",
             [Doc(IN, "Ansökan", "Ansökan om särskilt boende", PER),
              Doc(IN, "Intyg", "Läkarintyg", PER),
              Doc(UPP, "Utredning", "Utredning av behov"),
              Doc(UT, "Beslut", "Beslut om särskilt boende", PER)],
             parties=((PER, "sökande"),), secrecy=SOCIAL, close="Plats erbjuden på {home}."),
    Template("Lex Sarah-utredning, {home}", "Lex Sarah-utredning, {home}", "3.3.5",
             [Doc(IN, "Rapport", "Rapport om missförhållande", "{home}"),
              Doc(UPP, "Utredning", "Lex Sarah-utredning"),
              Doc(UT, "Anmälan", "Anmälan till IVO", "Inspektionen för vård och omsorg")],
             secrecy=SOCIAL, withhold="f", close="Anmält till IVO; åtgärder vidtagna."),
    Template("Lex Maria-anmälan, {home}", "Lex Maria-anmälan, {home}", "3.3.6",
             [Doc(UPP, "Händelseanalys", "Händelseanalys"),
              Doc(UT, "Anmälan", "Anmälan enligt lex Maria", "Inspektionen för vård och omsorg")],
             secrecy="OSL 25:1", withhold="f"),
    Template("Upphandling av trygghetslarm", "Upphandling av trygghetslarm", "2.5.1",
             [Doc(UPP, "Upphandlingsdokument", "Upphandlingsdokument, trygghetslarm"),
              Doc(IN, "Anbud", "Anbud", ORG, "OSL 19:3"),
              Doc(UPP, "Tilldelningsbeslut", "Tilldelningsbeslut")],
             parties=((ORG, "anbudsgivare"),), orgs=ALARMS),
    Template("IVO:s tillsyn av {home}", "IVO:s tillsyn av {home}", "3.3.7",
             [Doc(IN, "Begäran om yttrande", "Begäran om yttrande",
                  "Inspektionen för vård och omsorg"),
              Doc(UT, "Yttrande", "Yttrande till IVO", "Inspektionen för vård och omsorg")],
             close="IVO har avslutat ärendet utan kritik."),
]

GVN = [
    Template("Ansökan om studier inom vuxenutbildningen, {person}", "Ansökan om studier inom "
             "kommunal vuxenutbildning", "3.1.8",
             [Doc(IN, "Ansökan", "Ansökan om studier", PER),
              Doc(UT, "Beslut", "Beslut om antagning", PER)],
             parties=((PER, "sökande"),), close="Sökanden antagen."),
    Template("Elevhälsoärende, Sjövikgymnasiet – {person}", "Elevhälsoärende, "
             "Sjövikgymnasiet", "3.1.6",
             [Doc(IN, "Anmälan", "Anmälan till elevhälsan", "Sjövikgymnasiet"),
              Doc(UPP, "Kartläggning", "Kartläggning och åtgärdsprogram")],
             parties=((PER, "elev"),), secrecy="OSL 23:2"),
    Template("Interkommunal ersättning {year}, {neighbour}", "Interkommunal ersättning {year}, "
             "{neighbour}", "2.1.3",
             [Doc(UT, "Faktura", "Underlag interkommunal ersättning", "{neighbour}"),
              Doc(IN, "Avtal", "Samverkansavtal gymnasieskola", "{neighbour}")]),
    Template("Mottagande på introduktionsprogram, {person}", "Mottagande på "
             "introduktionsprogram", "3.1.8",
             [Doc(IN, "Ansökan", "Ansökan om mottagande", PER),
              Doc(UT, "Beslut", "Beslut om mottagande", PER)],
             parties=((PER, "sökande"),)),
    Template("Programutbud för gymnasieskolan läsåret {year}/{next_year}", "Programutbud för "
             "gymnasieskolan läsåret {year}/{next_year}", "1.4.1",
             [Doc(UPP, "Tjänsteskrivelse", "Tjänsteskrivelse, programutbud"),
              Doc(UPP, "Protokollsutdrag", "Protokollsutdrag § {para}")]),
]

TN = [
    Template("Parkeringstillstånd för rörelsehindrade, {person}", "Ansökan om "
             "parkeringstillstånd för rörelsehindrade", "3.5.3",
             [Doc(IN, "Ansökan", "Ansökan om parkeringstillstånd", PER),
              Doc(IN, "Läkarintyg", "Läkarintyg", PER, "OSL 21:1"),
              Doc(UT, "Beslut", "Beslut om parkeringstillstånd", PER)],
             parties=((PER, "sökande"),), secrecy="OSL 21:1", withhold="pf",
             close="Tillstånd beviljat i två år."),
    Template("Felanmälan, gatubelysning på {street}", "Felanmälan, gatubelysning på {street}",
             "3.5.1",
             [Doc(IN, "Felanmälan", "Felanmälan via e-tjänsten", PER),
              Doc(UT, "Svar", "Svar på felanmälan", PER)],
             parties=((PER, "anmälare"),), close="Belysningen lagad."),
    Template("Schakttillstånd, {street}, {org}", "Schakttillstånd, {street}, {org}", "3.5.2",
             [Doc(IN, "Ansökan", "Ansökan om schakttillstånd", ORG),
              Doc(UT, "Tillstånd", "Schakttillstånd med villkor", ORG)],
             parties=((ORG, "sökande"),), orgs=NETWORKS,
             close="Återställning besiktigad och godkänd."),
    Template("Lokal trafikföreskrift om hastighet på {street}", "Lokal trafikföreskrift om "
             "hastighet på {street}", "3.5.4",
             [Doc(UPP, "Tjänsteskrivelse", "Tjänsteskrivelse, hastighetsöversyn"),
              Doc(UT, "Remiss", "Remiss till Polismyndigheten", "Polismyndigheten"),
              Doc(UPP, "Föreskrift", "Lokal trafikföreskrift")],
             close="Föreskriften kungjord i Svensk trafikföreskriftssamling."),
    Template("Upplåtelse av offentlig plats, {place}, {org}", "Upplåtelse av offentlig plats, "
             "{place}, {org}", "3.5.2",
             [Doc(IN, "Ansökan", "Ansökan om upplåtelse", ORG),
              Doc(UT, "Yttrande", "Yttrande till Polismyndigheten", "Polismyndigheten")],
             parties=((ORG, "sökande"),), orgs=FOOD),
    Template("VA-taxa {next_year}", "VA-taxa {next_year}", "2.1.2",
             [Doc(UPP, "Tjänsteskrivelse", "Förslag till VA-taxa {next_year}"),
              Doc(UPP, "Protokollsutdrag", "Protokollsutdrag § {para}")]),
    Template("Skadeanmälan från {person}, översvämning på {street}", "Skadeanmälan, "
             "översvämning på {street}", "2.6.1",
             [Doc(IN, "Skadeanmälan", "Skadeanmälan", PER),
              Doc(UT, "Beslut", "Beslut om ersättning", PER)],
             parties=((PER, "sökande"),), close="Ersättning beviljad enligt VA-lagen."),
    Template("Upphandling av vinterväghållning {year}–{end_year}", "Upphandling av "
             "vinterväghållning {year}–{end_year}", "2.5.1",
             [Doc(UPP, "Upphandlingsdokument", "Upphandlingsdokument, vinterväghållning"),
              Doc(IN, "Anbud", "Anbud", ORG, "OSL 19:3"),
              Doc(IN, "Anbud", "Anbud", "Norrlands Entreprenad AB", "OSL 19:3"),
              Doc(UPP, "Tilldelningsbeslut", "Tilldelningsbeslut")],
             parties=((ORG, "anbudsgivare"),), orgs=SUPPLIERS),
]

MBN = [
    Template("Bygglov för nybyggnad av enbostadshus, {property}", "Bygglov för nybyggnad av "
             "enbostadshus, {property}", "3.4.2",
             [Doc(IN, "Ansökan", "Ansökan om bygglov", PER),
              Doc(IN, "Ritningar", "Fasad- och planritningar", PER),
              Doc(UT, "Begäran om komplettering", "Begäran om komplettering", PER),
              Doc(UPP, "Delegationsbeslut", "Beslut om bygglov"),
              Doc(UT, "Beslut", "Underrättelse om beslut", PER)],
             parties=((PER, "sökande"),), close="Bygglov beviljat; startbesked givet."),
    Template("Bygglov för tillbyggnad av fritidshus, {property}", "Bygglov för tillbyggnad av "
             "fritidshus, {property}", "3.4.2",
             [Doc(IN, "Ansökan", "Ansökan om bygglov", PER),
              Doc(UT, "Grannehörande", "Underrättelse till grannar", "Sakägare"),
              Doc(UPP, "Delegationsbeslut", "Beslut om bygglov")],
             parties=((PER, "sökande"),), close="Bygglov beviljat."),
    Template("Anmälan om installation av eldstad, {property}", "Anmälan om installation av "
             "eldstad, {property}", "3.4.3",
             [Doc(IN, "Anmälan", "Anmälan om eldstad", PER),
              Doc(UT, "Startbesked", "Startbesked", PER)],
             parties=((PER, "byggherre"),), close="Slutbesked givet."),
    Template("Strandskyddsdispens, {property}", "Strandskyddsdispens, {property}", "3.4.4",
             [Doc(IN, "Ansökan", "Ansökan om strandskyddsdispens", PER),
              Doc(UPP, "Tjänsteanteckning", "Tjänsteanteckning från platsbesök"),
              Doc(UT, "Beslut", "Beslut om dispens", PER),
              Doc(UT, "Beslut", "Beslut för kännedom", "Länsstyrelsen")],
             parties=((PER, "sökande"),), close="Dispens beviljad."),
    Template("Klagomål på buller från {org}", "Klagomål på buller från {org}", "3.4.6",
             [Doc(IN, "Klagomål", "Klagomål på buller", PER),
              Doc(UT, "Begäran om yttrande", "Begäran om yttrande", ORG),
              Doc(IN, "Yttrande", "Yttrande från verksamhetsutövaren", ORG),
              Doc(UPP, "Tjänsteanteckning", "Tjänsteanteckning från bullermätning")],
             parties=((PER, "klagande"), (ORG, "verksamhetsutövare")), orgs=INDUSTRY,
             close="Mätningen visade inga överskridanden av riktvärdena."),
    Template("Livsmedelskontroll, {org}", "Livsmedelskontroll, {org}", "3.4.7",
             [Doc(UPP, "Kontrollrapport", "Kontrollrapport"),
              Doc(UT, "Kontrollrapport", "Kontrollrapport för kännedom", ORG),
              Doc(UT, "Faktura", "Beslut om avgift", ORG)],
             parties=((ORG, "livsmedelsföretagare"),), orgs=FOOD,
             close="Kontrollen avslutad utan avvikelser."),
    Template("Enskild avloppsanläggning, {property}", "Enskild avloppsanläggning, {property}",
             "3.4.5",
             [Doc(IN, "Ansökan", "Ansökan om tillstånd för avloppsanläggning", PER),
              Doc(UPP, "Beslut", "Beslut om tillstånd med villkor"),
              Doc(IN, "Egenkontroll", "Intyg om utfört arbete", ORG)],
             parties=((PER, "fastighetsägare"), (ORG, "entreprenör")), orgs=BUILDERS,
             close="Anläggningen färdigställd."),
    Template("Olovligt byggande, {property}", "Olovligt byggande, {property}", "3.4.8",
             [Doc(UPP, "Tjänsteanteckning", "Tjänsteanteckning från platsbesök"),
              Doc(UT, "Kommunicering", "Kommunicering inför beslut om sanktionsavgift", PER)],
             parties=((PER, "fastighetsägare"),)),
    Template("Förhandsbesked för nybyggnad, {property}", "Förhandsbesked för nybyggnad, "
             "{property}", "3.4.2",
             [Doc(IN, "Ansökan", "Ansökan om förhandsbesked", PER),
              Doc(UT, "Remiss", "Remiss till Trafikverket", "Trafikverket"),
              Doc(IN, "Yttrande", "Remissvar", "Trafikverket"),
              Doc(UPP, "Beslut", "Beslut om förhandsbesked")],
             parties=((PER, "sökande"),), close="Positivt förhandsbesked lämnat."),
]

KFN = [
    Template("Föreningsbidrag {year}, {org}", "Föreningsbidrag {year}, {org}", "3.6.1",
             [Doc(IN, "Ansökan", "Ansökan om verksamhetsbidrag", ORG),
              Doc(UT, "Beslut", "Beslut om bidrag", ORG)],
             parties=((ORG, "sökande"),), orgs=CLUBS, close="Bidrag utbetalt."),
    Template("Arrangemangsbidrag, {org}", "Arrangemangsbidrag, {org}", "3.6.1",
             [Doc(IN, "Ansökan", "Ansökan om arrangemangsbidrag", ORG),
              Doc(IN, "Redovisning", "Redovisning av arrangemang", ORG)],
             parties=((ORG, "sökande"),), orgs=CLUBS, close="Redovisningen godkänd."),
    Template("Kulturstipendium {year}, nominering av {person}", "Kulturstipendium {year}, "
             "nominering", "3.6.2",
             [Doc(IN, "Nominering", "Nominering till kulturstipendium", PER),
              Doc(UPP, "Protokollsutdrag", "Protokollsutdrag § {para}")],
             parties=((PER, "nominerad"),), close="Stipendiet delat ut."),
    Template("Biblioteksplan {year}–{end_year}", "Biblioteksplan {year}–{end_year}", "1.4.1",
             [Doc(UPP, "Plan", "Förslag till biblioteksplan"),
              Doc(UT, "Remiss", "Remiss till nämnderna", "Nämnderna i Sjöviks kommun")]),
    Template("Driftsavtal för {venue}, {org}", "Driftsavtal för {venue}, {org}", "2.5.3",
             [Doc(UPP, "Avtal", "Driftsavtal"),
              Doc(IN, "Avtal", "Undertecknat avtal", ORG)],
             parties=((ORG, "avtalspart"),), orgs=CLUBS, close="Avtalet tecknat."),
    Template("Konstinköp till {place}", "Konstinköp till {place}", "3.6.3",
             [Doc(UPP, "Tjänsteskrivelse", "Förslag till konstinköp"),
              Doc(IN, "Offert", "Offert från konstnären", PER)],
             parties=((PER, "konstnär"),)),
]

VAL = [
    Template("Allmänna valen {election_year} – vallokaler", "Allmänna valen {election_year} – "
             "vallokaler", "1.1.2",
             [Doc(UPP, "Tjänsteskrivelse", "Förslag till vallokaler"),
              Doc(UT, "Underlag", "Vallokaler och röstningslokaler", "Valmyndigheten")]),
    Template("Rekrytering av röstmottagare {election_year}", "Rekrytering av röstmottagare "
             "{election_year}", "1.1.2",
             [Doc(UPP, "Plan", "Rekryterings- och utbildningsplan")]),
    Template("Valdistriktsindelning inför valet {election_year}", "Valdistriktsindelning inför "
             "valet {election_year}", "1.1.2",
             [Doc(UPP, "Förslag", "Förslag till valdistrikt"),
              Doc(UT, "Yttrande", "Underlag till länsstyrelsen", "Länsstyrelsen")],
             close="Länsstyrelsen har fastställt indelningen."),
]

SAFETY = "OSL 18:13"
KLN = [
    Template("Risk- och sårbarhetsanalys {year}", "Risk- och sårbarhetsanalys {year}", "1.6.1",
             [Doc(UPP, "RSA", "Risk- och sårbarhetsanalys"),
              Doc(UT, "Redovisning", "Redovisning till länsstyrelsen", "Länsstyrelsen")],
             secrecy=SAFETY, withhold="f", close="Analysen redovisad till länsstyrelsen."),
    Template("Plan för extraordinära händelser", "Plan för extraordinära händelser", "1.6.2",
             [Doc(UPP, "Plan", "Plan för extraordinära händelser"),
              Doc(UPP, "Bilaga", "Kontaktlista för krisledningsstaben", "", SAFETY)]),
    Template("Utvärdering av krisövning {prev_year}", "Utvärdering av krisövning {prev_year}",
             "1.6.3",
             [Doc(UPP, "Utvärdering", "Utvärderingsrapport")], close="Rapporten fastställd."),
    Template("Kontinuitetsplan för dricksvattenförsörjning", "Kontinuitetsplan för "
             "dricksvattenförsörjning", "1.6.2",
             [Doc(UPP, "Plan", "Kontinuitetsplan"), Doc(IN, "Underlag", "Sårbarhetsbedömning",
                                                      "Sjövik Vatten AB")],
             secrecy=SAFETY, withhold="f"),
    Template("Extraordinär händelse – elavbrott i {area}", "Extraordinär händelse – elavbrott "
             "i {area}", "1.6.4",
             [Doc(UPP, "Lägesbild", "Lägesbild"), Doc(UPP, "Beslut", "Beslut om stabsläge"),
              Doc(UPP, "Rapport", "Efterhandsrapport")],
             close="Händelsen avslutad och utvärderad."),
]

GUARDIANSHIP = "OSL 32:4"
OFN = [
    Template("Ansökan om godmanskap, {person}", "Ansökan om godmanskap", "3.7.1",
             [Doc(IN, "Ansökan", "Ansökan om godmanskap", PER),
              Doc(IN, "Läkarintyg", "Läkarintyg", PER),
              Doc(UT, "Ansökan", "Ansökan till tingsrätten", "Tingsrätten"),
              Doc(IN, "Beslut", "Tingsrättens beslut", "Tingsrätten")],
             parties=((PER, "huvudman"), (PER, "god man")), secrecy=GUARDIANSHIP,
             close="Godmanskap anordnat av tingsrätten."),
    Template("Årsräkning {prev_year}, {person}", "Granskning av årsräkning {prev_year}", "3.7.2",
             [Doc(IN, "Årsräkning", "Årsräkning {prev_year}", PER),
              Doc(UT, "Begäran om komplettering", "Begäran om komplettering", PER),
              Doc(IN, "Komplettering", "Kontoutdrag", PER),
              Doc(UPP, "Granskning", "Granskningsanteckning")],
             parties=((PER, "huvudman"), (PER, "ställföreträdare")), secrecy=GUARDIANSHIP,
             close="Årsräkningen granskad utan anmärkning."),
    Template("Samtycke till försäljning av fastighet, {person}", "Ansökan om samtycke enligt "
             "föräldrabalken", "3.7.3",
             [Doc(IN, "Ansökan", "Ansökan om samtycke", PER),
              Doc(IN, "Värdering", "Värderingsintyg", "Mäklarhuset Sjövik AB"),
              Doc(UT, "Beslut", "Beslut om samtycke", PER)],
             parties=((PER, "huvudman"), (PER, "god man")), secrecy=GUARDIANSHIP,
             close="Samtycke lämnat."),
    Template("Uttag från spärrat konto, {person}", "Ansökan om uttag från spärrat konto",
             "3.7.3",
             [Doc(IN, "Ansökan", "Ansökan om uttag", PER), Doc(UT, "Beslut", "Beslut", PER)],
             parties=((PER, "huvudman"),), secrecy=GUARDIANSHIP, close="Uttag medgivet."),
    Template("Byte av god man, {person}", "Byte av ställföreträdare", "3.7.1",
             [Doc(IN, "Begäran", "Begäran om entledigande", PER),
              Doc(UPP, "Lämplighetsprövning", "Lämplighetsprövning av ny god man"),
              Doc(UT, "Beslut", "Beslut om byte av god man", PER)],
             parties=((PER, "huvudman"), (PER, "god man")), secrecy=GUARDIANSHIP,
             close="Ny god man förordnad."),
    Template("Rekrytering och utbildning av ställföreträdare {year}", "Rekrytering och "
             "utbildning av ställföreträdare {year}", "3.7.4",
             [Doc(UPP, "Plan", "Utbildningsplan"), Doc(UT, "Inbjudan", "Inbjudan till "
                                                      "utbildning", "Ställföreträdare")]),
]

# Board code -> (templates, number of cases).
CATALOGUE = {
    "KS": (KS, 46), "BUN": (BUN, 40), "SN": (SN, 40), "VON": (VON, 24), "GVN": (GVN, 20),
    "TN": (TN, 30), "MBN": (MBN, 46), "KFN": (KFN, 20), "VAL": (VAL, 5), "KLN": (KLN, 6),
    "ÖFN": (OFN, 30),
}

VOID_REASONS = [
    "Felregistrering – ärendet hör till en annan nämnd och har registrerats där.",
    "Dubblettregistrering av samma inkomna handling.",
    "Registrerat av misstag vid inskanning av post.",
]

INBOX = {
    "KS": [
        ("Ella Berglund", "Fråga om bygget vid Norra Hamnen",
         "Hej! När beräknas bygget vid Norra Hamnen vara klart? Vänliga hälsningar, Ella"),
        ("Regeringskansliet", "Remiss: Ett stärkt skydd för dricksvatten",
         "Remissen bifogas. Svar senast om tre månader."),
        ("Mälarstrand Fastigheter AB", "Begäran om planbesked för kvarteret Måsen",
         "Bifogat finns vår begäran om planbesked."),
        ("Anonym", "Begäran om allmän handling",
         "Jag vill ta del av kommunstyrelsens delegationsbeslut från förra månaden."),
    ],
    "BUN": [
        ("Rektor, Ekbackeskolan", "Anmälan om kränkande behandling",
         "Anmälan enligt 6 kap. 10 § skollagen bifogas."),
        ("Förskolan Ekorren AB", "Ändrade öppettider under sommaren",
         "Vi meddelar ändrade öppettider vecka 28–31."),
        ("Skolinspektionen", "Begäran om redovisning",
         "Skolinspektionen begär redovisning av vidtagna åtgärder."),
    ],
}
