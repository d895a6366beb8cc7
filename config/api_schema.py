"""The API's OpenAPI schema: every operation documents the errors it can answer.

drf-spectacular documents the success of each operation; clients (and the
schemathesis run of tests/disputes/test_api_fuzz.py) also need to know which
errors may come back and what they hold. Each operation gets:

- 400 with the field errors, when it takes query parameters or a body;
- 401 and 403, when it needs a login (every operation but the token login);
- 404, when it names an object in its path, is paginated or looks up what its
  query names (`Errors.NOT_FOUND` on the view adds it elsewhere);
- 413 and 415, when it takes a body;
- 429, when it is throttled (the token login; django-axes' lockout answers the same).

Answers that depend on the state of the data are declared where they happen,
with the responses below: 409 (`CONFLICT`, a transition the case's state
refuses) and 422 (`KEY_REUSED`, a client key sent again with another body).
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse

ERROR = "Error"
VALIDATION_ERROR = "ValidationError"

ERROR_SCHEMA = {
    "type": "object",
    "description": "What went wrong, in the user's language (Accept-Language).",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Each field that was refused, with its messages in the user's language "
        '(`{"latitude": ["…"]}`; a list of objects for a list of objects, an object '
        "for a nested object); `non_field_errors` for the request as a whole, `detail` "
        "for a request that could not be read at all."
    ),
    "properties": {
        "detail": {"type": "string"},
        "non_field_errors": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": {"anyOf": [{"type": "array"}, {"type": "object"}]},
}
COMPONENTS = {ERROR: ERROR_SCHEMA, VALIDATION_ERROR: VALIDATION_ERROR_SCHEMA}

DESCRIPTIONS = {
    "400": "The request is not valid: each field with its messages.",
    "401": "No valid credentials: log in (POST /api/auth/token/) and send `Authorization: Token …`.",
    "403": "Your role may not do this.",
    "404": "No such object in your area (objects outside it answer the same), or no such page.",
    "409": "The object's state does not allow this now (e.g. a case that is not awaiting it).",
    "413": "The body is larger than the server takes (REQUEST_MAX_BYTES).",
    "415": "The body's media type is not one this operation reads.",
    "422": "This client key (uuid) was sent before with a different request.",
    "429": "Too many attempts: wait and try again.",
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def error_response(code: int) -> OpenApiResponse:
    """An error answer for @extend_schema(responses=…): its description and body."""
    body = _ref(VALIDATION_ERROR if code in (400, 422) else ERROR)
    return OpenApiResponse(response=body, description=DESCRIPTIONS[str(code)])


CONFLICT = {409: error_response(409)}
KEY_REUSED = {422: error_response(422)}
NOT_FOUND = {404: error_response(404)}


class AutoSchema(SpectacularAutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for name, schema in COMPONENTS.items():
            registry.register_on_missing(
                ResolvedComponent(
                    name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
                )
            )
        responses = operation["responses"]
        for code in self._error_codes(operation):
            responses.setdefault(code, self._error_response(code))
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _error_codes(self, operation) -> list[str]:
        parameters = operation.get("parameters", [])
        takes_body = "requestBody" in operation
        codes = []
        if takes_body or any(p["in"] in ("query", "header") for p in parameters):
            codes.append("400")
        if self._needs_login():
            codes += ["401", "403"]
        if (
            any(p["in"] == "path" for p in parameters)
            or self._is_paginated()
            or any(p["in"] == "query" for p in parameters)
        ):
            codes.append("404")
        if takes_body:
            codes += ["413", "415"]
        if self.view.get_throttles():
            codes.append("429")
        return codes

    def _needs_login(self) -> bool:
        return bool(self.view.get_authenticators()) and any(
            p.__class__.__name__ != "AllowAny" for p in self.view.get_permissions()
        )

    def _is_paginated(self) -> bool:
        return self._is_list_view() and self._get_paginator() is not None

    def _error_response(self, code: str) -> dict:
        name = VALIDATION_ERROR if code in ("400", "422") else ERROR
        return {
            "content": {"application/json": {"schema": _ref(name)}},
            "description": DESCRIPTIONS[code],
        }


def closed_response_objects(result, generator, request, public):
    """Postprocessing hook: an answer holds the fields its schema lists, and no others.

    drf-spectacular leaves objects open (any extra property validates); closing
    the answers' objects lets a schema check find a field that the code sends
    and the schema does not document. Request bodies (the `…Request` components,
    COMPONENT_SPLIT_REQUEST) stay open: a client may send more than is read.
    """

    def close(schema):
        if isinstance(schema, dict):
            if (
                schema.get("type") == "object"
                and "properties" in schema
                and "additionalProperties" not in schema
            ):
                schema["additionalProperties"] = False
            for value in schema.values():
                close(value)
        elif isinstance(schema, list):
            for value in schema:
                close(value)

    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if not name.endswith("Request"):
            close(schema)
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for response in operation.get("responses", {}).values():
                close(response.get("content", {}))
    return result
