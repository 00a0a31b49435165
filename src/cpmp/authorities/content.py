"""What each kind of application must contain before it can be submitted, and the facts the law
core needs from it.

The content is JSON with these keys (a combined application fills the union of its kinds'):

- every kind: ``purpose``, ``grounds`` (list), ``necessity``, ``proportionality``,
  ``collateral_intrusion``, ``collateral_minimisation``, ``intelligence_references`` (list),
  ``confidential_material`` (``likelihood``, ``types``, ``explanation``) and ``conduct``
  (items with ``category``, ``identifier`` and, for a tactic, its own ``necessity``,
  ``proportionality``, ``collateral_intrusion`` and ``collateral_minimisation``);
  ``urgency_reason`` when urgent;
- surveillance: ``information_sought``; ``legal_consultation`` (bool);
- CHIS kinds: ``chis`` (``tasking_purpose``, ``proposed_conduct``, ``handler_id``,
  ``controller_id``, ``records_officer_id``, ``risk_assessment_reference``,
  ``community_sensitivities``, ``conflicting_operations``); ``vulnerable`` (bool);
- juvenile CHIS: ``juvenile`` (``date_of_birth``, ``relationship_with_parent``,
  ``appropriate_adult``, ``enhanced_risk_assessment_reference``);
- criminal conduct: ``criminal_conduct`` (``conduct``, ``human_rights_compatibility``);
- property and equipment interference: ``serious_crime``; equipment interference also
  ``technical_description``, which must name the equipment it interferes with.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from cpmp.law.kinds import AuthorityKind

K = AuthorityKind

CHIS_KINDS = frozenset({K.CHIS, K.JUVENILE_CHIS, K.RELEVANT_SOURCE})
SOURCE_KINDS = CHIS_KINDS | {K.CRIMINAL_CONDUCT}
SURVEILLANCE_KINDS = frozenset({K.DIRECTED_SURVEILLANCE, K.INTRUSIVE_SURVEILLANCE})

# Grounds each power may rest on.
_S28_GROUNDS = frozenset(
    {
        "national-security",
        "preventing-or-detecting-crime",
        "preventing-disorder",
        "economic-well-being",
        "public-safety",
        "public-health",
        "tax",
    }
)
GROUNDS: dict[AuthorityKind, frozenset[str]] = {
    # RIPA s.28(3) and s.29(3).
    K.DIRECTED_SURVEILLANCE: _S28_GROUNDS,
    K.CHIS: _S28_GROUNDS,
    K.JUVENILE_CHIS: _S28_GROUNDS,
    K.RELEVANT_SOURCE: _S28_GROUNDS,
    # RIPA s.32(3).
    K.INTRUSIVE_SURVEILLANCE: frozenset(
        {"national-security", "serious-crime", "economic-well-being"}
    ),
    # RIPA s.29B(5).
    K.CRIMINAL_CONDUCT: frozenset(
        {
            "national-security",
            "preventing-or-detecting-crime",
            "preventing-disorder",
            "economic-well-being",
        }
    ),
    # Police Act 1997 s.93(2).
    K.PROPERTY_INTERFERENCE: frozenset({"serious-crime"}),
    # IPA 2016 s.106(1), (3).
    K.EQUIPMENT_INTERFERENCE: frozenset({"serious-crime", "preventing-death-or-injury"}),
}

LIKELIHOODS = ("none", "unlikely", "possible", "likely", "intended")
# Likelihoods that route the application to the higher authorisation level. The Codes speak
# of material "likely" to be obtained; "possible" must be explained but does not route.
ROUTING_LIKELIHOODS = frozenset({"likely", "intended"})
MATERIAL_TYPES = (
    "legal-privilege",
    "confidential-personal",
    "confidential-journalistic",
    "journalistic-source",
    "constituent",
)
CONDUCT_CATEGORIES = (
    "subject",
    "premises",
    "vehicle",
    "equipment",
    "online-account",
    "tactic",
    "time-window",
)
TACTIC_TEXTS = ("necessity", "proportionality", "collateral_intrusion", "collateral_minimisation")
# What a tactic is missing without each of its texts: submission and variation ask the same.
TACTIC_TEXT_MESSAGES = {
    "necessity": "Enter why this tactic is necessary",
    "proportionality": "Enter why this tactic is proportionate",
    "collateral_intrusion": "Describe the collateral intrusion of this tactic",
    "collateral_minimisation": "Enter how this tactic's collateral intrusion will be minimised",
}
SECTION_97_PREMISES = frozenset({"dwelling", "hotel-bedroom", "office"})


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def parse_date(value: Any) -> date | None:
    """Return the ISO date ``value`` names, or None when it is missing or invalid."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_instant(value: Any) -> datetime | None:
    """Return the aware ISO instant ``value`` names, or None when missing, invalid or naive."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


class _Errors(dict[str, str]):
    def need_text(self, content: Mapping[str, Any], path: str, key: str, message: str) -> None:
        if not _text(content.get(key)):
            self[f"{path}{key}"] = message


def validate_application(
    kinds: Iterable[AuthorityKind],
    content: Mapping[str, Any],
    *,
    urgent: bool,
    has_source: bool,
    has_chis_authorisation: bool,
) -> dict[str, str]:
    """Return every problem with ``content`` for ``kinds``, as field path → message.

    An empty result means the application may be submitted. Messages follow the GOV.UK
    pattern of saying what to enter.
    """
    kinds = list(kinds)
    errors = _Errors()
    errors.need_text(content, "", "purpose", "Enter the purpose of the operation")
    _check_grounds(kinds, content, errors)
    errors.need_text(content, "", "necessity", "Enter why the activity is necessary")
    errors.need_text(content, "", "proportionality", "Enter why the activity is proportionate")
    errors.need_text(
        content, "", "collateral_intrusion", "Describe the collateral intrusion and who it affects"
    )
    errors.need_text(
        content, "", "collateral_minimisation", "Enter how collateral intrusion will be minimised"
    )
    references = content.get("intelligence_references")
    if not isinstance(references, list) or not [r for r in references if _text(r)]:
        errors["intelligence_references"] = "Enter at least one intelligence reference"
    _check_confidential_material(content, errors)
    _check_conduct(kinds, content, errors)
    if urgent:
        errors.need_text(
            content,
            "",
            "urgency_reason",
            "Enter why the case is urgent: waiting for a written authorisation would endanger "
            "life or jeopardise the operation",
        )

    if set(kinds) & SURVEILLANCE_KINDS:
        errors.need_text(content, "", "information_sought", "Enter the information sought")
    if set(kinds) & SOURCE_KINDS and not has_source:
        errors["source"] = "Select the source this application is for"
    if set(kinds) & CHIS_KINDS:
        _check_chis(content, errors)
    if K.JUVENILE_CHIS in kinds:
        _check_juvenile(content, errors)
    if K.CRIMINAL_CONDUCT in kinds:
        _check_criminal_conduct(kinds, content, errors, has_chis_authorisation)
    if K.PROPERTY_INTERFERENCE in kinds or K.EQUIPMENT_INTERFERENCE in kinds:
        errors.need_text(
            content,
            "",
            "serious_crime",
            "Enter the serious crime and why the interference is likely to be of substantial "
            "value in preventing or detecting it",
        )
    if K.EQUIPMENT_INTERFERENCE in kinds:
        _check_technical_description(content, errors)
    if K.INTRUSIVE_SURVEILLANCE in kinds and not _items(content, "premises", "vehicle"):
        errors["conduct"] = (
            "Add the residential premises or private vehicle the intrusive surveillance covers"
        )
    if K.PROPERTY_INTERFERENCE in kinds and not _items(content, "premises", "vehicle", "equipment"):
        errors["conduct"] = (
            "Add the property (premises, vehicle or equipment) to be interfered with"
        )
    return dict(errors)


def _check_grounds(kinds: list[AuthorityKind], content: Mapping[str, Any], errors: _Errors) -> None:
    grounds = content.get("grounds")
    if not isinstance(grounds, list) or not grounds:
        errors["grounds"] = "Select the grounds on which the activity is necessary"
        return
    for kind in kinds:
        allowed = GROUNDS[kind]
        wrong = [ground for ground in grounds if ground not in allowed]
        if wrong:
            errors["grounds"] = (
                f"{kind.label} cannot rest on {', '.join(map(str, wrong))}: select from "
                f"{', '.join(sorted(allowed))}"
            )
            return


def _check_confidential_material(content: Mapping[str, Any], errors: _Errors) -> None:
    answer = content.get("confidential_material")
    if not isinstance(answer, Mapping) or answer.get("likelihood") not in LIKELIHOODS:
        errors["confidential_material.likelihood"] = (
            "Select how likely it is that legally privileged or confidential material will be "
            "obtained"
        )
        return
    if answer["likelihood"] in ("possible", "likely", "intended"):
        types = answer.get("types")
        if not isinstance(types, list) or not types or set(types) - set(MATERIAL_TYPES):
            errors["confidential_material.types"] = (
                "Select which kinds of confidential material may be obtained"
            )
    if not _text(answer.get("explanation")):
        errors["confidential_material.explanation"] = (
            "Explain the likelihood of obtaining confidential material in this operation"
        )


def _check_conduct(kinds: list[AuthorityKind], content: Mapping[str, Any], errors: _Errors) -> None:
    items = content.get("conduct")
    if not isinstance(items, list) or not items:
        errors["conduct"] = "Add what is to be authorised: subjects, places, tactics"
        return
    tactics = 0
    for index, item in enumerate(items):
        path = f"conduct.{index}."
        if not isinstance(item, Mapping) or item.get("category") not in CONDUCT_CATEGORIES:
            errors[f"{path}category"] = "Select what kind of item this is"
            continue
        category = item["category"]
        if category != "time-window" and not _text(item.get("identifier")):
            errors[f"{path}identifier"] = "Enter the reference, address, registration or name"
        if category == "tactic":
            tactics += 1
            errors.need_text(item, path, "description", "Describe the tactic")
            for key in TACTIC_TEXTS:
                errors.need_text(item, path, key, TACTIC_TEXT_MESSAGES[key])
        if category == "premises" and item.get("premises_use") not in (
            *SECTION_97_PREMISES,
            "other",
        ):
            errors[f"{path}premises_use"] = (
                "Select whether the premises are a dwelling, a hotel bedroom, an office or other"
            )
        if category == "online-account" and not _text(item.get("platform")):
            errors[f"{path}platform"] = "Enter the platform the account is on"
        if category == "time-window":
            starts = parse_instant(item.get("starts_at"))
            ends = parse_instant(item.get("ends_at"))
            if starts is None or ends is None or ends <= starts:
                errors[f"{path}ends_at"] = (
                    "Enter a start and an end, with the end after the start, as a date and time"
                )
    if tactics == 0:
        errors["conduct"] = (
            "Add each tactic separately, with its own necessity, proportionality and collateral "
            "intrusion"
        )


def _check_chis(content: Mapping[str, Any], errors: _Errors) -> None:
    chis = content.get("chis")
    chis = chis if isinstance(chis, Mapping) else {}
    errors.need_text(
        chis, "chis.", "tasking_purpose", "Enter the purpose for which the source will be tasked"
    )
    errors.need_text(chis, "chis.", "proposed_conduct", "Describe the source's proposed conduct")
    errors.need_text(
        chis, "chis.", "risk_assessment_reference", "Enter the reference of the risk assessment"
    )
    errors.need_text(
        chis,
        "chis.",
        "community_sensitivities",
        "Enter any community sensitivities, or that there are none",
    )
    errors.need_text(
        chis,
        "chis.",
        "conflicting_operations",
        "Enter operations that might affect the deployment, or that there are none",
    )
    # RIPA s.29(5): a handler, a controller and a person responsible for the records.
    for key, role in (
        ("handler_id", "handler"),
        ("controller_id", "controller"),
        ("records_officer_id", "officer responsible for the source's records"),
    ):
        if not isinstance(chis.get(key), int):
            errors[f"chis.{key}"] = f"Select the {role}"


def _check_juvenile(content: Mapping[str, Any], errors: _Errors) -> None:
    juvenile = content.get("juvenile")
    juvenile = juvenile if isinstance(juvenile, Mapping) else {}
    if parse_date(juvenile.get("date_of_birth")) is None:
        errors["juvenile.date_of_birth"] = "Enter the source's date of birth"
    if not isinstance(juvenile.get("relationship_with_parent"), bool):
        errors["juvenile.relationship_with_parent"] = (
            "Select whether the relationship to be used is with a parent or a person with "
            "parental responsibility"
        )
    errors.need_text(
        juvenile,
        "juvenile.",
        "enhanced_risk_assessment_reference",
        "Enter the reference of the enhanced risk assessment (physical and psychological harm)",
    )
    errors.need_text(
        juvenile,
        "juvenile.",
        "appropriate_adult",
        "Enter who will act as the appropriate adult at meetings with the source",
    )


def _check_criminal_conduct(
    kinds: list[AuthorityKind],
    content: Mapping[str, Any],
    errors: _Errors,
    has_chis_authorisation: bool,
) -> None:
    conduct = content.get("criminal_conduct")
    conduct = conduct if isinstance(conduct, Mapping) else {}
    errors.need_text(
        conduct, "criminal_conduct.", "conduct", "Describe the criminal conduct to be authorised"
    )
    errors.need_text(
        conduct,
        "criminal_conduct.",
        "human_rights_compatibility",
        "Explain why the conduct is compatible with the Human Rights Act 1998",
    )
    if not (set(kinds) & CHIS_KINDS) and not has_chis_authorisation:
        errors["chis_authorisation"] = (
            "Select the source's CHIS authorisation, or apply for one in this application"
        )


def _check_technical_description(content: Mapping[str, Any], errors: _Errors) -> None:
    description = _text(content.get("technical_description"))
    if not description:
        errors["technical_description"] = (
            "Describe the interference technically for this operation: the equipment, how it "
            "will be interfered with and what will be obtained"
        )
        return
    equipment = _items(content, "equipment", "online-account")
    if not equipment:
        errors["conduct"] = "Add the equipment or accounts to be interfered with"
        return
    folded = description.casefold()
    if not any(_text(item.get("identifier")).casefold() in folded for item in equipment):
        errors["technical_description"] = (
            "Name in the technical description the equipment or accounts this operation "
            "interferes with: standard wording that could describe any operation is not enough"
        )


def _items(content: Mapping[str, Any], *categories: str) -> list[Mapping[str, Any]]:
    items = content.get("conduct")
    if not isinstance(items, list):
        return []
    return [
        item for item in items if isinstance(item, Mapping) and item.get("category") in categories
    ]


def conduct_items(content: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Return the well-formed conduct items of ``content``."""
    return _items(content, *CONDUCT_CATEGORIES)


def material_facts(content: Mapping[str, Any]) -> tuple[bool, bool]:
    """Return (confidential, legally privileged): whether confidential material or legally
    privileged material is likely or intended, which routes to a higher level."""
    answer = content.get("confidential_material")
    if not isinstance(answer, Mapping) or answer.get("likelihood") not in ROUTING_LIKELIHOODS:
        return False, False
    types = set(answer.get("types") or [])
    return bool(types - {"legal-privilege"}), "legal-privilege" in types


def section_97(content: Mapping[str, Any]) -> bool:
    """Return whether property interference needs prior approval under Police Act 1997 s.97:
    a dwelling, hotel bedroom or office, or likely legally privileged, confidential personal
    or confidential journalistic material."""
    if any(item.get("premises_use") in SECTION_97_PREMISES for item in _items(content, "premises")):
        return True
    answer = content.get("confidential_material")
    if not isinstance(answer, Mapping) or answer.get("likelihood") not in ROUTING_LIKELIHOODS:
        return False
    return bool(
        set(answer.get("types") or [])
        & {"legal-privilege", "confidential-personal", "confidential-journalistic"}
    )
