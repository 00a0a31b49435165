"""Turn every error an API call raises into ``{"error": {"code", "message", "fields"}}``.

``CpmpError`` subclasses map to a status here, and the older errors (``LawError``,
``ImportFailed``, the law command's ``UsageError``), Django's ``Http404`` and django-ninja's own
errors are mapped onto ``CpmpError`` by type. Anything else is logged with the request id and
gets a 500 response with a bare body, never a stack trace.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from cpmp.audit.requests import source_from_request
from cpmp.errors import (
    BadRequest,
    Conflict,
    CpmpError,
    Forbidden,
    InvalidRequest,
    NotAuthenticated,
    NotFound,
)
from cpmp.law.errors import InvalidInput, LawError, RenewalAfterExpiry
from cpmp.law_cli import UsageError
from cpmp.oversight.importing.errors import ImportFailed

logger = logging.getLogger(__name__)

# Most specific class first: the first match decides the status.
STATUS_BY_ERROR: tuple[tuple[type[CpmpError], int], ...] = (
    (BadRequest, 400),
    (NotAuthenticated, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (Conflict, 409),
    (InvalidRequest, 422),
)
# A CpmpError of no class above is a request the service cannot act on as given.
DEFAULT_STATUS = 422

CODES_BY_HTTP_STATUS = {400: "bad_request", 401: "not_authenticated", 403: "forbidden"}

NOT_AUTHENTICATED_MESSAGE = (
    "The request has no valid API token. Send 'Authorization: Bearer <token>' with a token "
    "from 'cpmp token create' that has not expired or been revoked."
)
SERVER_ERROR_MESSAGE = (
    "Something went wrong on the server, so the request was not completed. Try again later, "
    "and if it keeps happening, give the service desk the request id."
)


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, Any]


class ErrorBody(Schema):
    """The body of every error response."""

    error: ErrorDetail


def error_responses(*statuses: int) -> dict[int, type[ErrorBody]]:
    """Return OpenAPI response entries for 401, 422 and ``statuses``, all with ``ErrorBody``."""
    return dict.fromkeys(sorted({401, 422, *statuses}), ErrorBody)


def status_for(error: CpmpError) -> int:
    for error_class, status in STATUS_BY_ERROR:
        if isinstance(error, error_class):
            return status
    return DEFAULT_STATUS


def as_cpmp_error(error: Exception) -> CpmpError | None:
    """Return ``error`` as a ``CpmpError``, or None when it has no mapping."""
    if isinstance(error, CpmpError):
        return error
    if isinstance(error, LawError):
        return _from_law_error(error)
    if isinstance(error, ImportFailed):
        return InvalidRequest(
            error.message,
            fields={"file_name": error.file_name, "reason": error.reason},
            code=error.code,
        )
    if isinstance(error, UsageError):
        return InvalidRequest(_sentence(_parameter_names(str(error))))
    return None


def _from_law_error(error: LawError) -> CpmpError:
    fields: dict[str, Any] = {}
    if isinstance(error, InvalidInput):
        fields = {"name": error.name, "value": str(error.value), "accepted": error.accepted}
    elif isinstance(error, RenewalAfterExpiry):
        fields = {"renewed": str(error.renewed), "previous_end": str(error.previous_end)}
    return InvalidRequest(_sentence(str(error)), fields=fields, code=error.code)


def _parameter_names(text: str) -> str:
    """Return a ``cpmp law`` message with each option (``--section-97``) as its API parameter."""
    return re.sub(r"--([a-z0-9-]+)", lambda match: match.group(1).replace("-", "_"), text)


def _sentence(text: str) -> str:
    """Return ``text`` with a capital first letter: the law core's messages start in lower case."""
    return text[:1].upper() + text[1:]


def error_response(api: NinjaAPI, request: HttpRequest, error: CpmpError) -> HttpResponse:
    status = status_for(error)
    response = api.create_response(request, error.as_json(), status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="cpmp"'
    return response


def install_exception_handlers(api: NinjaAPI) -> None:
    """Register the handlers that give every error the one JSON body."""

    def on_cpmp_error(request: HttpRequest, error: Any) -> HttpResponse:
        mapped = as_cpmp_error(error)
        if mapped is None:
            return on_unexpected(request, error)
        return error_response(api, request, mapped)

    def on_http_404(request: HttpRequest, error: Any) -> HttpResponse:
        return error_response(
            api, request, NotFound("No record was found. Check the id in the address.")
        )

    def on_validation_error(request: HttpRequest, error: Any) -> HttpResponse:
        assert isinstance(error, ValidationError)
        return error_response(api, request, _from_validation_error(error))

    def on_http_error(request: HttpRequest, error: Any) -> HttpResponse:
        assert isinstance(error, HttpError)
        if isinstance(error, AuthenticationError) or error.status_code == 401:
            mapped: CpmpError = NotAuthenticated(NOT_AUTHENTICATED_MESSAGE)
        elif error.status_code == 400:
            mapped = BadRequest(
                "The request body could not be read. Send valid JSON or multipart form data."
            )
        else:
            # django-ninja 1.7 raises HttpError itself for 400, 401, 403 (CSRF, cookie auth only)
            # and 429 (throttling, unused here).
            code = CODES_BY_HTTP_STATUS.get(error.status_code, "http_error")
            body = {"error": {"code": code, "message": str(error.message), "fields": {}}}
            return api.create_response(request, body, status=error.status_code)
        return error_response(api, request, mapped)

    def on_unexpected(request: HttpRequest, error: Any) -> HttpResponse:
        _, request_id = source_from_request(request)
        logger.exception("API request failed: request=%s", request_id, exc_info=error)
        body = {
            "error": {
                "code": "server_error",
                "message": SERVER_ERROR_MESSAGE,
                "fields": {"request_id": request_id},
            }
        }
        return api.create_response(request, body, status=500)

    for error_class in (CpmpError, LawError, ImportFailed, UsageError):
        api.add_exception_handler(error_class, on_cpmp_error)
    api.add_exception_handler(Http404, on_http_404)
    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Exception, on_unexpected)


# The first part of a django-ninja error location, which names where the value came from.
PARAMETER_SOURCES = frozenset({"query", "form", "body", "path", "file"})


def _from_validation_error(error: ValidationError) -> InvalidRequest:
    """Map django-ninja's pydantic errors to one ``InvalidRequest`` naming each invalid value.

    ``fields`` maps each value's name (its location without the source, such as ``page_size``
    for ``("query", "page_size")``) to pydantic's message for it.
    """
    fields: dict[str, str] = {}
    for item in error.errors:
        location = [str(part) for part in item.get("loc", ())]
        if len(location) > 1 and location[0] in PARAMETER_SOURCES:
            location = location[1:]
        name = ".".join(location) or "request"
        fields.setdefault(name, str(item.get("msg", "is not valid")))
    names = ", ".join(sorted(fields))
    return InvalidRequest(
        f"The request has invalid values: {names}. Correct them and send the request again.",
        fields=fields,
    )
