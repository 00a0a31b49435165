"""Django forms for every lifecycle step, each turned into the mapping its action takes.

A field's name is the path of its key in that mapping, with ``__`` for each level
(``chis__handler_id`` is ``content["chis"]["handler_id"]``), so an action's error path
(``chis.handler_id``) names the field at fault. Conduct items are a formset whose rows are
named ``conduct-0-identifier``, matching the path ``conduct.0.identifier``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms

from cpmp.access.models import User
from cpmp.law.kinds import AuthorityKind

from ..content import (
    CHIS_KINDS,
    CONDUCT_CATEGORIES,
    GROUNDS,
    LIKELIHOODS,
    MATERIAL_TYPES,
    SOURCE_KINDS,
    SURVEILLANCE_KINDS,
)
from ..models import ConductCategory, ExternalAuthorityType, PremisesUse
from .fields import (
    GovukDateField,
    GovukDateTimeField,
    checkboxes,
    radios,
    select,
    text,
    textarea,
    yes_no,
)

K = AuthorityKind

GROUND_LABELS = {
    "national-security": "In the interests of national security",
    "preventing-or-detecting-crime": "For preventing or detecting crime",
    "preventing-disorder": "For preventing disorder",
    "economic-well-being": "In the interests of the economic well-being of the UK",
    "public-safety": "In the interests of public safety",
    "public-health": "For protecting public health",
    "tax": "For assessing or collecting tax",
    "serious-crime": "For preventing or detecting serious crime",
    "preventing-death-or-injury": "For preventing death or injury or damage to health",
}
LIKELIHOOD_LABELS = {
    "none": "None: it will not be obtained",
    "unlikely": "Unlikely",
    "possible": "Possible",
    "likely": "Likely",
    "intended": "Intended: the activity sets out to obtain it",
}
MATERIAL_LABELS = {
    "legal-privilege": "Legally privileged material",
    "confidential-personal": "Confidential personal information",
    "confidential-journalistic": "Confidential journalistic material",
    "journalistic-source": "Material identifying a journalist's source",
    "constituent": "Communications between a member of a legislature and a constituent",
}
CATEGORY_CHOICES = [("", "Select the kind of item")] + [
    (value, ConductCategory(value).label) for value in CONDUCT_CATEGORIES
]
PREMISES_CHOICES = [("", "Not premises"), *PremisesUse.choices]

# Converters from a field's cleaned value to the action's value. Unlisted fields stay text.
BOOLEAN = "bool"
INTEGER = "int"
LINES = "lines"


def choice_field(field: forms.Field) -> forms.ChoiceField:
    """Return ``field`` typed as the choice field it is, to set its choices."""
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{type(field).__name__} is not a choice field")
    return field


def people_choices(users: Iterable[User], empty: str) -> list[tuple[str, str]]:
    return [("", empty)] + [
        (str(user.pk), user.get_full_name() or user.get_username()) for user in users
    ]


def _flatten(content: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in content.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            values.update(_flatten(value, f"{name}__"))
        elif isinstance(value, bool):
            values[name] = "yes" if value else "no"
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            values[name] = value
        elif isinstance(value, int):
            values[name] = str(value)
        else:
            values[name] = value
    return values


class StepForm(forms.Form):
    """A form that carries the application version the person saw and builds a mapping."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    converters: dict[str, str] = {}
    # (heading, field names) pairs; an empty heading shows the fields without one.
    layout: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def __init__(self, *args: Any, content: Mapping[str, Any] | None = None, **kwargs: Any):
        if content is not None:
            initial = dict(kwargs.pop("initial", None) or {})
            initial.update(_flatten(content))
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for name, value in (kwargs.get("initial") or {}).items():
            if (
                name in self.fields
                and isinstance(value, list)
                and self.converters.get(name) == LINES
            ):
                self.initial[name] = "\n".join(value)

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        layout = self.layout or (("", tuple(name for name in self.fields if name != "version")),)
        return [
            (heading, [self[name] for name in names if name in self.fields])
            for heading, names in layout
            if any(name in self.fields for name in names)
        ]

    def mapping(self) -> dict[str, Any]:
        """Return the cleaned values as the nested mapping the action takes."""
        result: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if name == "version" or name not in self.fields:
                continue
            converted = _convert(value, self.converters.get(name))
            if converted is _OMIT:
                continue
            target = result
            *parents, leaf = name.split("__")
            for parent in parents:
                target = target.setdefault(parent, {})
            target[leaf] = converted
        return result

    def field_id(self, path: str) -> str:
        name = path.replace(".", "__")
        return f"id_{name}" if name in self.fields else ""


