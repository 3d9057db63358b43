"""Generate a large registry for benchmarks: `diarium benchdata --cases 100000 --documents 500000`.

Rows are bulk-inserted (the services would take hours for half a million documents): with
COPY on PostgreSQL, batched prepared INSERTs on SQLite. No audit events are written: use
this only for a benchmark database, never for real data.

With --record-types the sample plan is loaded and adopted for the bench authorities, each
document gets a record type of its authority's plan in force today (the bench does not
model plans adopted after the documents; DISPOSED_SHARE of the documents get one that is
disposed of), closed cases get a closing date, and every document its disposal outcome
and date, computed as the registry does. --skip-index leaves
the search index out (the disposal benchmark does not search)."""

import datetime as dt
import random
import time
import uuid

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from diarium.core.actors import OPERATOR
from diarium.core.bulk import write_rows
from diarium.organisation.models import Authority, Municipality
from diarium.plan import selectors as plan_selectors
from diarium.plan.retention import Disposition
from diarium.plan.sample import load_sample_plan
from diarium.registry import disposal_dates, indexing
from diarium.registry.models import Case, DiaryCounter, DiarySeries, Document, format_diary_number
from diarium.search import order
from diarium.search.backends import Entry, index_body
from diarium.search.models import SearchEntry

SPAN_DAYS = 2_500  # the cases' opening moments: about seven years up to now
DISPOSED_SHARE = 0.7  # with --record-types: documents whose record type is disposed of
SUBJECTS = [
    "bygglov",
    "detaljplan",
    "förhandsbesked",
    "strandskyddsdispens",
    "livsmedelskontroll",
    "skolskjuts",
    "förskoleplats",
    "modersmålsundervisning",
    "bostadsanpassning",
    "färdtjänst",
    "serveringstillstånd",
    "upphandling",
    "avtal",
    "medborgarförslag",
    "motion",
    "remiss",
    "budget",
    "delårsrapport",
    "tillsyn",
    "klagomål",
    "föreningsbidrag",
    "markanvändning",
    "nybyggnad",
    "rivningslov",
    "parkeringstillstånd",
    "trafikföreskrift",
    "bredband",
]
PLACES = [
    "Storgatan",
    "Kyrkvägen",
    "Sjöviks centrum",
    "Norra hamnen",
    "Skolgatan",
    "Ekbacken",
    "Lillån",
    "Västra industriområdet",
    "Björkhagen",
    "Tallåsen",
    "Stationsområdet",
]
KINDS = [
    "ansökan",
    "beslut",
    "yttrande",
    "skrivelse",
    "protokollsutdrag",
    "komplettering",
    "tjänsteutlåtande",
    "underrättelse",
    "kvittens",
    "överklagande",
]
SENDERS = [
    "Anna Lind",
    "Erik Berg",
    "Sjöviks Bygg AB",
    "Länsstyrelsen",
    "Trafikverket",
    "Karin Holm",
    "Föreningen Sjöviks IF",
    "Skatteverket",
    "Miljöförvaltningen",
]
# With --file-text: the words of the letters inside the documents' files. FILE_ONLY words
# occur in no title, so a search for one finds cases by their files' text alone.
LETTER = (
    "vi har tagit emot er ansökan och vill framföra följande synpunkter på förslaget "
    "fastigheten ligger inom detaljplanelagt område och åtgärden kräver lov enligt plan- "
    "och bygglagen nämnden bedömer att handlingarna är kompletta och att ärendet kan "
    "avgöras utan ytterligare utredning med vänlig hälsning handläggaren"
)
FILE_WORDS = LETTER.split()
FILE_ONLY = ["fuktskadan", "bullerutredningen", "dagvattnet", "radonmätningen", "takkupan"]
FILE_ONLY_SHARE = 0.05  # of the documents: each FILE_ONLY word is in about 1 % of them


