"""How the API answers the platform's own errors."""

from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from rest_framework import parsers, status
from rest_framework.exceptions import ParseError
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
