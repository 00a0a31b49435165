"""The triage questionnaire for someone who keeps giving information (RIPA s.26(8)).

A person is a CHIS if they establish or maintain a relationship for the covert purpose of
obtaining or disclosing information (s.26(8)(a)–(c)). A "yes" to any question below means
the relationship is, or is about to be, used covertly, so the outcome "not a CHIS" is
refused.
"""

from __future__ import annotations

QUESTIONS: dict[str, str] = {
    "relationship_used_covertly": (
        "Is the person's relationship with someone being used covertly to obtain information?"
    ),
    "asked_to_obtain": (
        "Has anyone asked the person to obtain information, or to keep a relationship going "
        "so that they can?"
    ),
    "disclosing_covertly": (
        "Is the person disclosing information covertly, obtained through a relationship, "
        "without the other party knowing?"
    ),
    "acting_on_tasking": (
        "Is the person acting on anything the police have said they would like to know?"
    ),
}