class Command(BaseCommand):
    help = "Bulk-generate cases and documents for benchmarks (no audit events)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--documents", type=int, default=500_000)
        parser.add_argument("--batch", type=int, default=5_000)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--record-types", action="store_true",
                            help="Give documents record types and disposal dates from the "
                            "sample plan.")
        parser.add_argument("--skip-index", action="store_true",
                            help="Do not fill the search index.")
        parser.add_argument("--file-text", action="store_true",
                            help="Index a letter's text for every document's file, as the "
                            "processing job does (its words in the files only).")

    def handle(self, *args, cases: int, documents: int, batch: int, seed: int, **options):
        if Case.objects.exists():
            raise CommandError("benchdata needs an empty registry (use a fresh database)")
        rng = random.Random(seed)
        series = self._series()
        self.search_index = not options["skip_index"]
        self.slots = order.SlotBook()
        self.file_text = options["file_text"]
        self.rules = self._rules(series) if options["record_types"] else None
        started = time.perf_counter()
        # Cases are opened one after the other over SPAN_DAYS up to now, numbered per
        # series and year as they come: the rows lie in the order a registry (or a
        # migration from a former one) writes them.
        self.now = timezone.now()
        self.step = dt.timedelta(days=SPAN_DAYS) / max(cases, 1)
        self.numbers: dict[tuple, int] = {}
        per_case = documents / max(cases, 1)
        made_docs = 0
        for offset in range(0, cases, batch):
            count = min(batch, cases - offset)
            made_docs += self._batch(rng, series, offset, count, per_case, documents - made_docs)
            self.stdout.write(f"{offset + count} cases, {made_docs} documents", ending="\r")
        self._counters(series)
        with connection.cursor() as cursor:
            # Statistics for the planner, as autovacuum would gather them in time: without
            # them PostgreSQL plans every query over the fresh tables as if they were empty.
            cursor.execute("ANALYZE")
        self.stdout.write(
            f"\n{cases} cases and {made_docs} documents in {time.perf_counter() - started:.0f} s"
        )

    def _series(self) -> list[DiarySeries]:
        muni, _ = Municipality.objects.get_or_create(code="9999", defaults={"name": "Benchkommun"})
        self.municipality = muni
        result = []
        for code in ["KS", "BUN", "SN", "MBN", "TN"]:
            auth, _ = Authority.objects.get_or_create(
                code=code, defaults={"municipality": muni, "name": f"Nämnd {code}"}
            )
            ser, _ = DiarySeries.objects.get_or_create(
                code=code, defaults={"authority": auth, "name": f"Diarium {code}"}
            )
            result.append(ser)
        return result

    def _rules(self, series: list[DiarySeries]) -> dict:
        """Per authority: the rules of its plan in force today (the sample plan), split
        into those disposed of and those kept."""
        load_sample_plan(OPERATOR, self.municipality)
        today = timezone.localdate()
        result = {}
        for s in series:
            rules = list(plan_selectors.rules_in_force(s.authority_id, today))
            result[s.authority_id] = (
                [r for r in rules if r.disposition == Disposition.DISPOSE],
                [r for r in rules if r.disposition != Disposition.DISPOSE],
            )
        return result

    def _opened(self, rng, i: int) -> dt.datetime:
        start = self.now - dt.timedelta(days=SPAN_DAYS)
        return start + self.step * i + self.step * rng.random()

    def _batch(self, rng, series, offset, count, per_case, docs_left) -> int:
        now = self.now
        cases, docs = [], []
        for i in range(offset, offset + count):
            ser = series[i % len(series)]
            opened_at = self._opened(rng, i)
            year = timezone.localtime(opened_at).year
            number = self.numbers[ser.code, year] = self.numbers.get((ser.code, year), 0) + 1
            subject, place = rng.choice(SUBJECTS), rng.choice(PLACES)
            secret = rng.random() < 0.05
            case = Case(
                id=uuid.uuid4(),
                series=ser,
                authority_id=ser.authority_id,
                year=year,
                number=number,
                diary_number=format_diary_number(ser.code, year, number),
                title=f"{subject.capitalize()} {place} {rng.randint(1, 99)}",
                public_title=f"{subject.capitalize()} {place}",
                opened_at=opened_at,
                secrecy_provision="OSL 26:1" if secret else "",
                status=rng.choice(["open", "closed", "closed", "dormant"]),
            )
            if self.rules is not None and case.status == "closed":
                case.closed_at = min(now, case.opened_at + dt.timedelta(days=rng.randint(1, 400)))
            n_docs = min(docs_left - len(docs), int(per_case) + (rng.random() < per_case % 1))
            case.document_count = max(n_docs, 0)
            cases.append(case)
            for n in range(1, case.document_count + 1):
                doc = Document(
                    id=uuid.uuid4(),
                    case=case,
                    number=n,
                    direction=rng.choice(["incoming", "outgoing", "internal"]),
                    title=f"{rng.choice(KINDS).capitalize()} om {subject} {place}",
                    document_date=case.opened_at.date(),
                    registered_at=case.opened_at,
                    sender_recipient=rng.choice(SENDERS),
                )
                if self.rules is not None:
                    disposed, kept = self.rules[ser.authority_id]
                    doc.rule = rng.choice(disposed if rng.random() < DISPOSED_SHARE else kept)
                    doc.record_type_id = doc.rule.record_type_id
                    disposal_dates.apply(doc, case)
                docs.append(doc)
        with transaction.atomic():
            _insert(Case, cases)
            _insert(Document, docs)
            if self.search_index:
                _insert(SearchEntry, entries_as_rows(self.slots,
                    [indexing.case_entry(c, []) for c in cases]
                    + [indexing.document_entry(d) for d in docs]
                    + ([file_entry(rng, d) for d in docs] if self.file_text else [])))
        return len(docs)

    def _counters(self, series) -> None:
        by_code = {ser.code: ser for ser in series}
        for (code, year), last in self.numbers.items():
            DiaryCounter.objects.update_or_create(
                series=by_code[code], year=year, defaults={"last_number": last})


