"""Writing many fresh rows in one statement: PostgreSQL's COPY, or one prepared INSERT run
for every row on SQLite (executemany). The ORM's bulk_create builds a model instance per
row and splits the rows into many statements by SQLite's parameter limit; for a bench
load or an ingest's inventory that was most of the time (docs/performance.md)."""

from collections.abc import Iterable, Sequence

from django.db import connection, transaction


def write_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Insert rows (values as the columns store them) into table; names are quoted here.
    All rows or none: outside a transaction SQLite would commit each row of executemany
    on its own (1 000 search entries took 0.19 s that way, 0.02 s in one transaction)."""
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    quoted = connection.ops.quote_name(table)
    # The driver's own cursor, past Django's wrapper: its errors are turned into Django's
    # (IntegrityError for a key already there) as the wrapper would.
    with (transaction.atomic(savepoint=False), connection.cursor() as cursor,
          connection.wrap_database_errors):
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quoted} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.cursor.executemany(
                f"INSERT INTO {quoted} ({names}) VALUES ({marks})", rows)  # noqa: S608
