"""Diary numbers under concurrent registration: distinct, gap-free, no error to a client."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from diarium.audit.selectors import verify_chains
from diarium.registry.models import Case
from tests import factories as f

WORKERS = 8
CASES = 400


@pytest.mark.django_db(transaction=True)
def test_parallel_case_creation_is_gap_free():
    ser = f.series(f.authority("KS"), "KS")
    reg = f.user("reg", roles={ser.authority: "registrar"})
    start = threading.Barrier(WORKERS)

    def worker(index: int) -> list[int]:
        start.wait()
        try:
            # Each thread has its own database connection, as separate processes would.
            return [
                f.case(reg, ser, title=f"Ärende {index}-{i}").number
                for i in range(CASES // WORKERS)
            ]
        finally:
            connection.close()

    with ThreadPoolExecutor(WORKERS) as pool:
        numbers = [n for batch in pool.map(worker, range(WORKERS)) for n in batch]

    assert sorted(numbers) == list(range(1, CASES + 1))
    assert Case.objects.count() == CASES
    assert all(broken is None for _chain, broken in verify_chains())
