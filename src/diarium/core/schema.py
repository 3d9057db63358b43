"""OpenAPI post-processing: what every operation of a kind has, documented once.

- Every paginated list answers 404 for a page past the end and 400 for a bad `page_size`
  (core/pagination.py).
- Every operation on a record by id answers 404 when there is no such record or the user
  may not see it.
- A query parameter given empty (`?status=`) counts as not given, as in an HTML form (DRF
  reads query strings that way), so the schema allows the empty string for text and
  choice parameters instead of promising a 400 that never comes.
- A request body that carries no file is documented as JSON only. The API still reads a
  form, but a form cannot tell a number from text or null from empty, so a form is not a
  contract a client can rely on; bodies with a file stay multipart.
The hook runs over the finished document (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])
rather than on each view, so no view can forget it."""

PROBLEM = "application/problem+json"
_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_LIST_RESPONSES = {
    "400": "Invalid input, such as a `page_size` outside 1–500; `errors` holds messages "
           "per field.",
    "404": "No such page (past the last one, or not a number).",
}
_RECORD_404 = "No such record, or one the user may not see."


def _problem(description: str) -> dict:
    return {"content": {PROBLEM: {"schema": _PROBLEM_REF}}, "description": description}


FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def _allow_empty(parameter: dict) -> None:
    schema = parameter.get("schema", {})
    if parameter.get("in") != "query" or schema.get("type") != "string":
        return
    schema.pop("minLength", None)
    if "enum" in schema and "" not in schema["enum"]:
        schema["enum"] = [*schema["enum"], ""]
    elif "format" in schema:  # a date or an id, or nothing at all
        parameter["schema"] = {"anyOf": [schema, {"type": "string", "maxLength": 0}]}


def _has_file(schema: dict, components: dict, seen: frozenset = frozenset()) -> bool:
    ref = schema.get("$ref", "")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        return name not in seen and _has_file(components.get(name, {}), components,
                                              seen | {name})
    if schema.get("format") == "binary":
        return True
    parts = [*schema.get("properties", {}).values(), schema.get("items", {}),
             *schema.get("allOf", []), *schema.get("anyOf", []), *schema.get("oneOf", [])]
    return any(_has_file(part, components, seen) for part in parts if part)


def _json_only(operation: dict, components: dict) -> None:
    content = operation.get("requestBody", {}).get("content", {})
    json_body = content.get("application/json")
    if json_body is None or _has_file(json_body.get("schema", {}), components):
        return
    for media_type in FORMS:
        content.pop(media_type, None)


def _document(operation: dict, components: dict) -> None:
    _json_only(operation, components)
    parameters = operation.get("parameters", [])
    for parameter in parameters:
        _allow_empty(parameter)
    responses = operation.setdefault("responses", {})
    names = {(p.get("in"), p.get("name")) for p in parameters}
    if ("query", "page") in names:
        for code, description in _LIST_RESPONSES.items():
            responses.setdefault(code, _problem(description))
    if any(where == "path" for where, _ in names):
        responses.setdefault("404", _problem(_RECORD_404))


def document_common_errors(result: dict, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook."""
    components = result.get("components", {}).get("schemas", {})
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            if method != "parameters":
                _document(operation, components)
    return result
