"""Transactions that retry instead of surfacing lock conflicts to the user.

SQLite answers "database is locked" when the busy timeout runs out; PostgreSQL aborts one
side of a deadlock or a serialisation conflict. Both are safe to retry from the start of the
transaction, so the service function is simply run again."""

import functools
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import OperationalError, connection, transaction

P = ParamSpec("P")
T = TypeVar("T")

ATTEMPTS = 12
_RETRYABLE_PG_CODES = {"40001", "40P01", "55P03"}  # serialization, deadlock, lock not available


def is_conflict(exc: Exception) -> bool:
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate in _RETRYABLE_PG_CODES:
        return True
    return "database is locked" in str(exc) or "database table is locked" in str(exc)


def atomic_with_retry(func: Callable[P, T]) -> Callable[P, T]:
    """Run func in a transaction; on a lock conflict roll back and run it again.

    Inside an enclosing transaction the function just joins it: retrying is then the job of
    whoever owns the outermost transaction."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        if connection.in_atomic_block:
            return func(*args, **kwargs)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with transaction.atomic():
                    return func(*args, **kwargs)
            except OperationalError as exc:
                if attempt == ATTEMPTS or not is_conflict(exc):
                    raise
                time.sleep(min(0.5, 0.005 * 2**attempt) * random.uniform(0.5, 1.5))
        raise AssertionError("unreachable")

    return wrapper
