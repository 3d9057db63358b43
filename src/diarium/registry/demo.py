"""Demo cases for the demo organisation, written through the registry's services so that
every case, party, document and state change has its audit event.

Everything is drawn from one seeded random generator: the same code gives the same cases,
parties and documents on every run (the dates count back from the day it runs).
Personnummer and organisationsnummer are random but carry a correct check digit.

The cases are spread over the years since the sample plan came into force (at most five):
each is opened, its documents registered, and it is closed, set dormant or voided on its
own past days, in date order, as the registry would have done then (`Clock`). So the
diary numbers run by year, the audit log and the documents' registration dates agree
with the cases' dates, older cases are more often closed, and the disposal list, the
ageing report and the six-month mark (FL 12 §) have real content on the demo."""

import contextlib
import datetime as dt
import io
import itertools
import random
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from diarium.core.actors import DEMO
from diarium.organisation.demo import JOINT_BOARD, DemoOrganisation
from diarium.organisation.models import Role, User
from diarium.plan import selectors as plan
from diarium.plan import services as plan_services
from diarium.plan.models import RecordType
from diarium.plan.sample import VALID_FROM
from diarium.registry import demo_data as data
from diarium.registry import demo_templates, enforcement, services
from diarium.registry.identity import luhn_ok
from diarium.registry.models import Case, DiarySeries, Party, PartyKind

SEED = 67_000
DIRECTIONS = {"in": "incoming", "ut": "outgoing", "upp": "internal"}
YOUNG_ROLES = {"barn", "elev"}
OLD_ROLES = {"huvudman"}


def check_digit(nine_digits: str) -> str:
    return next(d for d in "0123456789" if luhn_ok(nine_digits + d))


def personnummer(rng: random.Random, first_year: int, last_year: int) -> str:
    born = dt.date(first_year, 1, 1) + dt.timedelta(
        days=rng.randrange((dt.date(last_year, 12, 31) - dt.date(first_year, 1, 1)).days)
    )
    digits = born.strftime("%y%m%d") + f"{rng.randrange(1000):03d}"
    return f"{born:%Y%m%d}-{digits[6:]}{check_digit(digits)}"


def organisationsnummer(rng: random.Random, prefix: str) -> str:
    digits = prefix + "".join(rng.choice("0123456789") for _ in range(9 - len(prefix)))
    return f"{digits[:6]}-{digits[6:]}{check_digit(digits)}"


def pdf_bytes(lines: list[str]) -> bytes:
    """A one-page PDF showing lines of text (Helvetica, Windows-1252)."""

    def escape(text: str) -> bytes:
        raw = text.encode("cp1252", errors="replace")
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    stream = b"BT /F1 11 Tf 14 TL 60 780 Td " + b"".join(
        b"(" + escape(line) + b") Tj T* " for line in lines
    ) + b"ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n%\xe5\xe4\xf6\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref,
    )
    return bytes(out)


