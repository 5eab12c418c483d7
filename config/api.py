"""API-wide pieces: the exception handler that gives every error one JSON shape."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """DRF's handler, plus Django ValidationErrors raised by services.

    A service raises django.core.exceptions.ValidationError; the client gets a 400
    with the messages by field, as for a serializer's own errors.
    """
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    elif isinstance(exc, Http404):
        # Django's message names the model ("No Region matches..."): say only "not found".
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
