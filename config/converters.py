"""Path converters: an id in a URL is a number a database key can hold, or the URL matches nothing."""


class IdConverter:
    """1 to 18 digits: always within a bigint, so a lookup never overflows (404, not 500)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


# The same pattern for DRF routers' lookups.
ID_REGEX = IdConverter.regex
