"""diarium archive reindex [--package ID] [--missing]

Describes archived packages again from their AIPs (series, title, period, restriction,
records) and indexes them for search anew. Exit code 1 when a package could not be read."""

from __future__ import annotations

import time

from django.core.management.base import CommandError

from diarium.archive.catalogue import describe_package, index_package
from diarium.archive.models import Package, PackageState


def add_parser(actions) -> None:
    parser = actions.add_parser(
        "reindex", help="Describe archived packages again and rebuild their search index.")
    parser.add_argument("--package", help="Only this package (its id).")
    parser.add_argument("--missing", action="store_true",
                        help="Only packages not indexed yet (e.g. ingested before search "
                        "existed, or whose indexing was interrupted).")


def run(command, package: str | None, missing: bool, **_options) -> None:
    packages = Package.objects.filter(state=PackageState.ARCHIVED).select_related(
        "creator", "agreement").order_by("archived_at")
    if package:
        packages = packages.filter(pk=package)
    if missing:
        packages = packages.exclude(description__indexed_at__isnull=False)
    done, failed, files = 0, [], 0
    started = time.monotonic()
    for item in packages.iterator(chunk_size=100):
        try:
            describe_package(item)
            files += index_package(item)
        except Exception as exc:  # one unreadable package must not stop the others
            failed.append(str(item.pk))
            command.stderr.write(f"{item.pk}: {type(exc).__name__}: {exc}")
            continue
        done += 1
    command.stdout.write(f"{done} package(s) indexed ({files} files with text) in "
                         f"{time.monotonic() - started:.1f} s, {len(failed)} failed.")
    if failed:
        raise CommandError(f"not indexed: {', '.join(failed)}", returncode=1)
