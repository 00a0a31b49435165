"""The one way a page reads an authorisation, so that access is checked every time."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404

from cpmp.access.compartments import visible_authorisations
from cpmp.access.models import User

from .models import Authorisation
from .selectors import with_status


def access_authorisation(user: User, authorisation_id: int, now: datetime) -> Authorisation:
    """Return the authorisation with its ``status`` at ``now``, if ``user`` may see it.

    Raises ``Http404`` both when the record does not exist and when the person may not see
    it (it is outside their compartments), so the response does not reveal which records
    exist.
    """
    related = (
        visible_authorisations(user, now)
        .select_related("import_batch")
        .defer("import_batch__content", "import_batch__report")
    )
    queryset = with_status(related, now)
    try:
        return queryset.get(pk=authorisation_id)
    except Authorisation.DoesNotExist as error:
        raise Http404("No authorisation found") from error
