"""How the API answers the platform's own errors."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from disputes.services.errors import (
    CaseInputError,
    IdempotencyConflict,
    NotAllowed,
    TransitionRefused,
)


def exception_handler(exc, context):
    if isinstance(exc, CaseInputError):
        return Response({exc.field: [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, TransitionRefused):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, NotAllowed):
        return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, IdempotencyConflict):
        return Response({"uuid": [str(exc)]}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    return drf_exception_handler(exc, context)
