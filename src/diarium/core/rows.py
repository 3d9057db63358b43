"""Single rows read and written in plain SQL built once per model, for the statements of
a request made very often (opening a case through the API, docs/performance.md section 2),
where the ORM's building of a statement costs several times the statement itself.

- `one_with`: one row with the row one of its foreign keys points at (the diary series of
  every case opened through the API: `select_related(...).get(...)` 0.26 ms against
  0.02 ms for the read). The instances are made as the ORM makes them (`Model.from_db`),
  the related one cached on the other as select_related would.
- `select_columns` and `made`: the same for a statement of one's own (an API token with
  its user and roles, organisation/tokens.py).
- `insert`: a new row from its instance, as `save(force_insert=True)` writes it (the
  fields' own `pre_save` and database preparation), with the INSERT's text compiled once
  per model (a case's INSERT: 0.20 ms through `save()`, 0.11 ms compiled)."""

import functools
from typing import TypeVar

from django.db import connection
from django.db.models import Model, signals
from django.db.models.sql import InsertQuery

M = TypeVar("M", bound=Model)


@functools.cache
def _sql(model: type[Model], relation: str, column: str, vendor: str) -> str:
    quote = connection.ops.quote_name
    fk = model._meta.get_field(relation)
    related = fk.related_model._meta
    columns = select_columns(model, "m") + select_columns(fk.related_model, "r")
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
    obj = made(model, row[:width])
    fk.set_cached_value(obj, made(fk.related_model, row[width:]))
    return obj


def select_columns(model: type[Model], alias: str) -> list[str]:
    """Every concrete column of model under a table alias, in the order `made` takes."""
    quote = connection.ops.quote_name
    return [f"{alias}.{quote(f.column)}" for f in model._meta.concrete_fields]


def made(model: type[M], values) -> M:
    """The instance of a row read in plain SQL (the columns of `select_columns`), as the
    ORM makes it: `Model.from_db` with each field's converters applied."""
    columns = _columns(model, connection.vendor)
    ready = []
    for (_name, col, converters), value in zip(columns, values, strict=True):
        for convert in converters:
            value = convert(value, col, connection)
        ready.append(value)
    return model.from_db(connection.alias, [name for name, _, _ in columns], ready)


def converted(model: type[Model], name: str, value: object) -> object:
    """A value of one of model's fields read in plain SQL, converted as the ORM would."""
    for attname, col, converters in _columns(model, connection.vendor):
        if attname == name:
            for convert in converters:
                value = convert(value, col, connection)
            return value
    raise KeyError(name)


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


def insert_sql(obj: Model) -> tuple[str, list]:
    """The INSERT of obj's row as save(force_insert=True) would write it, and its
    parameters (its primary key left to the database when it has none). Raises ValueError
    for what this does not do (an expression as a value, a parent model)."""
    meta = obj._meta
    if meta.parents:
        raise ValueError(f"{meta.label} has a parent model: use save()")
    obj._prepare_related_fields_for_save(operation_name="save")
    fields = _insert_fields(type(obj), obj.pk is not None)
    values = [f.pre_save(obj, True) for f in fields]
    if any(hasattr(v, "resolve_expression") for v in values):
        raise ValueError("an expression as a value: use save()")
    sql = _compiled_insert(type(obj), obj.pk is not None, connection.vendor)
    return sql, [f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True)]


def insert(obj: Model) -> None:
    """Write obj as a new row (its primary key given by the database when it has none),
    as save(force_insert=True) does, in one compiled statement. A model that has
    pre_save or post_save receivers is saved by save(), so that none is missed."""
    model = type(obj)
    if signals.pre_save.has_listeners(model) or signals.post_save.has_listeners(model):
        obj.save(force_insert=True)
        return
    sql, params = insert_sql(obj)
    own_pk = obj.pk is not None
    with connection.cursor() as cursor:
        if own_pk:
            cursor.execute(sql, params)
        else:
            cursor.execute(f"{sql} RETURNING {connection.ops.quote_name(obj._meta.pk.column)}",
                           params)
            obj.pk = cursor.fetchone()[0]
    obj._state.adding, obj._state.db = False, connection.alias


@functools.cache
def _insert_fields(model: type[Model], with_pk: bool) -> list:
    return [f for f in model._meta.local_concrete_fields if with_pk or not f.primary_key]


@functools.cache
def _compiled_insert(model: type[Model], with_pk: bool, vendor: str) -> str:
    """The INSERT's text as the ORM compiles it (one %s per value: no value of the
    compiling instance is an expression)."""
    query = InsertQuery(model)
    query.insert_values(_insert_fields(model, with_pk), [model()])
    [(sql, _params)] = query.get_compiler(connection=connection).as_sql()
    return sql