class Clock:
    """The demo's history: services run inside `at(day)` see that day as today (Django's
    `timezone.now`, which the services, the audit log and `auto_now_add` read), a few
    milliseconds apart so their order is kept. A day that is today runs on the real
    clock. Only for the demo loader, which runs alone in its own command."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.real = timezone.now

    @contextlib.contextmanager
    def at(self, day: dt.date, not_before: dt.datetime | None = None):
        """not_before: start after that moment (cases opened on one day keep their order)."""
        real_now = self.real()
        start = timezone.make_aware(dt.datetime.combine(
            day, dt.time(self.rng.randint(8, 15), self.rng.randint(0, 59)))).astimezone(dt.UTC)
        # (in UTC, as the real clock gives it: the audit log hashes the time as written)
        if not_before is not None and start <= not_before:
            start = not_before + dt.timedelta(minutes=self.rng.randint(1, 20))
        if start >= real_now - dt.timedelta(hours=1):
            yield
            return
        ticks = itertools.count()
        timezone.now = lambda: start + dt.timedelta(milliseconds=next(ticks))
        try:
            yield
        finally:
            timezone.now = self.real


def slug(text: str) -> str:
    table = str.maketrans("åäöÅÄÖé ", "aaoAAOe-")
    return "".join(c for c in text.translate(table).lower() if c.isalnum() or c == "-")


@dataclass
class Staff:
    registrator: User
    officers: list[User]
    secretary: User | None


class Loader:
    def __init__(self, org: DemoOrganisation):
        self.org = org
        self.rng = random.Random(SEED)
        self.today = timezone.localdate()
        self.year = self.today.year
        self.orgs: dict[tuple, Party] = {}  # (registrator id, name) -> party
        self.stats: Counter = Counter()
        self.authorities = {a.pk: a for a in org.authorities.values()}
        self.staff = {code: self._staff(auth) for code, auth in org.authorities.items()}
        self.record_types: dict = {}  # authority id -> {name: record type id}
        self.clock = Clock(self.rng)
        self.last_opened: dt.datetime | None = None
        # The first day a case may be opened: two weeks after the plan came into force,
        # and at most five years back.
        self.earliest = max(VALID_FROM + dt.timedelta(days=14),
                            self.today - dt.timedelta(days=5 * 365))

    def _staff(self, authority) -> Staff:
        def holding(role):
            return [u for u in self.org.users.values()
                    if u.roles.filter(authority=authority, role=role).exists()]

        registrator = holding(Role.REGISTRATOR)[0]
        secretaries = holding(Role.SECRETARY)
        officers = holding(Role.OFFICER) or secretaries
        return Staff(registrator, officers, secretaries[0] if secretaries else None)

    def record_type(self, authority_id, name: str):
        """The id of the record type the authority's plan in force names exactly so (the
        catalogue must agree with the sample plan); looked up once per authority."""
        if authority_id not in self.record_types:
            rules = plan.rules_in_force(authority_id, self.today)
            self.record_types[authority_id] = dict(rules.values_list("name", "record_type_id"))
        try:
            return self.record_types[authority_id][name]
        except KeyError:
            code = self.authorities[authority_id].code
            raise LookupError(f"the plan in force for {code} has no record type {name!r}") \
                from None

    # --- parties ---------------------------------------------------------------------

    def person(self, creator: User, role: str, muni_code: str, last_name: str = "") -> Party:
        """A person, added to the register by the registrator of the board whose case
        names them (who creates a contact sees it: see registry/visibility.py)."""
        rng = self.rng
        years = (2006, 2019) if role in YOUNG_ROLES else (1932, 1975) if role in OLD_ROLES \
            else (1950, 2000)
        city, prefix = rng.choice(data.CITIES[muni_code])
        return services.create_party(
            creator, kind=PartyKind.PERSON,
            name=f"{rng.choice(data.FIRST_NAMES)} {last_name or rng.choice(data.LAST_NAMES)}",
            identity_number=personnummer(rng, *years),
            address=f"{rng.choice(data.STREETS)} {rng.randint(1, 60)}",
            postal_code=f"{prefix} {rng.randint(30, 99)}", city=city,
            phone=f"070-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        )

    def organisation(self, creator: User, name: str) -> Party:
        """The organisation as the registrator's contact: a contact is visible to whoever
        added it and to those who read a case it is in, so each registry keeps its own."""
        key = (creator.pk, name)
        if key not in self.orgs:
            prefix = "802" if name in data.CLUBS else "556"
            self.orgs[key] = services.create_party(
                creator, kind=PartyKind.ORGANISATION, name=name,
                identity_number=organisationsnummer(self.rng, prefix),
                address=f"Box {self.rng.randint(100, 999)}", postal_code="745 21", city="Sjövik",
                email=f"info@{slug(name.split(' AB')[0])}.example",
            )
        return self.orgs[key]

    # --- cases -----------------------------------------------------------------------

    def run(self) -> Counter:
        series = {
            code: services.create_series(DEMO, auth, code=code, name=f"{auth.name} – diarium")
            for code, auth in self.org.authorities.items()
        }
        self.publish()
        planned = []
        for code, (templates, count) in data.CATALOGUE.items():
            order = list(templates)
            self.rng.shuffle(order)
            planned += [(self.start_day(), code, order[i % len(order)]) for i in range(count)]
        # In date order, as they were opened: the diary numbers run with the dates.
        planned.sort(key=lambda p: (p[0], p[1]))
        previous: dict[str, list[Case]] = {code: [] for code in data.CATALOGUE}
        for start, code, template in planned:
            previous[code].append(self.case(code, series[code], template, previous[code],
                                            start))
        self.inbox()
        self.stats["templates"] = self.templates()
        return self.stats

    def publish(self) -> None:
        """Mark the record types whose files the public diary offers for download
        (docs/public.md): officers' reports, consultation replies and procurement
        decisions; everything else is asked for."""
        ids = set()
        for authority_id in self.authorities:
            in_force = self.record_types.get(authority_id) or dict(
                plan.rules_in_force(authority_id, self.today).values_list("name",
                                                                          "record_type_id"))
            ids |= {in_force[name] for name in data.PUBLISHED if name in in_force}
        for record_type in RecordType.objects.filter(pk__in=ids):
            plan_services.set_publishable(DEMO, record_type, True)

    def templates(self) -> int:
        """The demo templates (registry/demo_templates.py) for each municipality, tied to
        the record types of the plans in force by name."""
        authorities = list(self.org.authorities.values())
        by_name = {name: record_type for _group, items in enforcement.rule_choices(
            [a.pk for a in authorities], timezone.localdate()) for record_type, name in items}
        municipalities = {a.municipality_id: a.municipality for a in authorities}
        return sum(demo_templates.install(DEMO, municipality, by_name)
                   for municipality in municipalities.values())

    def start_day(self) -> dt.date:
        """When a case was opened: between `earliest` and three days ago, more of them
        recent (as in a real diarium, where old cases are fewer: closed and archived)."""
        span = (self.today - self.earliest).days - 3
        return self.today - dt.timedelta(days=3 + int(span * self.rng.betavariate(1.0, 1.7)))

    def fill(self, template: data.Template, muni_code: str) -> dict:
        rng = self.rng
        return {
            "year": self.year, "prev_year": self.year - 1, "next_year": self.year + 1,
            "end_year": self.year + 3, "election_year": self.year + (2 - self.year) % 4,
            "para": rng.randint(1, 180),
            "org": rng.choice(template.orgs or data.BUSINESSES),
            "property": f"{data.CITIES[muni_code][0][0]} {rng.choice(data.PROPERTY_NAMES)} "
                        f"{rng.randint(1, 12)}:{rng.randint(1, 40)}",
            "street": rng.choice(data.STREETS), "school": rng.choice(data.SCHOOLS),
            "preschool": rng.choice(data.PRESCHOOLS), "home": rng.choice(data.HOMES),
            "unit": rng.choice(data.UNITS), "area": rng.choice(data.AREAS),
            "place": rng.choice(data.PLACES), "venue": rng.choice(data.VENUES),
            "idea": rng.choice(data.IDEAS), "motion": rng.choice(data.MOTIONS),
            "remiss": rng.choice(data.REMISSER), "procurement": rng.choice(data.PROCUREMENTS),
            "damage": rng.choice(data.DAMAGES), "complaint": rng.choice(data.COMPLAINTS),
            "neighbour": rng.choice([m.name for m in self.org.neighbours.values()]),
        }

    def case(self, code: str, series: DiarySeries, template: data.Template, previous,
             start: dt.date) -> Case:
        rng, staff = self.rng, self.staff[code]
        muni = self.org.municipality
        if code == JOINT_BOARD:
            muni = rng.choices([muni, *self.org.neighbours.values()], weights=[6, 3, 2])[0]
        officer = self.officer(code, muni)
        values = self.fill(template, muni.code)
        with self.clock.at(start):
            parties = self.parties(staff.registrator, template, values, muni.code)
        if parties and parties[0][0].kind == PartyKind.PERSON:
            values["person"] = parties[0][0].name
        secrecy = self.secrecy(template.secrecy, template.withhold, start)
        outcome = self.outcome((self.today - start).days)
        follow_up = None
        if outcome == "open" and rng.random() < 0.6:
            follow_up = self.today + dt.timedelta(days=rng.randint(-14, 90))
        with self.clock.at(start, not_before=self.last_opened):
            case = services.open_case(staff.registrator, series, services.CaseData(
                title=template.title.format_map(values),
                public_title=template.public.format_map(values),
                classification_code=template.classification,
                responsible_officer=officer, responsible_unit=officer.unit,
                municipality=muni if code == JOINT_BOARD else None,
                follow_up_date=follow_up, secrecy=secrecy,
            ))
            for party, role in parties:
                services.add_party(staff.registrator, case, party, role)
        self.last_opened = case.opened_at
        self.stats["cases"] += 1
        self.stats["secret cases"] += bool(template.secrecy)
        last = self.documents(case, template, values, parties, officer, start, secrecy)

        with self.clock.at(start):
            if previous and rng.random() < 0.05:
                services.relate_cases(staff.registrator, case, rng.choice(previous))
            if template.secrecy and staff.secretary and rng.random() < 0.2:
                # The board secretary joins the case's access group to prepare a board item.
                services.grant_case_access(staff.registrator, case, staff.secretary)
        ended = min(self.today, last + dt.timedelta(days=rng.randint(3, 60)))
        if outcome == "voided":
            with self.clock.at(min(self.today, start + dt.timedelta(days=rng.randint(1, 10)))):
                services.void_case(staff.registrator, case, rng.choice(data.VOID_REASONS))
            self.stats["voided cases"] += 1
        elif outcome == "closed":
            with self.clock.at(ended):
                services.close_case(officer, case, template.close.format_map(values))
            self.stats["closed cases"] += 1
        elif outcome == "dormant":
            with self.clock.at(ended):
                services.set_dormant(officer, case)
            self.stats["dormant cases"] += 1
        return case

    def outcome(self, age_days: int) -> str:
        """What became of a case of that age: older ones are mostly closed, but some stay
        open past six months (the ageing report and FL 12 § show them)."""
        roll = self.rng.random()
        if roll < 0.04:
            return "voided"
        closed, dormant = (0.88, 0.04) if age_days > 365 else (0.6, 0.08) \
            if age_days > 180 else (0.2, 0.05)
        roll = (roll - 0.04) / 0.96
        if roll < closed:
            return "closed"
        return "dormant" if roll < closed + dormant else "open"

    def officer(self, code: str, muni) -> User:
        officers = self.staff[code].officers
        local = [u for u in officers if u.home_municipality_id == muni.pk]
        return self.rng.choice(local or officers)

    def parties(self, creator, template, values, muni_code) -> list[tuple[Party, str]]:
        result, last_name = [], ""
        for kind, role in template.parties:
            if kind == "org":
                result.append((self.organisation(creator, values["org"]), role))
                continue
            # A child and a guardian share their family name.
            family = last_name if role == "vårdnadshavare" and last_name else ""
            party = self.person(creator, role, muni_code, family)
            last_name = party.name.split(" ", 1)[1]
            result.append((party, role))
        return result

    def secrecy(self, provision: str, withhold: str, marked_on: dt.date) -> services.Secrecy:
        if not provision:
            return services.Secrecy()
        return services.Secrecy(
            provision=provision, marked_on=marked_on, withhold_title="t" in withhold,
            withhold_parties="p" in withhold, withhold_files="f" in withhold,
        )

    def documents(self, case, template, values, parties, officer, start,
                  case_secrecy) -> dt.date:
        """Register the case's documents, each on its own day from the case's opening
        on; the day of the last one."""
        rng, staff = self.rng, self.staff[self.authorities[case.authority_id].code]
        count = min(len(template.docs), rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5]))
        day = last = start
        by_kind = {party.kind: party for party, _role in reversed(parties)}
        for spec in template.docs[:count]:
            party = by_kind.get(spec.who) if spec.who in ("person", "org") else None
            if party:
                sender = party.name
            elif spec.who == "org":  # the case names no organisation: the one written of
                sender = values["org"]
            elif spec.who == "person":
                sender = values.get("person", "")
            else:
                sender = spec.who.format_map(values)
            if not sender:
                sender = officer.unit.name if spec.direction == "upp" else ""
            secrecy = case_secrecy
            if spec.secrecy and not case_secrecy.provision:
                secrecy = services.Secrecy(provision=spec.secrecy, marked_on=day,
                                           withhold_files=True)
            title = spec.title.format_map(values)
            author = officer if spec.direction == "upp" else staff.registrator
            with self.clock.at(day):
                services.register_document(author, case, services.DocumentData(
                    direction=DIRECTIONS[spec.direction], title=title, public_title=title,
                    document_date=day,
                    record_type=self.record_type(case.authority_id, spec.record_type),
                    sender_recipient=sender, party=party, secrecy=secrecy,
                ), self.files(case, spec, title, sender, day))
            self.stats["documents"] += 1
            last = day
            day = min(self.today, day + dt.timedelta(days=rng.randint(1, 30)))
        return last

    def files(self, case, spec, title, sender, day) -> list[services.Upload]:
        body = [
            self.org.municipality.name, self.authorities[case.authority_id].name, "",
            f"Diarienummer: {case.diary_number}", f"Datum: {day.isoformat()}",
            f"Avsändare/mottagare: {sender}" if sender else "", "", title, "",
            "Handlingen är skapad som exempeldata för Diarium och avser inga verkliga personer.",
        ]
        name = slug(spec.record_type) or "handling"
        if spec.direction == "upp" and self.rng.random() < 0.4:
            text = "\n".join(body).encode()
            uploads = [services.Upload(io.BytesIO(text), f"{name}.txt", "text/plain")]
        else:
            uploads = [services.Upload(io.BytesIO(pdf_bytes(body)), f"{name}.pdf")]
        if spec.direction == "in" and self.rng.random() < 0.15:
            attachment = pdf_bytes([*body[:5], "", "Bilaga 1"])
            uploads.append(services.Upload(io.BytesIO(attachment), "bilaga-1.pdf"))
        self.stats["files"] += len(uploads)
        return uploads

    def inbox(self) -> None:
        now = timezone.now()
        for code, items in data.INBOX.items():
            authority = self.org.authorities[code]
            for hours, (sender, subject, body) in enumerate(items, start=1):
                lines = [sender, "", subject, "", body]
                services.receive_mail(
                    DEMO, authority, sender=sender, subject=subject, body=body,
                    uploads=[services.Upload(io.BytesIO(pdf_bytes(lines)), f"{slug(subject)}.pdf")],
                    received_at=now - dt.timedelta(hours=5 * hours),
                )
                self.stats["inbox items"] += 1


def load(org: DemoOrganisation) -> Counter:
    """Create the demo's diary series, cases and inbox. Runs inside the caller's
    transaction."""
    return Loader(org).run()