_OMIT = object()


def _convert(value: Any, converter: str | None) -> Any:
    if converter == BOOLEAN:
        return {"yes": True, "no": False}.get(value, _OMIT)
    if converter == INTEGER:
        return int(value) if str(value).isdigit() else _OMIT
    if converter == LINES:
        return [line.strip() for line in str(value).splitlines() if line.strip()]
    return value


class StartForm(forms.Form):
    """The first page: the operation, the powers applied for and whether it is urgent."""

    operation = select("Operation", [])
    reference = text(
        "Unique reference number",
        "The force's reference for this application, for example URN 01/2026",
    )
    kinds = checkboxes("Powers applied for", [(kind.value, kind.label) for kind in AuthorityKind])
    urgent = yes_no(
        "Is the application urgent?",
        "Urgent means waiting for a written authorisation would endanger life or jeopardise the "
        "operation",
    )
    source = select(
        "Source",
        [],
        "Only for a CHIS, juvenile CHIS, relevant source or criminal conduct application",
    )
    chis_authorisation = select(
        "The source's CHIS authorisation",
        [],
        "Only for a criminal conduct authorisation that does not also apply for the CHIS "
        "authorisation",
    )

    def __init__(self, *args: Any, operations: Any, sources: Any, chis_rows: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choice_field(self.fields["operation"]).choices = [("", "Select an operation")] + [
            (str(operation.pk), operation.name) for operation in operations
        ]
        choice_field(self.fields["source"]).choices = [("", "No source")] + [
            (str(source.pk), f"{source.reference} ({source.pseudonym})") for source in sources
        ]
        choice_field(self.fields["chis_authorisation"]).choices = [("", "None")] + [
            (str(row.pk), row.reference or f"Authorisation {row.pk}") for row in chis_rows
        ]

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [("", [self[name] for name in self.fields])]

    def field_id(self, path: str) -> str:
        return f"id_{path}" if path in self.fields else ""


class ConductForm(forms.Form):
    """One item to be authorised: a subject, place, vehicle, account, tactic or time window."""

    category = select("Kind of item", CATEGORY_CHOICES)
    identifier = text(
        "Reference, address, registration or name",
        "What a deployment is checked against, for example a nominal reference or AB12 CDE",
    )
    description = textarea("Description")
    premises_use = select("What the premises are used for", PREMISES_CHOICES)
    platform = text("Platform", "For an online account: the service it is on")
    necessity = textarea("Why this tactic is necessary")
    proportionality = textarea("Why this tactic is proportionate")
    collateral_intrusion = textarea("Collateral intrusion of this tactic")
    collateral_minimisation = textarea("How this tactic's collateral intrusion will be minimised")
    starts_at = GovukDateTimeField("Starts", "For a time window. Use London time")
    ends_at = GovukDateTimeField("Ends", "For a time window. Use London time")

    def item(self) -> dict[str, Any] | None:
        """Return the row as a conduct item, or None for a row left blank."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        if not data.get("category") and not data.get("identifier"):
            return None
        return {key: value for key, value in data.items() if value not in ("", None)}


class BaseConductFormSet(forms.BaseFormSet):
    def items(self) -> tuple[list[dict[str, Any]], list[int]]:
        """Return the conduct items and, for each, the formset row it came from."""
        items, rows = [], []
        for index, form in enumerate(self.forms):
            item = form.item()
            if item is not None:
                items.append(item)
                rows.append(index)
        return items, rows


ConductFormSet = forms.formset_factory(ConductForm, formset=BaseConductFormSet, extra=0)


def conduct_formset(
    data: Any = None,
    *,
    items: list[Mapping[str, Any]] | None = None,
    prefix: str = "conduct",
    blank_rows: int = 2,
) -> Any:
    initial = [dict(item) for item in items or []] + [{} for _ in range(blank_rows)]
    if data is not None:
        return ConductFormSet(data, prefix=prefix)
    return ConductFormSet(initial=initial, prefix=prefix)


class ApplicationForm(StepForm):
    """The structured content of an application, limited to the fields its kinds need."""

    converters = {
        "intelligence_references": LINES,
        "legal_consultation": BOOLEAN,
        "vulnerable": BOOLEAN,
        "chis__handler_id": INTEGER,
        "chis__controller_id": INTEGER,
        "chis__records_officer_id": INTEGER,
        "juvenile__relationship_with_parent": BOOLEAN,
    }
    layout = (
        (
            "Purpose and grounds",
            (
                "purpose",
                "grounds",
                "information_sought",
                "urgency_reason",
                "intelligence_references",
            ),
        ),
        (
            "Necessity, proportionality and collateral intrusion",
            ("necessity", "proportionality", "collateral_intrusion", "collateral_minimisation"),
        ),
        (
            "Confidential or privileged material",
            (
                "confidential_material__likelihood",
                "confidential_material__types",
                "confidential_material__explanation",
                "legal_consultation",
            ),
        ),
        ("Property and equipment interference", ("serious_crime", "technical_description")),
        (
            "The source",
            (
                "chis__tasking_purpose",
                "chis__proposed_conduct",
                "chis__handler_id",
                "chis__controller_id",
                "chis__records_officer_id",
                "chis__risk_assessment_reference",
                "chis__community_sensitivities",
                "chis__conflicting_operations",
                "vulnerable",
            ),
        ),
        (
            "Juvenile source",
            (
                "juvenile__date_of_birth",
                "juvenile__relationship_with_parent",
                "juvenile__appropriate_adult",
                "juvenile__enhanced_risk_assessment_reference",
            ),
        ),
        (
            "Criminal conduct",
            ("criminal_conduct__conduct", "criminal_conduct__human_rights_compatibility"),
        ),
        ("Amendment", ("amendment_reason",)),
    )

    purpose = textarea("Purpose of the operation")
    grounds = checkboxes("Grounds on which the activity is necessary", [])
    information_sought = textarea("Information sought")
    urgency_reason = textarea(
        "Why the case is urgent",
        "Say why waiting for a written authorisation would endanger life or jeopardise the "
        "operation",
    )
    intelligence_references = textarea(
        "Intelligence references", "Enter each reference on its own line"
    )
    necessity = textarea("Why the activity is necessary")
    proportionality = textarea("Why the activity is proportionate")
    collateral_intrusion = textarea("Collateral intrusion", "Who else may be affected, and how")
    collateral_minimisation = textarea("How collateral intrusion will be minimised")
    confidential_material__likelihood = radios(
        "How likely is it that legally privileged or confidential material will be obtained?",
        [(value, LIKELIHOOD_LABELS[value]) for value in LIKELIHOODS],
    )
    confidential_material__types = checkboxes(
        "Kinds of confidential material",
        [(value, MATERIAL_LABELS[value]) for value in MATERIAL_TYPES],
        "Select each kind when it is possible, likely or intended",
    )
    confidential_material__explanation = textarea(
        "Explain the likelihood of obtaining confidential material"
    )
    legal_consultation = yes_no(
        "Will the surveillance cover legal consultations?",
        "Surveillance of legal consultations is treated as intrusive surveillance",
    )
    serious_crime = textarea(
        "Serious crime",
        "The serious crime, and why the interference is likely to be of substantial value in "
        "preventing or detecting it",
    )
    technical_description = textarea(
        "Technical description",
        "Name the equipment or accounts listed below, how they will be interfered with and "
        "what will be obtained",
    )
    chis__tasking_purpose = textarea("Purpose for which the source will be tasked")
    chis__proposed_conduct = textarea("The source's proposed conduct")
    chis__handler_id = select("Handler", [])
    chis__controller_id = select("Controller", [])
    chis__records_officer_id = select("Officer responsible for the source's records", [])
    chis__risk_assessment_reference = text("Risk assessment reference")
    chis__community_sensitivities = textarea(
        "Community sensitivities", "Enter any, or that there are none"
    )
    chis__conflicting_operations = textarea(
        "Operations that might affect the deployment", "Enter any, or that there are none"
    )
    vulnerable = yes_no("Is the source a vulnerable individual?")
    juvenile__date_of_birth = GovukDateField("The source's date of birth", "For example 27 3 2010")
    juvenile__relationship_with_parent = yes_no(
        "Is the relationship to be used with a parent or a person with parental responsibility?"
    )
    juvenile__appropriate_adult = text(
        "Appropriate adult", "Who will attend meetings with the source"
    )
    juvenile__enhanced_risk_assessment_reference = text(
        "Enhanced risk assessment reference", "The assessment of physical and psychological harm"
    )
    criminal_conduct__conduct = textarea("Criminal conduct to be authorised")
    criminal_conduct__human_rights_compatibility = textarea(
        "Why the conduct is compatible with the Human Rights Act 1998"
    )
    amendment_reason = textarea(
        "What you changed and why", "The application was returned for amendment"
    )

    def __init__(
        self,
        *args: Any,
        kinds: list[AuthorityKind],
        urgent: bool,
        returned: bool,
        people: Mapping[str, Iterable[User]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        kind_set = set(kinds)
        allowed = set.intersection(*(set(GROUNDS[kind]) for kind in kinds)) if kinds else set()
        grounds = sorted(allowed or {ground for kind in kinds for ground in GROUNDS[kind]})
        choice_field(self.fields["grounds"]).choices = [
            (value, GROUND_LABELS[value]) for value in grounds
        ]

        drop: set[str] = set()
        if not urgent:
            drop.add("urgency_reason")
        if not returned:
            drop.add("amendment_reason")
        if not kind_set & SURVEILLANCE_KINDS:
            drop |= {"information_sought", "legal_consultation"}
        if not kind_set & {K.PROPERTY_INTERFERENCE, K.EQUIPMENT_INTERFERENCE}:
            drop.add("serious_crime")
        if K.EQUIPMENT_INTERFERENCE not in kind_set:
            drop.add("technical_description")
        if not kind_set & CHIS_KINDS:
            drop |= {name for name in self.fields if name.startswith("chis__")}
            drop.add("vulnerable")
        if K.JUVENILE_CHIS not in kind_set:
            drop |= {name for name in self.fields if name.startswith("juvenile__")}
        if K.CRIMINAL_CONDUCT not in kind_set:
            drop |= {name for name in self.fields if name.startswith("criminal_conduct__")}

        for name in drop:
            del self.fields[name]
        for name, role in (
            ("chis__handler_id", "handler"),
            ("chis__controller_id", "controller"),
            ("chis__records_officer_id", "records"),
        ):
            if name in self.fields:
                choice_field(self.fields[name]).choices = people_choices(
                    people.get(role, []), "Select a person"
                )

    def content(self) -> dict[str, Any]:
        mapping = self.mapping()
        mapping.pop("amendment_reason", None)
        return mapping


def needs_source(kinds: Iterable[AuthorityKind]) -> bool:
    return bool(set(kinds) & SOURCE_KINDS)


class GatekeeperForm(StepForm):
    outcome = radios(
        "Your decision",
        [
            ("accept", "Accept and pass to an authorising officer"),
            ("return", "Return to the applicant for amendment"),
        ],
    )
    notes = textarea("Notes for the authorising officer", "Optional when you accept")
    reasons = textarea("What the applicant must change and why", "Required when you return it")


class DecisionForm(StepForm):
    """The authorising officer's grant: what exactly is authorised, in their own words."""

    converters = {"directly_involved": BOOLEAN, "designated_deputy": BOOLEAN}

    outcome = radios("Your decision", [("grant", "Grant"), ("refuse", "Refuse")])
    statement = textarea(
        "What exactly you authorise",
        "Who, what, where, when and how: the subjects, places, vehicles, equipment and tactics, "
        "and any limits",
    )
    necessity = textarea("Why the activity is necessary, in your own words")
    proportionality = textarea("Why the activity is proportionate, in your own words")
    first_review_on = GovukDateField("Date of the first review", "For example 27 3 2026")
    confidential_material_consideration = textarea(
        "How you considered the likely confidential or privileged material",
        "Required when the application says such material is likely or intended",
    )
    urgency_reason = textarea(
        "Why the case could not wait for a written authorisation",
        "Required for an urgent application",
    )
    directly_involved = yes_no("Are you directly involved in the investigation or operation?")
    self_authorisation_reason = textarea(
        "Why it is unavoidable that you authorise this",
        "Required when you are directly involved: self-authorisation is recorded and reported",
    )
    designated_deputy = yes_no("Are you acting as a designated deputy?")
    reasons = textarea("Why you are refusing the application", "Required when you refuse")

    def decision(self) -> dict[str, Any]:
        mapping = self.mapping()
        for key in ("outcome", "reasons"):
            mapping.pop(key, None)
        return {key: value for key, value in mapping.items() if value != ""}


class OralGrantForm(DecisionForm):
    """The record, by the person spoken to, of an urgent oral grant."""

    authorising_officer = select("Authorising officer who granted it orally", [])
    granted_at = GovukDateTimeField(
        "When the grant was given", "Use London time. The grant lasts 72 hours from this time"
    )

    def __init__(self, *args: Any, officers: Iterable[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("outcome", "reasons"):
            del self.fields[name]
        choice_field(self.fields["authorising_officer"]).choices = people_choices(
            officers, "Select a person"
        )
        self.order_fields(["authorising_officer", "granted_at"])

    def decision(self) -> dict[str, Any]:
        mapping = super().decision()
        mapping.pop("authorising_officer", None)
        mapping.pop("granted_at", None)
        return mapping

    def field_id(self, path: str) -> str:
        # The action names the instant of the grant "at", which this form asks as granted_at.
        return super().field_id("granted_at" if path == "at" else path)


class WrittenGrantForm(DecisionForm):
    mode = radios(
        "How the oral grant is followed in writing",
        [
            ("fresh-grant", "A fresh grant: a new written period starts today"),
            ("renewal", "A renewal: the written period runs from the end of the 72 hours"),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("outcome", "reasons", "urgency_reason"):
            del self.fields[name]
        self.order_fields(["mode"])

    def decision(self) -> dict[str, Any]:
        mapping = super().decision()
        mapping.pop("mode", None)
        return mapping


def power_choices(rows: Iterable[Any]) -> list[tuple[str, str]]:
    return [("", "Select a power")] + [(row.kind, AuthorityKind(row.kind).label) for row in rows]


class CommissionerNoticeForm(StepForm):
    kind = select("Power", [])
    about = radios(
        "What the notice is of",
        [("grant", "A grant"), ("renewal", "A renewal"), ("cancellation", "A cancellation")],
    )
    sent_at = GovukDateTimeField("When the notice was sent", "Use London time")
    document_reference = text("Reference of the notice")

    def __init__(self, *args: Any, powers: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields["kind"]).choices = power_choices(powers)


class CommissionerDecisionForm(StepForm):
    kind = select("Power", [])
    outcome = radios(
        "The Commissioner's decision",
        [("approved", "Approved"), ("refused", "Refused"), ("quashed", "Quashed")],
    )
    decided_at = GovukDateTimeField("When the Commissioner decided", "Use London time")
    notified_at = GovukDateTimeField(
        "When the authorising officer was told",
        "Use London time, for example 14:30. An approval takes effect at this time",
    )
    document_reference = text("Reference of the decision")
    material_instructions = textarea(
        "What must happen to material already obtained",
        "Required for a refusal or quashing: whether it is kept, reviewed or destroyed",
    )

    def __init__(self, *args: Any, powers: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields["kind"]).choices = power_choices(powers)


class ReviewForm(StepForm):
    converters = {"continue": BOOLEAN}
    layout = (
        (
            "What changed since the last review",
            (
                "changes__contacts",
                "changes__product",
                "changes__risk",
                "changes__collateral_intrusion",
            ),
        ),
        ("The source", ("use_of_source", "tasks_given", "information_obtained")),
        ("Your conclusion", ("continue", "reasoning", "next_review_on")),
    )

    changes__contacts = textarea(
        "Subjects and contacts", "New subjects, associates or places, or that nothing changed"
    )
    changes__product = textarea("Product obtained", "What the activity has produced since")
    changes__risk = textarea("Risk", "Changes to the risk to the public, officers or a source")
    changes__collateral_intrusion = textarea(
        "Collateral intrusion", "Who else has been affected since, and how"
    )
    use_of_source = textarea("Use made of the source")
    tasks_given = textarea("Tasks given to the source")
    information_obtained = textarea("Information obtained from the source")
    # "continue" is a Python keyword, so the field is added below under that name.
    reasoning = textarea(
        "Why the activity is still necessary and proportionate",
        "Address what changed: do not restate the application",
    )
    next_review_on = GovukDateField("Date of the next review", "For example 27 3 2026")

    def __init__(self, *args: Any, chis: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["continue"] = yes_no("Should the activity continue?")
        if not chis:
            for name in ("use_of_source", "tasks_given", "information_obtained"):
                del self.fields[name]


class RenewalForm(StepForm):
    changes = textarea("Significant changes since the authorisation was granted")
    value_so_far = textarea("Value of the information obtained so far")
    necessity = textarea("Why the activity is still necessary, in your own words")
    proportionality = textarea("Why the activity is still proportionate, in your own words")
    first_review_on = GovukDateField("Date of the first review of the renewed period")


class VariationForm(StepForm):
    remove = checkboxes("Items to withdraw", [])
    reasons = textarea("Why the authorisation is being varied")

    def __init__(self, *args: Any, items: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields["remove"]).choices = [
            (str(item.pk), f"{item.get_category_display()}: {item.identifier}") for item in items
        ]

    def variation(self, additions: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "add": additions,
            "remove": [int(value) for value in self.cleaned_data.get("remove") or []],
            "reasons": self.cleaned_data.get("reasons", ""),
        }


class CancellationForm(StepForm):
    converters = {"product_owner_id": INTEGER}

    reasons = textarea("Why the authorisation is no longer necessary or proportionate")
    outcome = textarea("Value of the activity to the operation")
    ceased_at = GovukDateTimeField(
        "When the activity was told to stop", "Use London time, for example 27 3 2026 and 14:30"
    )
    product_owner_id = select("Who is responsible for the product", [])
    product_instructions = textarea("How the product is to be kept, reviewed and destroyed")
    equipment_to_recover = checkboxes("Equipment to recover", [], "Select each item still deployed")

    def __init__(
        self, *args: Any, owners: Iterable[User], equipment: Iterable[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields["product_owner_id"]).choices = people_choices(
            owners, "Select a person"
        )
        choices = [(item, item) for item in equipment]
        if choices:
            choice_field(self.fields["equipment_to_recover"]).choices = choices
        else:
            del self.fields["equipment_to_recover"]


class EquipmentRecoveredForm(StepForm):
    equipment = radios("Equipment recovered", [])

    def __init__(self, *args: Any, outstanding: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields["equipment"]).choices = [(item, item) for item in outstanding]


class ExternalAuthorityForm(forms.Form):
    """An authority granted outside the force: Prison Rule 35A or activity agreed with a prison."""

    authority_type = radios("Type of authority", list(ExternalAuthorityType.choices))
    granted_by = text("Who granted it", "Their role, for example the prison governor")
    organisation = text("Their organisation")
    external_reference = text("Their reference")
    description = textarea("What is authorised")
    starts_on = GovukDateField("Start date")
    ends_on = GovukDateField("End date")
    review_on = GovukDateField("Review date")
    exceptional_retention_until = GovukDateField(
        "Keep material until",
        "Only for an exceptional case: material is otherwise kept until 3 months after the end",
    )
    exceptional_retention_reasons = textarea("Why material must be kept longer")

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [("", [self[name] for name in self.fields])]

    def field_id(self, path: str) -> str:
        return f"id_{path}" if path in self.fields else ""

    def details(self) -> dict[str, Any]:
        return {
            key: value
            for key, value in self.cleaned_data.items()
            if key != "authority_type" and value != ""
        }
