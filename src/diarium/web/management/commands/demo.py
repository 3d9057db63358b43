"""`diarium demo`: the whole demo municipality. It lives in the web app, the top of the
dependency order, because it composes every app's demo data."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from diarium.archive import demo as archive_demo
from diarium.board import demo as board_demo
from diarium.core.actors import DEMO
from diarium.disclosure import demo as disclosure_demo
from diarium.organisation import demo as organisation_demo
from diarium.organisation.models import Municipality
from diarium.plan.sample import load_sample_plan
from diarium.registry import demo as registry_demo


class Command(BaseCommand):
    help = (
        "Load the demo municipality (Sjöviks kommun): boards, administrations, a user for "
        "every role (password demo-<username>), the sample document management plan and "
        "systems register, and a few hundred cases. Does nothing when "
        "the demo is already loaded."
    )

    def handle(self, *args, **options):
        if organisation_demo.demo_municipality() is not None:
            self.stdout.write("demo data already loaded")
            return
        if Municipality.objects.exists():
            self.stderr.write(
                "demo data not loaded: the database already holds another municipality "
                "(the demo goes only into an empty database)"
            )
            return
        started = time.monotonic()
        # One transaction: the demo is loaded completely or not at all.
        with transaction.atomic():
            org = organisation_demo.create_organisation()
            plan = load_sample_plan(DEMO, org.municipality)
            stats = registry_demo.load(org)
            stats.update(board_demo.load(org))
            stats["submission agreements"] = archive_demo.load(list(org.authorities.values()))
            stats["requests for documents"] = disclosure_demo.load(org)
        summary = ", ".join(f"{n} {what}" for what, n in stats.items())
        self.stdout.write(
            f"demo data loaded in {time.monotonic() - started:.1f} s: {len(org.authorities)} "
            f"boards, {len(org.users) + 1} users, a plan of {plan.record_types} record types "
            f"and {plan.systems} IT systems, {summary}"
        )
