"""One row of a model with the row one of its foreign keys points at, read in plain SQL.

For a lookup made on every request of a kind, where the ORM's building of a
`select_related(...).get(...)` costs ten times the read itself (the diary series of every
case opened through the API: 0.26 ms against 0.02 ms, docs/performance.md section 2).
The instances are made as the ORM makes them (`Model.from_db`), the related one cached
on the other as select_related would."""

import functools
from typing import TypeVar

from django.db import connection
from django.db.models import Model

M = TypeVar("M", bound=Model)


@functools.cache
def _sql(model: type[Model], relation: str, column: str, vendor: str) -> str:
    quote = connection.ops.quote_name
    fk = model._meta.get_field(relation)
    related = fk.related_model._meta
    columns = [f"m.{quote(f.column)}" for f in model._meta.concrete_fields]
    columns += [f"r.{quote(f.column)}" for f in related.concrete_fields]
    return (f"SELECT {', '.join(columns)} FROM {quote(model._meta.db_table)} m "  # noqa: S608
            f"JOIN {quote(related.db_table)} r ON r.{quote(fk.target_field.column)} = "
            f"m.{quote(fk.column)} WHERE m.{quote(column)} = %s")


def one_with(model: type[M], relation: str, column: str, value: object) -> M | None:
    """The row of model whose column (a unique one) has value, with its `relation` (a
    non-null foreign key) read in the same statement; None when there is none."""
    field = model._meta.get_field(column)
    with connection.cursor() as cursor:
        cursor.execute(_sql(model, relation, column, connection.vendor),
                       [field.get_db_prep_value(value, connection)])
        row = cursor.fetchone()
    if row is None:
        return None
    fk = model._meta.get_field(relation)
    width = len(model._meta.concrete_fields)
    obj = _made(model, row[:width])
    fk.set_cached_value(obj, _made(fk.related_model, row[width:]))
    return obj


def _made(model: type[M], values) -> M:
    columns = _columns(model, connection.vendor)
    converted = []
    for (_name, col, converters), value in zip(columns, values, strict=True):
        for convert in converters:
            value = convert(value, col, connection)
        converted.append(value)
    return model.from_db(connection.alias, [name for name, _, _ in columns], converted)


@functools.cache
def _columns(model: type[Model], vendor: str) -> list[tuple]:
    """(attname, column expression, converters) per concrete field: the conversions the
    ORM applies to what the database returns (on SQLite: UUIDs, booleans, dates)."""
    out = []
    for field in model._meta.concrete_fields:
        col = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        out.append((field.attname, col, converters))
    return out
