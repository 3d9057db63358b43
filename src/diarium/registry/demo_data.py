"""The demo's catalogue: case templates per board, and the names and places they use.

Titles are templates filled from the lists below; `{person}` stands for the case's first
person party and never appears in a public title."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Doc:
    direction: str  # "in", "ut" (outgoing) or "upp" (drawn up)
    record_type: str  # the name of a record type of the plan in force
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

# Record types name the sample plan's record types (src/diarium/plan/data/sample_plan*.csv)
# exactly, and classifications are its processes (level 3).
TJUT, UTDRAG = "Tjänsteutlåtande", "Protokollsutdrag"
KOMPL = "Begäran om komplettering"
REMISS_UT, REMISSVAR_IN = "Remiss, utgående", "Remissvar, inkommet"
TILLSYN_IN, TILLSYN_UT = ("Begäran och beslut från tillsynsmyndighet",
                          "Redovisning till tillsynsmyndighet")
SYNPUNKT = "Synpunkter och klagomål"
TILLDELNING = "Tilldelningsbeslut och upphandlingsrapport"
# Record types whose files the public diary publishes (registry/demo.py).
PUBLISHED = (TJUT, TILLDELNING, "Remissvar")
SKADA, SKADEBESLUT = "Skadeståndsanspråk och skadeanmälan", "Beslut i skadeärende"

KS = [
    Template("Medborgarförslag från {person} om {idea}", "Medborgarförslag om {idea}", "1.2.1",
             [Doc(IN, "Medborgarförslag", "Medborgarförslag om {idea}", PER),
              Doc(UPP, TJUT, "Tjänsteskrivelse – svar på medborgarförslag"),
              Doc(UT, UTDRAG, "Protokollsutdrag, kommunfullmäktige § {para}", PER)],
             parties=((PER, "förslagsställare"),), close="Medborgarförslaget besvarat av KF."),
    Template("Motion om {motion}", "Motion om {motion}", "1.2.1",
             [Doc(IN, "Motion", "Motion om {motion}", PER),
              Doc(UPP, TJUT, "Tjänsteskrivelse med förslag till svar"),
              Doc(UPP, UTDRAG, "Protokollsutdrag, kommunstyrelsen § {para}")],
             parties=((PER, "motionär"),), close="Motionen besvarad av kommunfullmäktige."),
    Template("Upphandling av {procurement}", "Upphandling av {procurement}", "2.4.1",
             [Doc(UPP, "Upphandlingsdokument", "Upphandlingsdokument, {procurement}"),
              Doc(IN, "Anbud, antagna", "Anbud", ORG, "OSL 19:3"),
              Doc(IN, "Anbud, ej antagna", "Anbud", "Nordisk Tjänstepartner AB", "OSL 19:3"),
              Doc(UPP, TILLDELNING, "Tilldelningsbeslut"),
              Doc(UT, TILLDELNING, "Underrättelse om tilldelningsbeslut", ORG)],
             parties=((ORG, "anbudsgivare"),), orgs=SUPPLIERS,
             close="Avtal tecknat med vinnande anbudsgivare."),
    Template("Remiss: {remiss}", "Remiss: {remiss}", "1.1.3",
             [Doc(IN, "Remiss, inkommen", "Remiss: {remiss}", "Regeringskansliet"),
              Doc(UPP, TJUT, "Tjänsteskrivelse – förslag till remissvar"),
              Doc(UT, "Remissvar", "Remissvar från Sjöviks kommun", "Regeringskansliet")],
             close="Remissvar lämnat."),
    Template("Årsredovisning {prev_year} för Sjöviks kommun", "Årsredovisning {prev_year} för "
             "Sjöviks kommun", "1.3.1",
             [Doc(UPP, "Årsredovisning och verksamhetsberättelse", "Årsredovisning {prev_year}"),
              Doc(IN, "Revisionsberättelse", "Revisionsberättelse {prev_year}",
                  "De förtroendevalda revisorerna"),
              Doc(UPP, UTDRAG, "Protokollsutdrag, kommunstyrelsen § {para}")],
             close="Årsredovisningen godkänd av kommunfullmäktige."),
    Template("Detaljplan för {area}", "Detaljplan för {area}", "3.1.1",
             [Doc(IN, "Begäran om planbesked", "Begäran om planbesked, {area}", ORG),
              Doc(UPP, "Planbesked", "Positivt planbesked"),
              Doc(UPP, "Planhandlingar", "Plankarta och planbeskrivning, samråd"),
              Doc(IN, "Samråds- och granskningsyttranden", "Samrådsyttrande", "Länsstyrelsen"),
              Doc(UPP, "Samrådsredogörelse och granskningsutlåtande", "Samrådsredogörelse")],
             parties=((ORG, "exploatör"),), orgs=BUILDERS,
             close="Detaljplanen antagen och har vunnit laga kraft."),
    Template("Skadeståndsanspråk från {person}, {damage}", "Skadeståndsanspråk, {damage}",
             "2.6.1",
             [Doc(IN, SKADA, "Skadeståndsanspråk, {damage}", PER),
              Doc(UT, KOMPL, "Begäran om komplettering", PER),
              Doc(IN, SKADA, "Kvitton och foton", PER),
              Doc(UT, SKADEBESLUT, "Beslut om skadeståndsanspråk", PER)],
             parties=((PER, "sökande"),), close="Anspråket avslaget; beslutet har expedierats."),
    Template("Rehabiliteringsärende, {person}", "Rehabiliteringsärende", "2.2.5",
             [Doc(UPP, "Rehabiliteringsutredningar", "Rehabiliteringsplan"),
              Doc(IN, "Rehabiliteringsutredningar", "Läkarintyg", PER),
              Doc(UPP, "Rehabiliteringsutredningar", "Tjänsteanteckning från avstämningsmöte")],
             parties=((PER, "arbetstagare"),), secrecy="OSL 39:1",
             close="Arbetstagaren åter i ordinarie tjänst."),
    Template("Synpunkt om {complaint}", "Synpunkt om {complaint}", "1.4.1",
             [Doc(IN, SYNPUNKT, "Synpunkt via e-tjänsten", PER),
              Doc(UT, SYNPUNKT, "Svar på synpunkt", PER)],
             parties=((PER, "avsändare"),), close="Synpunkten besvarad."),
]

BUN = [
    Template("Anmälan om kränkande behandling, {school}", "Anmälan om kränkande behandling, "
             "{school}", "5.2.5",
             [Doc(IN, "Anmälan och utredning om kränkande behandling",
                  "Anmälan om kränkande behandling", "{school}"),
              Doc(UPP, "Anmälan och utredning om kränkande behandling",
                  "Utredning av kränkande behandling"),
              Doc(UPP, "Åtgärder efter kränkande behandling", "Åtgärder och uppföljning")],
             parties=((PER, "elev"),), secrecy="OSL 23:2", withhold="p",
             close="Utredningen avslutad; åtgärderna följs upp av rektor."),
    Template("Ansökan om skolskjuts för {person}", "Ansökan om skolskjuts", "5.2.3",
             [Doc(IN, "Ansökan och beslut om skolskjuts", "Ansökan om skolskjuts", PER),
              Doc(UT, "Ansökan och beslut om skolskjuts", "Beslut om skolskjuts", PER)],
             parties=((PER, "vårdnadshavare"),), close="Skolskjuts beviljad."),
    Template("Ansökan om plats i förskola, {person}", "Ansökan om plats i förskola", "5.1.1",
             [Doc(IN, "Ansökan om plats i förskola eller fritidshem",
                  "Ansökan om plats i förskola", PER),
              Doc(UT, "Beslut om placering i förskola eller fritidshem",
                  "Erbjudande om plats på {preschool}", PER)],
             parties=((PER, "vårdnadshavare"),), close="Platsen accepterad."),
    Template("Ansökan om tilläggsbelopp, {school}", "Ansökan om tilläggsbelopp, {school}",
             "5.2.4",
             [Doc(IN, "Ansökan om tilläggsbelopp", "Ansökan om tilläggsbelopp för elev",
                  "{school}"),
              Doc(IN, "Ansökan om tilläggsbelopp", "Åtgärdsprogram", "{school}"),
              Doc(UPP, "Beslut om tilläggsbelopp", "Beslut om tilläggsbelopp")],
             parties=((PER, "elev"),), secrecy="OSL 23:2", withhold="pf",
             close="Tilläggsbelopp beviljat för innevarande läsår."),
    Template("Elevhälsoärende, {person}", "Elevhälsoärende", "5.3.1",
             [Doc(IN, "Remiss till elevhälsan", "Remiss till skolpsykolog", "{school}"),
              Doc(UPP, "Psykologutredning", "Utredning, elevhälsans psykologiska insats")],
             parties=((PER, "elev"),), secrecy="OSL 25:1"),
    Template("Ansökan om godkännande av fristående förskola, {org}", "Ansökan om godkännande "
             "av fristående förskola, {org}", "5.1.2",
             [Doc(IN, "Ansökan om godkännande som huvudman",
                  "Ansökan om godkännande som huvudman", ORG),
              Doc(UT, KOMPL, "Begäran om komplettering", ORG),
              Doc(IN, "Ansökan om godkännande som huvudman", "Komplettering av ansökan", ORG),
              Doc(UPP, TJUT, "Tjänsteskrivelse"),
              Doc(UT, "Beslut om godkännande som huvudman", "Beslut om godkännande", ORG)],
             parties=((ORG, "sökande"),), orgs=PRESCHOOL_OWNERS, close="Ansökan beviljad."),
    Template("Skolinspektionens tillsyn av {school}", "Skolinspektionens tillsyn av {school}",
             "1.3.2",
             [Doc(IN, TILLSYN_IN, "Beslut efter tillsyn", "Skolinspektionen"),
              Doc(UPP, TILLSYN_UT, "Redovisning av vidtagna åtgärder"),
              Doc(UT, TILLSYN_UT, "Redovisning till Skolinspektionen", "Skolinspektionen")],
             close="Skolinspektionen har avslutat tillsynen."),
    Template("Internkontrollplan {year} för barn- och utbildningsnämnden", "Internkontrollplan "
             "{year} för barn- och utbildningsnämnden", "1.3.1",
             [Doc(UPP, "Internkontrollplan och uppföljning", "Internkontrollplan {year}"),
              Doc(UPP, UTDRAG, "Protokollsutdrag § {para}")]),
    Template("Klagomål på verksamheten vid {preschool}", "Klagomål på verksamheten vid "
             "{preschool}", "1.4.1",
             [Doc(IN, SYNPUNKT, "Klagomål", PER),
              Doc(UPP, SYNPUNKT, "Tjänsteanteckning, samtal med förskolechef"),
              Doc(UT, SYNPUNKT, "Svar på klagomål", PER)],
             parties=((PER, "klagande"),), close="Klagomålet utrett och besvarat."),
    Template("Ansökan om skolgång i annan kommun, {person}", "Ansökan om skolgång i annan "
             "kommun", "5.2.2",
             [Doc(IN, "Ansökan om skolgång i annan kommun", "Ansökan om skolgång i annan kommun",
                  PER),
              Doc(UT, "Beslut om mottagande i grundskola", "Beslut om mottagande", PER)],
             parties=((PER, "vårdnadshavare"),), close="Ansökan beviljad."),
]

SOCIAL = "OSL 26:1"
SN = [
    Template("Utredning enligt 11 kap. 1 § SoL, barn och unga – {person}", "Utredning enligt "
             "SoL, barn och unga", "6.1.1",
             [Doc(IN, "Orosanmälan och förhandsbedömning", "Orosanmälan", "{school}"),
              Doc(UPP, "Orosanmälan och förhandsbedömning", "Skyddsbedömning"),
              Doc(UPP, "Utredning, barn och unga", "Utredning enligt 11 kap. 1 § SoL"),
              Doc(UT, "Utredning, barn och unga", "Kommunicering av utredning", PER),
              Doc(UPP, "Beslut om insats, barn och unga", "Beslut om insats")],
             parties=((PER, "barn"), (PER, "vårdnadshavare")), secrecy=SOCIAL,
             close="Utredningen avslutad med insats."),
    Template("Ansökan om ekonomiskt bistånd, {person}", "Ansökan om ekonomiskt bistånd",
             "6.2.2",
             [Doc(IN, "Ansökan om ekonomiskt bistånd", "Ansökan om ekonomiskt bistånd", PER),
              Doc(IN, "Ansökan om ekonomiskt bistånd", "Kontoutdrag och hyresavi", PER),
              Doc(UT, "Beslut om ekonomiskt bistånd", "Beslut om ekonomiskt bistånd", PER)],
             parties=((PER, "sökande"),), secrecy=SOCIAL, close="Bistånd beviljat för månaden."),
    Template("Ansökan om kontaktperson, {person}", "Ansökan om insats enligt SoL", "6.2.1",
             [Doc(IN, "Ansökan om bistånd, vuxna", "Ansökan om kontaktperson", PER),
              Doc(UPP, "Utredning, vuxna", "Utredning"),
              Doc(UT, "Beslut om bistånd, vuxna", "Beslut om bistånd", PER)],
             parties=((PER, "sökande"),), secrecy=SOCIAL),
    Template("Ansökan om vård enligt LVU, {person}", "Ansökan om vård enligt LVU", "6.1.2",
             [Doc(UPP, "Utredning om vård enligt LVU", "Utredning inför ansökan om vård"),
              Doc(UT, "Ansökan om vård enligt LVU", "Ansökan om vård enligt 2 § LVU",
                  "Förvaltningsrätten"),
              Doc(IN, "Dom i mål om vård enligt LVU", "Dom", "Förvaltningsrätten")],
             parties=((PER, "barn"), (PER, "vårdnadshavare")), secrecy=SOCIAL),
    Template("Familjehemsutredning, {person}", "Familjehemsutredning", "6.1.3",
             [Doc(UPP, "Familjehemsutredning", "Familjehemsutredning"),
              Doc(IN, "Familjehemsutredning", "Referenstagning", PER),
              Doc(UPP, "Beslut om godkännande av familjehem",
                  "Beslut om godkännande av familjehem")],
             parties=((PER, "familjehem"),), secrecy=SOCIAL,
             close="Familjehemmet godkänt."),
    Template("Ansökan om stadigvarande serveringstillstånd, {org}", "Ansökan om "
             "stadigvarande serveringstillstånd, {org}", "6.6.1",
             [Doc(IN, "Ansökan om serveringstillstånd", "Ansökan om serveringstillstånd", ORG),
              Doc(UT, REMISS_UT, "Remiss till Polismyndigheten", "Polismyndigheten"),
              Doc(IN, REMISSVAR_IN, "Remissyttrande", "Polismyndigheten"),
              Doc(UPP, "Utredning om serveringstillstånd", "Utredning serveringstillstånd"),
              Doc(UT, "Beslut om serveringstillstånd", "Beslut om serveringstillstånd", ORG)],
             parties=((ORG, "sökande"),), orgs=FOOD, close="Serveringstillstånd beviljat."),
    Template("Lex Sarah-rapport, {unit}", "Lex Sarah-rapport, {unit}", "6.5.1",
             [Doc(IN, "Lex Sarah-rapport och utredning", "Rapport om missförhållande",
                  "{unit}"),
              Doc(UPP, "Lex Sarah-rapport och utredning", "Lex Sarah-utredning")],
             secrecy=SOCIAL, withhold="f", close="Utredningen avslutad; åtgärder vidtagna."),
    Template("Verksamhetsplan {year} för individ- och familjeomsorgen", "Verksamhetsplan "
             "{year} för individ- och familjeomsorgen", "1.1.2",
             [Doc(UPP, "Budget och verksamhetsplan", "Verksamhetsplan {year}"),
              Doc(UPP, UTDRAG, "Protokollsutdrag § {para}")]),
]

VON = [
    Template("Ansökan om hemtjänst, {person}", "Ansökan om bistånd enligt SoL", "6.3.1",
             [Doc(IN, "Ansökan om bistånd, äldreomsorg", "Ansökan om hemtjänst", PER),
              Doc(UPP, "Utredning av behov, äldreomsorg", "Utredning av behov"),
              Doc(UT, "Biståndsbeslut, äldreomsorg", "Beslut om hemtjänst", PER)],
             parties=((PER, "sökande"),), secrecy=SOCIAL, close="Hemtjänst beviljad."),
    Template("Ansökan om särskilt boende, {person}", "Ansökan om bistånd enligt SoL", "6.3.1",
             [Doc(IN, "Ansökan om bistånd, äldreomsorg", "Ansökan om särskilt boende", PER),
              Doc(IN, "Utredning av behov, äldreomsorg", "Läkarintyg", PER),
              Doc(UPP, "Utredning av behov, äldreomsorg", "Utredning av behov"),
              Doc(UT, "Biståndsbeslut, äldreomsorg", "Beslut om särskilt boende", PER)],
             parties=((PER, "sökande"),), secrecy=SOCIAL, close="Plats erbjuden på {home}."),
    Template("Lex Sarah-utredning, {home}", "Lex Sarah-utredning, {home}", "6.5.1",
             [Doc(IN, "Lex Sarah-rapport och utredning", "Rapport om missförhållande",
                  "{home}"),
              Doc(UPP, "Lex Sarah-rapport och utredning", "Lex Sarah-utredning"),
              Doc(UT, "Anmälan enligt lex Sarah", "Anmälan till IVO",
                  "Inspektionen för vård och omsorg")],
             secrecy=SOCIAL, withhold="f", close="Anmält till IVO; åtgärder vidtagna."),
    Template("Lex Maria-anmälan, {home}", "Lex Maria-anmälan, {home}", "6.4.1",
             [Doc(UPP, "Händelseanalys", "Händelseanalys"),
              Doc(UT, "Anmälan enligt lex Maria", "Anmälan enligt lex Maria",
                  "Inspektionen för vård och omsorg")],
             secrecy="OSL 25:1", withhold="f"),
    Template("Upphandling av trygghetslarm", "Upphandling av trygghetslarm", "2.4.1",
             [Doc(UPP, "Upphandlingsdokument", "Upphandlingsdokument, trygghetslarm"),
              Doc(IN, "Anbud, antagna", "Anbud", ORG, "OSL 19:3"),
              Doc(UPP, TILLDELNING, "Tilldelningsbeslut")],
             parties=((ORG, "anbudsgivare"),), orgs=ALARMS),
    Template("IVO:s tillsyn av {home}", "IVO:s tillsyn av {home}", "1.3.2",
             [Doc(IN, TILLSYN_IN, "Begäran om yttrande", "Inspektionen för vård och omsorg"),
              Doc(UT, TILLSYN_UT, "Yttrande till IVO", "Inspektionen för vård och omsorg")],
             close="IVO har avslutat ärendet utan kritik."),
]

GVN = [
    Template("Ansökan om studier inom vuxenutbildningen, {person}", "Ansökan om studier inom "
             "kommunal vuxenutbildning", "5.4.2",
             [Doc(IN, "Ansökan om kommunal vuxenutbildning", "Ansökan om studier", PER),
              Doc(UT, "Beslut om antagning till kommunal vuxenutbildning",
                  "Beslut om antagning", PER)],
             parties=((PER, "sökande"),), close="Sökanden antagen."),
    Template("Elevhälsoärende, Sjövikgymnasiet – {person}", "Elevhälsoärende, "
             "Sjövikgymnasiet", "5.3.1",
             [Doc(IN, "Anmälan om behov av särskilt stöd", "Anmälan om behov av särskilt stöd",
                  "Sjövikgymnasiet"),
              Doc(UPP, "Utredning om särskilt stöd", "Kartläggning och pedagogisk bedömning")],
             parties=((PER, "elev"),), secrecy="OSL 23:2"),
    Template("Interkommunal ersättning {year}, {neighbour}", "Interkommunal ersättning {year}, "
             "{neighbour}", "5.4.3",
             [Doc(UT, "Underlag för interkommunal ersättning",
                  "Underlag interkommunal ersättning", "{neighbour}"),
              Doc(IN, "Avtal av principiell betydelse", "Samverkansavtal gymnasieskola",
                  "{neighbour}")]),
    Template("Mottagande på introduktionsprogram, {person}", "Mottagande på "
             "introduktionsprogram", "5.4.1",
             [Doc(IN, "Ansökan om mottagande i gymnasieskolan", "Ansökan om mottagande", PER),
              Doc(UT, "Beslut om mottagande i gymnasieskolan", "Beslut om mottagande", PER)],
             parties=((PER, "sökande"),)),
    Template("Programutbud för gymnasieskolan läsåret {year}/{next_year}", "Programutbud för "
             "gymnasieskolan läsåret {year}/{next_year}", "1.1.2",
             [Doc(UPP, TJUT, "Tjänsteskrivelse, programutbud"),
              Doc(UPP, UTDRAG, "Protokollsutdrag § {para}")]),
]

TN = [
    Template("Parkeringstillstånd för rörelsehindrade, {person}", "Ansökan om "
             "parkeringstillstånd för rörelsehindrade", "4.1.4",
             [Doc(IN, "Ansökan om parkeringstillstånd för rörelsehindrade",
                  "Ansökan om parkeringstillstånd", PER),
              Doc(IN, "Läkarintyg för parkeringstillstånd", "Läkarintyg", PER, "OSL 21:1"),
              Doc(UT, "Beslut om parkeringstillstånd", "Beslut om parkeringstillstånd", PER)],
             parties=((PER, "sökande"),), secrecy="OSL 21:1", withhold="pf",
             close="Tillstånd beviljat i två år."),
    Template("Felanmälan, gatubelysning på {street}", "Felanmälan, gatubelysning på {street}",
             "4.1.1",
             [Doc(IN, "Felanmälan", "Felanmälan via e-tjänsten", PER),
              Doc(UT, "Felanmälan", "Svar på felanmälan", PER)],
             parties=((PER, "anmälare"),), close="Belysningen lagad."),
    Template("Schakttillstånd, {street}, {org}", "Schakttillstånd, {street}, {org}", "4.1.2",
             [Doc(IN, "Ansökan om schakttillstånd", "Ansökan om schakttillstånd", ORG),
              Doc(UT, "Schakttillstånd", "Schakttillstånd med villkor", ORG)],
             parties=((ORG, "sökande"),), orgs=NETWORKS,
             close="Återställning besiktigad och godkänd."),
    Template("Lokal trafikföreskrift om hastighet på {street}", "Lokal trafikföreskrift om "
             "hastighet på {street}", "4.1.3",
             [Doc(UPP, TJUT, "Tjänsteskrivelse, hastighetsöversyn"),
              Doc(UT, REMISS_UT, "Remiss till Polismyndigheten", "Polismyndigheten"),
              Doc(UPP, "Lokal trafikföreskrift", "Lokal trafikföreskrift")],
             close="Föreskriften kungjord i Svensk trafikföreskriftssamling."),
    Template("Upplåtelse av offentlig plats, {place}, {org}", "Upplåtelse av offentlig plats, "
             "{place}, {org}", "4.1.2",
             [Doc(IN, "Ansökan om upplåtelse av offentlig plats", "Ansökan om upplåtelse", ORG),
              Doc(UT, "Yttrande om upplåtelse av offentlig plats",
                  "Yttrande till Polismyndigheten", "Polismyndigheten")],
             parties=((ORG, "sökande"),), orgs=FOOD),
    Template("VA-taxa {next_year}", "VA-taxa {next_year}", "1.1.1",
             [Doc(UPP, TJUT, "Förslag till VA-taxa {next_year}"),
              Doc(UPP, UTDRAG, "Protokollsutdrag § {para}")]),
    Template("Skadeanmälan från {person}, översvämning på {street}", "Skadeanmälan, "
             "översvämning på {street}", "2.6.1",
             [Doc(IN, SKADA, "Skadeanmälan", PER),
              Doc(UT, SKADEBESLUT, "Beslut om ersättning", PER)],
             parties=((PER, "sökande"),), close="Ersättning beviljad enligt VA-lagen."),
    Template("Upphandling av vinterväghållning {year}–{end_year}", "Upphandling av "
             "vinterväghållning {year}–{end_year}", "2.4.1",
             [Doc(UPP, "Upphandlingsdokument", "Upphandlingsdokument, vinterväghållning"),
              Doc(IN, "Anbud, antagna", "Anbud", ORG, "OSL 19:3"),
              Doc(IN, "Anbud, ej antagna", "Anbud", "Norrlands Entreprenad AB", "OSL 19:3"),
              Doc(UPP, TILLDELNING, "Tilldelningsbeslut")],
             parties=((ORG, "anbudsgivare"),), orgs=SUPPLIERS),
]

LOV_NOTICE = "Kungörelser och underrättelser"
MBN = [
    Template("Bygglov för nybyggnad av enbostadshus, {property}", "Bygglov för nybyggnad av "
             "enbostadshus, {property}", "3.2.1",
             [Doc(IN, "Ansökan om bygglov", "Ansökan om bygglov", PER),
              Doc(IN, "Ansökan om bygglov", "Fasad- och planritningar", PER),
              Doc(UT, "Föreläggande om komplettering", "Föreläggande om komplettering", PER),
              Doc(UPP, "Bygglovsbeslut", "Beslut om bygglov"),
              Doc(UT, LOV_NOTICE, "Underrättelse om beslut", PER)],
             parties=((PER, "sökande"),), close="Bygglov beviljat; startbesked givet."),
    Template("Bygglov för tillbyggnad av fritidshus, {property}", "Bygglov för tillbyggnad av "
             "fritidshus, {property}", "3.2.1",
             [Doc(IN, "Ansökan om bygglov", "Ansökan om bygglov", PER),
              Doc(UT, LOV_NOTICE, "Underrättelse till grannar", "Sakägare"),
              Doc(UPP, "Bygglovsbeslut", "Beslut om bygglov")],
             parties=((PER, "sökande"),), close="Bygglov beviljat."),
    Template("Anmälan om installation av eldstad, {property}", "Anmälan om installation av "
             "eldstad, {property}", "3.2.2",
             [Doc(IN, "Anmälan om anmälningspliktig åtgärd", "Anmälan om eldstad", PER),
              Doc(UT, "Startbesked och slutbesked", "Startbesked", PER)],
             parties=((PER, "byggherre"),), close="Slutbesked givet."),
    Template("Strandskyddsdispens, {property}", "Strandskyddsdispens, {property}", "3.3.1",
             [Doc(IN, "Ansökan om strandskyddsdispens", "Ansökan om strandskyddsdispens", PER),
              Doc(UPP, "Tjänsteanteckning", "Tjänsteanteckning från platsbesök"),
              Doc(UT, "Beslut om strandskyddsdispens", "Beslut om dispens", PER),
              Doc(UT, "Beslut om strandskyddsdispens", "Beslut för kännedom", "Länsstyrelsen")],
             parties=((PER, "sökande"),), close="Dispens beviljad."),
    Template("Klagomål på buller från {org}", "Klagomål på buller från {org}", "3.3.3",
             [Doc(IN, "Klagomål på olägenhet", "Klagomål på buller", PER),
              Doc(UT, "Kommunicering och yttranden i tillsynsärende", "Begäran om yttrande",
                  ORG),
              Doc(IN, "Kommunicering och yttranden i tillsynsärende",
                  "Yttrande från verksamhetsutövaren", ORG),
              Doc(UPP, "Mätningar och provtagningar", "Tjänsteanteckning från bullermätning")],
             parties=((PER, "klagande"), (ORG, "verksamhetsutövare")), orgs=INDUSTRY,
             close="Mätningen visade inga överskridanden av riktvärdena."),
    Template("Livsmedelskontroll, {org}", "Livsmedelskontroll, {org}", "3.3.4",
             [Doc(UPP, "Kontrollrapport, livsmedel", "Kontrollrapport"),
              Doc(UT, "Kontrollrapport, livsmedel", "Kontrollrapport för kännedom", ORG),
              Doc(UT, "Beslut om avgift för offentlig kontroll", "Beslut om avgift", ORG)],
             parties=((ORG, "livsmedelsföretagare"),), orgs=FOOD,
             close="Kontrollen avslutad utan avvikelser."),
    Template("Enskild avloppsanläggning, {property}", "Enskild avloppsanläggning, {property}",
             "3.3.2",
             [Doc(IN, "Ansökan om avloppsanläggning",
                  "Ansökan om tillstånd för avloppsanläggning", PER),
              Doc(UPP, "Beslut om avloppsanläggning", "Beslut om tillstånd med villkor"),
              Doc(IN, "Utförandeintyg för avloppsanläggning", "Intyg om utfört arbete", ORG)],
             parties=((PER, "fastighetsägare"), (ORG, "entreprenör")), orgs=BUILDERS,
             close="Anläggningen färdigställd."),
    Template("Olovligt byggande, {property}", "Olovligt byggande, {property}", "3.2.3",
             [Doc(UPP, "Tillsynsanteckningar, byggnadstillsyn",
                  "Tjänsteanteckning från platsbesök"),
              Doc(UT, "Kommunicering inför ingripande",
                  "Kommunicering inför beslut om sanktionsavgift", PER)],
             parties=((PER, "fastighetsägare"),)),
    Template("Förhandsbesked för nybyggnad, {property}", "Förhandsbesked för nybyggnad, "
             "{property}", "3.2.1",
             [Doc(IN, "Ansökan om förhandsbesked", "Ansökan om förhandsbesked", PER),
              Doc(UT, "Remisser och yttranden i lovärende", "Remiss till Trafikverket",
                  "Trafikverket"),
              Doc(IN, "Remisser och yttranden i lovärende", "Remissvar", "Trafikverket"),
              Doc(UPP, "Beslut om förhandsbesked", "Beslut om förhandsbesked")],
             parties=((PER, "sökande"),), close="Positivt förhandsbesked lämnat."),
]

KFN = [
    Template("Föreningsbidrag {year}, {org}", "Föreningsbidrag {year}, {org}", "7.1.1",
             [Doc(IN, "Ansökan om föreningsbidrag", "Ansökan om verksamhetsbidrag", ORG),
              Doc(UT, "Beslut om föreningsbidrag", "Beslut om bidrag", ORG)],
             parties=((ORG, "sökande"),), orgs=CLUBS, close="Bidrag utbetalt."),
    Template("Arrangemangsbidrag, {org}", "Arrangemangsbidrag, {org}", "7.1.1",
             [Doc(IN, "Ansökan om föreningsbidrag", "Ansökan om arrangemangsbidrag", ORG),
              Doc(IN, "Redovisning av föreningsbidrag", "Redovisning av arrangemang", ORG)],
             parties=((ORG, "sökande"),), orgs=CLUBS, close="Redovisningen godkänd."),
    Template("Kulturstipendium {year}, nominering av {person}", "Kulturstipendium {year}, "
             "nominering", "7.2.1",
             [Doc(IN, "Nominering till stipendium", "Nominering till kulturstipendium", PER),
              Doc(UPP, UTDRAG, "Protokollsutdrag § {para}")],
             parties=((PER, "nominerad"),), close="Stipendiet delat ut."),
    Template("Biblioteksplan {year}–{end_year}", "Biblioteksplan {year}–{end_year}", "7.3.1",
             [Doc(UPP, "Biblioteksplan", "Förslag till biblioteksplan"),
              Doc(UT, REMISS_UT, "Remiss till nämnderna", "Nämnderna i Sjöviks kommun")]),
    Template("Driftsavtal för {venue}, {org}", "Driftsavtal för {venue}, {org}", "2.4.2",
             [Doc(UPP, "Övriga avtal", "Driftsavtal"),
              Doc(IN, "Övriga avtal", "Undertecknat avtal", ORG)],
             parties=((ORG, "avtalspart"),), orgs=CLUBS, close="Avtalet tecknat."),
    Template("Konstinköp till {place}", "Konstinköp till {place}", "7.2.2",
             [Doc(UPP, TJUT, "Förslag till konstinköp"),
              Doc(IN, "Offert och avtal om konstinköp", "Offert från konstnären", PER)],
             parties=((PER, "konstnär"),)),
]

VAL = [
    Template("Allmänna valen {election_year} – vallokaler", "Allmänna valen {election_year} – "
             "vallokaler", "1.5.1",
             [Doc(UPP, TJUT, "Förslag till vallokaler"),
              Doc(UT, "Beslut om vallokaler och röstningslokaler",
                  "Vallokaler och röstningslokaler", "Valmyndigheten")]),
    Template("Rekrytering av röstmottagare {election_year}", "Rekrytering av röstmottagare "
             "{election_year}", "1.5.1",
             [Doc(UPP, "Plan för rekrytering och utbildning av röstmottagare",
                  "Rekryterings- och utbildningsplan")]),
    Template("Valdistriktsindelning inför valet {election_year}", "Valdistriktsindelning inför "
             "valet {election_year}", "1.5.1",
             [Doc(UPP, "Valdistriktsindelning", "Förslag till valdistrikt"),
              Doc(UT, "Valdistriktsindelning", "Underlag till länsstyrelsen", "Länsstyrelsen")],
             close="Länsstyrelsen har fastställt indelningen."),
]

SAFETY = "OSL 18:13"
KLN = [
    Template("Risk- och sårbarhetsanalys {year}", "Risk- och sårbarhetsanalys {year}", "1.6.1",
             [Doc(UPP, "Risk- och sårbarhetsanalys", "Risk- och sårbarhetsanalys"),
              Doc(UT, "Risk- och sårbarhetsanalys", "Redovisning till länsstyrelsen",
                  "Länsstyrelsen")],
             secrecy=SAFETY, withhold="f", close="Analysen redovisad till länsstyrelsen."),
    Template("Plan för extraordinära händelser", "Plan för extraordinära händelser", "1.6.2",
             [Doc(UPP, "Plan för hantering av extraordinära händelser",
                  "Plan för extraordinära händelser"),
              Doc(UPP, "Kontaktlista för krisledning", "Kontaktlista för krisledningsstaben", "",
                  "OSL 18:8")]),
    Template("Utvärdering av krisövning {prev_year}", "Utvärdering av krisövning {prev_year}",
             "1.6.3",
             [Doc(UPP, "Utvärdering av övning", "Utvärderingsrapport")],
             close="Rapporten fastställd."),
    Template("Kontinuitetsplan för dricksvattenförsörjning", "Kontinuitetsplan för "
             "dricksvattenförsörjning", "1.6.2",
             [Doc(UPP, "Kontinuitetsplan", "Kontinuitetsplan"),
              Doc(IN, "Kontinuitetsplan", "Sårbarhetsbedömning", "Sjövik Vatten AB")],
             secrecy=SAFETY, withhold="f"),
    Template("Extraordinär händelse – elavbrott i {area}", "Extraordinär händelse – elavbrott "
             "i {area}", "1.6.4",
             [Doc(UPP, "Lägesbild", "Lägesbild"),
              Doc(UPP, "Beslut under extraordinär händelse", "Beslut om stabsläge"),
              Doc(UPP, "Händelserapport", "Efterhandsrapport")],
             close="Händelsen avslutad och utvärderad."),
]

# The joint board's record types and processes are its local additions to the plan
# (sample_plan_ofn.csv).
GUARDIANSHIP = "OSL 32:4"
OFN = [
    Template("Ansökan om godmanskap, {person}", "Ansökan om godmanskap", "8.1.1",
             [Doc(IN, "Ansökan om godmanskap eller förvaltarskap", "Ansökan om godmanskap",
                  PER),
              Doc(IN, "Ansökan om godmanskap eller förvaltarskap", "Läkarintyg", PER),
              Doc(UT, "Ansökan och yttrande till tingsrätten", "Ansökan till tingsrätten",
                  "Tingsrätten"),
              Doc(IN, "Beslut om ställföreträdarskap", "Tingsrättens beslut", "Tingsrätten")],
             parties=((PER, "huvudman"), (PER, "god man")), secrecy=GUARDIANSHIP,
             close="Godmanskap anordnat av tingsrätten."),
    Template("Årsräkning {prev_year}, {person}", "Granskning av årsräkning {prev_year}", "8.1.2",
             [Doc(IN, "Årsräkning", "Årsräkning {prev_year}", PER),
              Doc(UT, KOMPL, "Begäran om komplettering", PER),
              Doc(IN, "Verifikationer till årsräkning", "Kontoutdrag", PER),
              Doc(UPP, "Granskning av årsräkning", "Granskningsanteckning")],
             parties=((PER, "huvudman"), (PER, "ställföreträdare")), secrecy=GUARDIANSHIP,
             close="Årsräkningen granskad utan anmärkning."),
    Template("Samtycke till försäljning av fastighet, {person}", "Ansökan om samtycke enligt "
             "föräldrabalken", "8.1.3",
             [Doc(IN, "Ansökan om samtycke eller uttag", "Ansökan om samtycke", PER),
              Doc(IN, "Ansökan om samtycke eller uttag", "Värderingsintyg",
                  "Mäklarhuset Sjövik AB"),
              Doc(UT, "Beslut om samtycke eller uttag", "Beslut om samtycke", PER)],
             parties=((PER, "huvudman"), (PER, "god man")), secrecy=GUARDIANSHIP,
             close="Samtycke lämnat."),
    Template("Uttag från spärrat konto, {person}", "Ansökan om uttag från spärrat konto",
             "8.1.3",
             [Doc(IN, "Ansökan om samtycke eller uttag", "Ansökan om uttag", PER),
              Doc(UT, "Beslut om samtycke eller uttag", "Beslut", PER)],
             parties=((PER, "huvudman"),), secrecy=GUARDIANSHIP, close="Uttag medgivet."),
    Template("Byte av god man, {person}", "Byte av ställföreträdare", "8.1.1",
             [Doc(IN, "Begäran om byte av ställföreträdare", "Begäran om entledigande", PER),
              Doc(UPP, "Lämplighetsprövning av ställföreträdare",
                  "Lämplighetsprövning av ny god man"),
              Doc(UT, "Beslut om ställföreträdarskap", "Beslut om byte av god man", PER)],
             parties=((PER, "huvudman"), (PER, "god man")), secrecy=GUARDIANSHIP,
             close="Ny god man förordnad."),
    Template("Rekrytering och utbildning av ställföreträdare {year}", "Rekrytering och "
             "utbildning av ställföreträdare {year}", "8.2.1",
             [Doc(UPP, "Utbildning av ställföreträdare", "Utbildningsplan"),
              Doc(UT, "Utbildning av ställföreträdare", "Inbjudan till utbildning",
                  "Ställföreträdare")]),
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
