"""How the API answers the platform's own errors."""

from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from rest_framework import parsers, serializers, status
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from disputes.services.errors import (
    CaseInputError,
    IdempotencyConflict,
    NotAllowed,
    TransitionRefused,
)


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


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": _("The request body is too large.")},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, CaseInputError):
        return Response({exc.field: [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, TransitionRefused):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, NotAllowed):
        return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, IdempotencyConflict):
        return Response({"uuid": [str(exc)]}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    return drf_exception_handler(exc, context)
