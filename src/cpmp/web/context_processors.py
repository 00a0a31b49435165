from __future__ import annotations

from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, str]:
    return {"service_name": "Covert Policing Management Platform"}
