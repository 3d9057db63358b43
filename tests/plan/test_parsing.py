"""The file readers never crash on hostile input: they answer with a table or with
PlanFileError."""

import io
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st

from diarium.plan.io import parsing, reading
from diarium.plan.io.columns import HEADERS
from diarium.plan.io.errors import PlanFileError

HEADER = ";".join(HEADERS).encode()
cells = st.sampled_from(["", "1", "1.1", "1.1.1", "2 år", "gallras", "bevaras", "ja", "x",
                         "registreras", "vid inaktualitet", "ärendets avslut", '"', ";", "\n",
                         "'=1", "\xe5", "OSL 26:1", "-2 år"])


def _parse(data: bytes, fmt: str) -> None:
    try:
        parsing.parse_table(reading.read_table(data, fmt))
    except PlanFileError as exc:
        assert exc.issues and all(str(i) for i in exc.issues)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["csv", "json", "xlsx"]))
def test_arbitrary_bytes(data, fmt):
    _parse(data, fmt)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(cells, max_size=len(HEADERS) + 2), max_size=8))
def test_arbitrary_rows_under_a_valid_header(rows):
    body = b"\n".join(";".join(r).encode("utf-8") for r in rows)
    _parse(HEADER + b"\n" + body, "csv")


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_zip_members(member):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", member)
        z.writestr("xl/workbook.xml", member)
    _parse(out.getvalue(), "xlsx")