def file_entry(rng: random.Random, doc: Document) -> Entry:
    """The index entry of a file's text, as indexing.file_entries makes it (a letter of
    40 to 80 words; a few documents' letters name a FILE_ONLY word)."""
    words = rng.choices(FILE_WORDS, k=rng.randint(40, 80))
    if rng.random() < FILE_ONLY_SHARE:
        words.insert(rng.randrange(len(words)), rng.choice(FILE_ONLY))
    return Entry(indexing.file_key(uuid.uuid4()), doc.case_id, doc.is_secret, " ".join(words),
                 authority=doc.case.authority_id, case_secret=doc.case.is_secret,
                 opened_at=doc.case.opened_at)


def entries_as_rows(slots: order.SlotBook, entries) -> list[SearchEntry]:
    """Search entries as rows for COPY: what search.backends.index stores (the same
    stemmed body and flags, numbered in their cases' slots), for a fresh table (no
    upsert needed). Each case's entries come after its case entry."""
    following: dict = {}
    numbers = []
    for e in entries:
        slot, seq = following.get(e.case_id) or (slots.case(e.opened_at), 0)
        following[e.case_id] = (slot, seq + 1)
        numbers.append(order.entry_id(slot, seq))
    rows = [SearchEntry(id=pk, key=e.key, kind=e.kind, case_id=e.case_id, owner=e.owner,
                        secret=e.secret, authority_id=e.authority,
                        restricted=e.secret or e.case_secret, body=index_body(e.text))
            for pk, e in zip(numbers, entries, strict=True)]
    # Written oldest case first, as they were indexed over time (a newer case's entries
    # have lower numbers, search/order.py).
    return sorted(rows, key=lambda row: -row.id)


def _insert(model, objs) -> None:
    """Insert fresh rows fast (core/bulk.py): every concrete column, values prepared by
    the fields as the ORM would; an auto id is left to the database."""
    if not objs:
        return
    fields = [f for f in model._meta.concrete_fields
              if not (f.primary_key and getattr(objs[0], f.attname, None) is None)]
    rows = ([f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
            for obj in objs)
    write_rows(model._meta.db_table, [f.column for f in fields], rows)
