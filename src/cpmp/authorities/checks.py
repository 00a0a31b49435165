"""The questions the lifecycle actions put to the law core before they change anything.

Each check returns the facts the projection needs or raises a ``LawRefusal``,
``NotPermitted`` or ``ApplicationInvalid`` with a stable code.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from cpmp.access.models import User
from cpmp.law.durations import Period
from cpmp.law.kinds import AuthorityKind
from cpmp.law.periods import last_day_of_months, london_day
from cpmp.law.ranks import UNDER_16_PARENT, check_authoriser, check_self_authorisation
from cpmp.law.sources import check_cca_has_live_chis, relevant_source_cumulative

from .actions._common import force, law_rank
from .content import CHIS_KINDS, material_facts, parse_date, section_97
from .errors import LawRefusal, NotPermitted
from .models import Application, Authorisation, Origin, RecordState

K = AuthorityKind


def _age_on(birth: date, day: date) -> int:
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def validate_decision(
    application: Application,
    decision: Mapping[str, Any],
    at: datetime,
    *,
    oral: bool,
    urgent: bool | None = None,
) -> dict[str, str]:
    """Return the problems with an authorising officer's decision, as field path → message."""
    errors: dict[str, str] = {}
    for key, message in (
        ("statement", "Enter exactly what you authorise: who, what, where, when and how"),
        ("necessity", "Enter in your own words why the activity is necessary"),
        ("proportionality", "Enter in your own words why the activity is proportionate"),
    ):
        if not str(decision.get(key) or "").strip():
            errors[key] = message
    first_review = parse_date(decision.get("first_review_on"))
    if first_review is None:
        errors["first_review_on"] = "Enter the date of the first review"
    elif first_review <= london_day(at):
        errors["first_review_on"] = "The first review must be after the day of the grant"
    elif K.JUVENILE_CHIS in application.kinds:
        # A source under 18 is reviewed at least monthly (SI 2000/2793 as amended by
        # SI 2018/715), so the first review falls within the first month (convention C2).
        latest = last_day_of_months(london_day(at), 1)
        if first_review > latest:
            errors["first_review_on"] = (
                f"A source under 18 must be reviewed at least monthly: set the first review "
                f"on or before {latest.day} {latest:%B %Y}"
            )
    confidential, privileged = material_facts(application.content)
    if (confidential or privileged) and not str(
        decision.get("confidential_material_consideration") or ""
    ).strip():
        errors["confidential_material_consideration"] = (
            "Explain how you considered the likely confidential or privileged material"
        )
    urgent = application.urgent if urgent is None else urgent
    if (oral or urgent) and not str(decision.get("urgency_reason") or "").strip():
        errors["urgency_reason"] = (
            "Enter why the case was so urgent that it could not wait for a written authorisation"
        )
    return errors


def grant_facts(
    application: Application,
    kind: AuthorityKind,
    authoriser: User,
    decision: Mapping[str, Any],
    at: datetime,
    *,
    oral: bool,
    urgent: bool,
) -> dict[str, Any]:
    """Decide whether ``authoriser`` may grant ``kind`` now, and return the grant's facts.

    Raises ``NotPermitted`` for someone with no police rank, and ``LawRefusal`` with code
    ``juvenile_under_16_parent``, ``authoriser_not_permitted`` or
    ``self_authorisation_unrecorded`` when the law core refuses.
    """
    rank = law_rank(authoriser)
    if rank is None:
        raise NotPermitted(
            "Only a police officer of the required rank can authorise this",
            fields={"rank": authoriser.rank},
        )
    content = application.content
    confidential, privileged = material_facts(content)
    juvenile_details = (
        content.get("juvenile") if isinstance(content.get("juvenile"), Mapping) else {}
    )
    juvenile = kind is K.JUVENILE_CHIS or (kind is K.CRIMINAL_CONDUCT and bool(juvenile_details))
    birth = parse_date(juvenile_details.get("date_of_birth")) if juvenile_details else None
    under_16 = birth is not None and _age_on(birth, london_day(at)) < 16
    legal_consultation = kind in (
        K.DIRECTED_SURVEILLANCE,
        K.INTRUSIVE_SURVEILLANCE,
    ) and bool(content.get("legal_consultation"))
    long_term = kind is K.RELEVANT_SOURCE and relevant_source_long_term(application, at)

    decided = check_authoriser(
        kind,
        rank,
        force(),
        urgent=urgent,
        oral=oral,
        confidential=confidential,
        legally_privileged=privileged,
        juvenile=juvenile,
        vulnerable=bool(content.get("vulnerable")),
        long_term=long_term,
        legal_consultation=legal_consultation,
        designated_deputy=bool(decision.get("designated_deputy")),
        under_16=under_16,
        relationship_with_parent=bool(juvenile_details.get("relationship_with_parent")),
        on=london_day(at),
    )
    if not decided.permitted:
        code = (
            "juvenile_under_16_parent"
            if UNDER_16_PARENT.identifier in decided.rules
            else "authoriser_not_permitted"
        )
        raise LawRefusal(
            (decided.problem or "The law does not permit this grant").capitalize(),
            code=code,
            rules=decided.rules,
            extra={"kind": kind.value, "rank": rank.value, "force": force().value},
        )

    involved = (
        bool(decision.get("directly_involved"))
        or authoriser.pk == application.applicant_id
        or authoriser.pk == application.operation.senior_investigating_officer_id
    )
    reason = str(decision.get("self_authorisation_reason") or "").strip()
    self_decided = check_self_authorisation(
        directly_involved=involved, recorded_unavoidable=bool(reason)
    )
    if not self_decided.permitted:
        raise LawRefusal(
            (self_decided.problem or "").capitalize(),
            code="self_authorisation_unrecorded",
            rules=self_decided.rules,
            field="self_authorisation_reason",
        )

    return {
        "oral": oral,
        "urgent": urgent,
        "urgent_only_authoriser": decided.urgent_only,
        "juvenile": juvenile,
        "section_97": kind is K.PROPERTY_INTERFERENCE and section_97(content),
        "long_term": long_term,
        "legally_privileged": privileged and kind in (K.CHIS, K.JUVENILE_CHIS),
        "legal_consultation": legal_consultation,
        "self_authorised": self_decided.flag,
        "designated_deputy": bool(decision.get("designated_deputy")),
        "authoriser_id": authoriser.pk,
        "rules": list(decided.rules) + list(self_decided.rules),
    }


