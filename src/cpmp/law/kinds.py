"""The kinds of covert authority CPMP records. The values are a public interface (importer JSON,
``cpmp law`` options): never rename one."""

from __future__ import annotations

from enum import StrEnum


class AuthorityKind(StrEnum):
    DIRECTED_SURVEILLANCE = "directed-surveillance"
    INTRUSIVE_SURVEILLANCE = "intrusive-surveillance"
    CHIS = "chis"
    JUVENILE_CHIS = "juvenile-chis"
    RELEVANT_SOURCE = "relevant-source"
    CRIMINAL_CONDUCT = "criminal-conduct"
    PROPERTY_INTERFERENCE = "property-interference"
    EQUIPMENT_INTERFERENCE = "equipment-interference"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    AuthorityKind.DIRECTED_SURVEILLANCE: "Directed surveillance",
    AuthorityKind.INTRUSIVE_SURVEILLANCE: "Intrusive surveillance",
    AuthorityKind.CHIS: "Covert human intelligence source",
    AuthorityKind.JUVENILE_CHIS: "Juvenile covert human intelligence source",
    AuthorityKind.RELEVANT_SOURCE: "Relevant source (undercover operative)",
    AuthorityKind.CRIMINAL_CONDUCT: "Criminal conduct authorisation",
    AuthorityKind.PROPERTY_INTERFERENCE: "Property interference",
    AuthorityKind.EQUIPMENT_INTERFERENCE: "Targeted equipment interference",
}
