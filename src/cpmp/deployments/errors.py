"""Errors of bookings and deployments, in the ``cpmp.errors`` family."""

from __future__ import annotations

from cpmp.errors import Conflict, CpmpError, Forbidden


class DeploymentInvalid(CpmpError):
    """A booking, deployment or recovery with missing or invalid values; ``fields["errors"]``
    maps each field to its message."""

    code = "deployment_invalid"

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(next(iter(errors.values())), fields={"errors": errors})
        self.errors = errors


class NotCovered(CpmpError):
    """A deployment that no live authority covers; ``fields["problems"]`` lists why."""

    code = "not_covered"

    def __init__(self, problems: list[str], *, authorisation_id: int | None) -> None:
        super().__init__(
            "This deployment is not authorised: " + " ".join(problems),
            fields={"problems": problems, "authorisation_id": authorisation_id},
        )
        self.problems = problems


class BookingClash(Conflict):
    """A booking that overlaps another booking or a deployment of the same asset.

    ``fields`` carries the clash window, and the other operation only where the person may
    see it, so a refusal never reveals another compartment.
    """

    code = "booking_clash"


class NotPermitted(Forbidden):
    """A person who may not make this change, such as someone outside the operation's team."""

    code = "not_permitted"