def _periods_of(row: Authorisation) -> list[tuple[date, date]]:
    found = []
    for period in row.details.get("periods", []):
        first = parse_date(period.get("first_day"))
        last = parse_date(period.get("last_day"))
        if first is not None and last is not None:
            found.append((first, last))
    return found


def relevant_source_long_term(application: Application, at: datetime) -> bool:
    """Return whether a 12-month relevant-source period from ``at`` would make the source's
    total in this operation exceed 12 months (SI 2013/2788 art 3)."""
    if application.source_id is None:
        return False
    earlier = Authorisation.objects.filter(
        origin=Origin.WORKFLOW,
        kind=K.RELEVANT_SOURCE.value,
        application__source_id=application.source_id,
        application__operation_id=application.operation_id,
    ).exclude(application=application)
    periods = [period for row in earlier for period in _periods_of(row)]
    first = london_day(at)
    periods.append((first, last_day_of_months(first, 12)))
    return relevant_source_cumulative(periods).long_term


def check_criminal_conduct(application: Application, rows: list[Authorisation]) -> None:
    """Refuse a criminal conduct authorisation without a live CHIS authorisation for the same
    source at the instant it takes effect (RIPA s.29B(3)); ``rows`` are the application's
    projected rows."""
    conduct = next((row for row in rows if row.kind == K.CRIMINAL_CONDUCT.value), None)
    if conduct is None or conduct.takes_effect_from is None:
        return
    if application.chis_authorisation is not None:
        linked = application.chis_authorisation
        linked_source = linked.application.source_id if linked.application else None
        if linked_source != application.source_id:
            raise LawRefusal(
                "The CHIS authorisation selected is for a different source: select the source's "
                "own CHIS authorisation",
                code="criminal_conduct_without_live_chis",
                field="chis_authorisation",
            )
    # Submission rejects a criminal conduct application that names no source. Without one
    # there is no CHIS authorisation to rest on, so the check below raises LawRefusal.
    candidates = (
        Authorisation.objects.filter(
            origin=Origin.WORKFLOW,
            kind__in=[kind.value for kind in CHIS_KINDS],
            application__source_id=application.source_id,
            state=RecordState.GRANTED,
            takes_effect_from__isnull=False,
            expires_latest__isnull=False,
        )
        if application.source_id is not None
        else Authorisation.objects.none()
    )
    periods = []
    for row in candidates:
        assert row.takes_effect_from is not None and row.expires_latest is not None
        end = row.expires_latest
        if row.cancelled_from is not None and row.cancelled_from < end:
            end = row.cancelled_from
        periods.append((row.takes_effect_from, end))
    checked = check_cca_has_live_chis(conduct.takes_effect_from, periods)
    if not checked.permitted:
        raise LawRefusal(
            (checked.problem or "").capitalize(),
            code="criminal_conduct_without_live_chis",
            rules=checked.rules,
            field="chis_authorisation",
        )


def current_period(row: Authorisation) -> Period | None:
    """Return the law core's ``Period`` of a workflow row's current period, or None."""
    from .projection import power_history

    return power_history(row).current
