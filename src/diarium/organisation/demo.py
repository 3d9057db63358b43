"""The demo organisation: Sjöviks kommun (fictional, about 67,000 inhabitants), its eleven
boards, nine administrations and a user for every role.

Demo passwords follow one pattern: `demo-<username>` (e.g. `registrator` / `demo-registrator`).
They are for trying the system out and must never reach a production database."""

from dataclasses import dataclass

from django.contrib.auth.password_validation import (
    MinimumLengthValidator,
    UserAttributeSimilarityValidator,
    get_default_password_validators,
)

from diarium.core.actors import DEMO
from diarium.organisation import services
from diarium.organisation.models import Authority, Municipality, Role, Unit, User

# (name, municipality code, organisationsnummer). The organisation numbers are invented
# (212000- like every municipality's, with a valid Luhn check digit); every board of
# Sjövik, the joint överförmyndarnämnd too (Sjövik is its host), shares Sjövik's number.
MUNICIPALITY = ("Sjöviks kommun", "9901", "212000-9903")
# The neighbours that share the joint överförmyndarnämnd with Sjövik.
NEIGHBOURS = {"bjorkfors": ("Björkfors kommun", "9902", "212000-9911"),
              "ekeryd": ("Ekeryds kommun", "9903", "212000-9929")}
JOINT_BOARD = "ÖFN"

AUTHORITIES = [
    ("KS", "Kommunstyrelsen"),
    ("BUN", "Barn- och utbildningsnämnden"),
    ("GVN", "Gymnasie- och vuxenutbildningsnämnden"),
    ("SN", "Socialnämnden"),
    ("VON", "Vård- och omsorgsnämnden"),
    ("TN", "Tekniska nämnden"),
    ("MBN", "Miljö- och byggnadsnämnden"),
    ("KFN", "Kultur- och fritidsnämnden"),
    ("VAL", "Valnämnden"),
    ("KLN", "Krisledningsnämnden"),
    (JOINT_BOARD, "Gemensamma överförmyndarnämnden Sjövik, Björkfors och Ekeryd"),
]

# Administration: (the boards it serves, its units).
ADMINISTRATIONS = {
    "Kommunledningsförvaltningen": (
        ["KS", "VAL", "KLN", JOINT_BOARD],
        ["Kansliavdelningen", "Ekonomiavdelningen", "HR-avdelningen", "Överförmyndarenheten",
         "Säkerhet och beredskap"],
    ),
    "Serviceförvaltningen": (
        ["KS", "TN"], ["IT-enheten", "Måltidsservice", "Kontaktcenter"],
    ),
    "Barn- och utbildningsförvaltningen": (
        ["BUN"], ["Förskoleenheten", "Grundskoleenheten", "Centrala elevhälsan"],
    ),
    "Gymnasie- och vuxenutbildningsförvaltningen": (
        ["GVN"], ["Sjövikgymnasiet", "Vuxenutbildningen", "Studie- och yrkesvägledning"],
    ),
    "Socialförvaltningen": (
        ["SN"], ["Barn och familj", "Vuxenenheten", "Ekonomiskt bistånd"],
    ),
    "Vård- och omsorgsförvaltningen": (
        ["VON"], ["Biståndsenheten", "Hemtjänsten", "Särskilt boende"],
    ),
    "Tekniska förvaltningen": (
        ["TN"], ["Gata och park", "VA-enheten", "Fastighetsenheten"],
    ),
    "Samhällsbyggnadsförvaltningen": (
        ["MBN", "KS"], ["Bygglovsenheten", "Miljöenheten", "Planenheten"],
    ),
    "Kultur- och fritidsförvaltningen": (
        ["KFN"], ["Biblioteken", "Fritidsenheten", "Kulturskolan"],
    ),
}

ALL = "*"  # every authority


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    unit: str  # "Administration/Unit"
    roles: dict  # role -> list of authority codes, or ALL
    home: str = ""  # a key of NEIGHBOURS when the user works for a neighbour

    @property
    def password(self) -> str:
        return f"demo-{self.username}"


