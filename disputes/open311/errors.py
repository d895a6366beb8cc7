"""The one refusal of the Open311 interface: an answer in the specification's error list."""


class Open311Error(Exception):
    """Answered as `[{"code": code, "description": description}]` (or its XML) with HTTP `status`.

    GeoReport v2: 404 for what does not exist (a service_code, a jurisdiction_id, a
    request), 403 for a missing or unknown api_key, 400 for any other request that
    cannot be fulfilled. `description` is read by people: translate it.
    """

    def __init__(self, status: int, description: str, *, headers: dict | None = None):
        self.status = status
        self.description = description
        self.headers = headers or {}
        super().__init__(f"{status}: {description}")
