"""The one way a page reads a central-record import, so that access is checked every time."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404

from cpmp.access.compartments import oversees_all_operations
from cpmp.access.models import User
from cpmp.access.predicates import can_import_central_record

from .models import CentralRecordImport


def access_import(user: User, import_id: int, now: datetime) -> CentralRecordImport:
    """Return the import if ``user`` may import central records, without the file content.

    Raises ``Http404`` both when the import does not exist and when the person may not see
    it, so the response does not reveal which imports exist.

    An import's report lists every record in the file with its operation, across every
    compartment, so only someone who oversees every operation may open it.
    """
    if not can_import_central_record(user, now):
        raise Http404("No import found")
    if not oversees_all_operations(user, now):
        raise Http404("No import found")
    try:
        return CentralRecordImport.objects.defer("content").get(pk=import_id)
    except CentralRecordImport.DoesNotExist as error:
        raise Http404("No import found") from error
