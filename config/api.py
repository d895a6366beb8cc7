"""How the API reads what it is sent: JSON, text as JSON strings, query parameters.

The answers to the platform's own errors are disputes.core.api.exception_handler.
"""

from django.utils.translation import gettext as _
from rest_framework import parsers, serializers
from rest_framework.exceptions import ParseError, ValidationError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with a clear 400 for JSON nested deeper than Python can follow."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("JSON parse error: nested too deeply.")) from exc


class StringField(serializers.CharField):
    """Text that must come as a JSON string: DRF's CharField also takes 0 or 1.5 as text,
    which the schema (type string) says is not valid."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class QuerySerializer(serializers.Serializer):
    """Query parameters, read as strictly as a body.

    A form-style serializer takes `?day=` for a missing `day` and uses the
    default; here a parameter that is given must be a value of its type: an
    empty one is refused unless the field allows blank text.
    """

    def to_internal_value(self, data):
        blank = serializers.CharField.default_error_messages["blank"]
        errors = {
            name: [blank]
            for name, field in self.fields.items()
            if hasattr(data, "getlist")
            and "" in data.getlist(name)
            and not getattr(field, "allow_blank", False)
        }
        if errors:
            raise ValidationError(errors)
        return super().to_internal_value(data)
