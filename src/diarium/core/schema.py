"""OpenAPI post-processing: responses every operation of a kind has, documented once.

Every paginated list answers 404 for a page past the end and 400 for a bad `page_size`
(core/pagination.py); rather than repeat that on each view, the hook adds both to every
operation that takes the pagination parameters."""

PROBLEM = "application/problem+json"
_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_LIST_RESPONSES = {
    "400": "Invalid input, such as a `page_size` outside 1–500; `errors` holds messages "
           "per field.",
    "404": "No such page (past the last one, or not a number).",
}


def document_list_errors(result: dict, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            names = {p.get("name") for p in operation.get("parameters", [])}
            if "page" not in names:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in _LIST_RESPONSES.items():
                responses.setdefault(code, {
                    "content": {PROBLEM: {"schema": _PROBLEM_REF}},
                    "description": description,
                })
    return result
