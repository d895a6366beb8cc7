"""How the API reads what it is sent: JSON, text as JSON strings, query parameters.

The answers to the platform's own errors are disputes.core.api.exception_handler.
"""

import copy

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


class FieldsBuiltOnce:
    """For a ModelSerializer: its fields worked out from the model once per class.

    REST framework works them out again for every serializer it makes (for a case's
    answer, ~200 translated labels and a third of the answer's time), then deep-copies
    them. Here each serializer gets new fields made from the arguments found the
    first time (a field's arguments are not changed by the field); nested serializers,
    which hold their children, are deep-copied as REST framework does.
    """

    _built: dict[type, dict] = {}

    def get_fields(self):
        cls = type(self)
        if cls not in FieldsBuiltOnce._built:
            FieldsBuiltOnce._built[cls] = super().get_fields()
        return {
            name: copy.deepcopy(field)
            if isinstance(field, serializers.BaseSerializer)
            else field.__class__(*field._args, **field._kwargs)
            for name, field in FieldsBuiltOnce._built[cls].items()
        }


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