KLF = "Kommunledningsförvaltningen"
USERS = [
    DemoUser("registrator", "Karin", "Lindqvist", f"{KLF}/Kansliavdelningen",
             {Role.REGISTRATOR: ["KS", "TN", "MBN", "KFN", "VAL", "KLN"]}),
    DemoUser("registrator-bun", "Maria", "Holm", "Barn- och utbildningsförvaltningen/"
             "Förskoleenheten", {Role.REGISTRATOR: ["BUN", "GVN"]}),
    DemoUser("registrator-sn", "Ulla", "Sandberg", "Socialförvaltningen/Vuxenenheten",
             {Role.REGISTRATOR: ["SN", "VON"]}),
    DemoUser("registrator-ofn", "Birgitta", "Ek", f"{KLF}/Överförmyndarenheten",
             {Role.REGISTRATOR: [JOINT_BOARD]}),
    DemoUser("handlaggare", "Erik", "Johansson", f"{KLF}/Kansliavdelningen",
             {Role.OFFICER: ["KS", "KLN"]}),
    DemoUser("handlaggare-bun", "Sara", "Nyberg", "Barn- och utbildningsförvaltningen/"
             "Grundskoleenheten", {Role.OFFICER: ["BUN"]}),
    DemoUser("handlaggare-sn", "Ahmed", "Hassan", "Socialförvaltningen/Barn och familj",
             {Role.OFFICER: ["SN"]}),
    DemoUser("handlaggare-von", "Lena", "Forsberg", "Vård- och omsorgsförvaltningen/"
             "Biståndsenheten", {Role.OFFICER: ["VON"]}),
    DemoUser("handlaggare-tn", "Johan", "Berg", "Tekniska förvaltningen/Gata och park",
             {Role.OFFICER: ["TN"]}),
    DemoUser("handlaggare-mbn", "Elin", "Strand", "Samhällsbyggnadsförvaltningen/"
             "Bygglovsenheten", {Role.OFFICER: ["MBN"]}),
    DemoUser("handlaggare-kfn", "Oskar", "Lund", "Kultur- och fritidsförvaltningen/"
             "Fritidsenheten", {Role.OFFICER: ["KFN"]}),
    DemoUser("handlaggare-gvn", "Nina", "Axelsson", "Gymnasie- och vuxenutbildnings"
             "förvaltningen/Vuxenutbildningen", {Role.OFFICER: ["GVN"]}),
    DemoUser("handlaggare-ofn", "Anders", "Wikström", f"{KLF}/Överförmyndarenheten",
             {Role.OFFICER: [JOINT_BOARD]}),
    DemoUser("handlaggare-bjorkfors", "Sofia", "Lindgren", f"{KLF}/Överförmyndarenheten",
             {Role.OFFICER: [JOINT_BOARD]}, home="bjorkfors"),
    DemoUser("handlaggare-ekeryd", "Per", "Olofsson", f"{KLF}/Överförmyndarenheten",
             {Role.OFFICER: [JOINT_BOARD]}, home="ekeryd"),
    DemoUser("namndsekreterare", "Anna", "Bergström", f"{KLF}/Kansliavdelningen",
             {Role.SECRETARY: ["KS", "VAL", "KLN", JOINT_BOARD]}),
    DemoUser("namndsekreterare-bun", "Mats", "Engström", "Barn- och utbildnings"
             "förvaltningen/Förskoleenheten", {Role.SECRETARY: ["BUN", "GVN"]}),
    DemoUser("namndsekreterare-sn", "Helena", "Sjöberg", "Socialförvaltningen/Vuxenenheten",
             {Role.SECRETARY: ["SN", "VON"]}),
    DemoUser("arkivarie", "Gunnar", "Hedlund", f"{KLF}/Kansliavdelningen",
             {Role.ARCHIVIST: ALL}),
    DemoUser("administrator", "Fredrik", "Nordin", "Serviceförvaltningen/IT-enheten",
             {Role.ADMINISTRATOR: ALL}),
    DemoUser("lasare", "Ingrid", "Åberg", f"{KLF}/Kansliavdelningen",
             {Role.READER: ["KS", "BUN", "TN", "MBN", "KFN"]}),
]
SUPERUSER = "admin"  # for the Django admin only; password demo-admin


@dataclass
class DemoOrganisation:
    municipality: Municipality
    neighbours: dict[str, Municipality]
    authorities: dict[str, Authority]
    units: dict[str, Unit]
    users: dict[str, User]


def demo_municipality() -> Municipality | None:
    return Municipality.objects.filter(code=MUNICIPALITY[1]).first()


def create_organisation() -> DemoOrganisation:
    """Create the organisation through the organisation's services, as the demo loader
    (system:demo), so every row has its audit event. Runs inside the caller's
    transaction."""
    name, code, number = MUNICIPALITY
    muni = services.create_municipality(DEMO, name=name, code=code, organisation_number=number)
    neighbours = {
        key: services.create_municipality(DEMO, name=name, code=code,
                                          organisation_number=number)
        for key, (name, code, number) in NEIGHBOURS.items()
    }
    members = [muni, *neighbours.values()]
    authorities = {
        code: services.create_authority(DEMO, muni, code=code, name=name,
                                        organisation_number=muni.organisation_number,
                                        members=members if code == JOINT_BOARD else ())
        for code, name in AUTHORITIES
    }

    units: dict[str, Unit] = {}
    for name, (served, unit_names) in ADMINISTRATIONS.items():
        administration = services.create_administration(
            DEMO, muni, name=name, authorities=[authorities[c] for c in served])
        for unit_name in unit_names:
            units[f"{name}/{unit_name}"] = services.create_unit(DEMO, administration,
                                                                name=unit_name)

    users = {u.username: _create_user(u, muni, neighbours, authorities, units) for u in USERS}
    services.create_user(DEMO, username=SUPERUSER, municipality=muni,
                         password=f"demo-{SUPERUSER}", password_validators=demo_password_rules(),
                         first_name="Systemadministratör",
                         is_staff=True, is_superuser=True)
    return DemoOrganisation(muni, neighbours, authorities, units, users)


def _create_user(spec: DemoUser, muni, neighbours, authorities, units) -> User:
    user = services.create_user(
        DEMO, username=spec.username, municipality=neighbours[spec.home] if spec.home else muni,
        password=spec.password, password_validators=demo_password_rules(),
        first_name=spec.first_name, last_name=spec.last_name,
        email=f"{spec.username}@sjovik.example", unit=units[spec.unit],
    )
    for role, codes in spec.roles.items():
        for code in (list(authorities) if codes == ALL else codes):
            services.assign_role(DEMO, user, authorities[code], role)
    return user


def demo_password_rules() -> list:
    """Demo passwords are published and made from the username on purpose (so their
    length protects nothing either); every other password rule applies to them."""
    return [v for v in get_default_password_validators()
            if not isinstance(v, UserAttributeSimilarityValidator | MinimumLengthValidator)]
