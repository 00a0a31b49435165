"""Who may authorise each kind of covert authority, by police force and rank.

Three forces are modelled: a county force maintained under Police Act 1996 s.2, the
Metropolitan Police and the City of London Police. Each has its own ladder of ranks above
chief superintendent, so every comparison is made on the force's own ladder.

A rank meets a requirement in one of three ways: fully, only in urgent cases (the grant then
lasts 72 hours under RIPA s.43(3)(a) or Police Act 1997 s.95(2)(a), or is an urgent warrant
under IPA 2016 s.109), or not at all. Where several requirements apply (a juvenile source
whose authorisation may obtain legally privileged material, say) the strictest decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum, StrEnum

from .commencement import commencement_rule, not_in_force_problem
from .kinds import AuthorityKind
from .rules import Confidence, define

K = AuthorityKind


class Force(StrEnum):
    COUNTY = "county"  # a police force maintained under Police Act 1996 s.2
    MET = "met"
    CITY = "city"

    @property
    def label(self) -> str:
        return _FORCE_LABELS[self]


_FORCE_LABELS = {
    Force.COUNTY: "county police force (Police Act 1996 s.2)",
    Force.MET: "Metropolitan Police",
    Force.CITY: "City of London Police",
}


class Rank(StrEnum):
    """Police ranks, in an order that holds within each force.

    Ranks of different forces at the same level (an assistant chief constable and a
    commander, say) are ordered by declaration only; compare ranks with ``Force.ladder``
    when the force matters.
    """

    CONSTABLE = "constable"
    SERGEANT = "sergeant"
    INSPECTOR = "inspector"
    CHIEF_INSPECTOR = "chief-inspector"
    SUPERINTENDENT = "superintendent"
    CHIEF_SUPERINTENDENT = "chief-superintendent"
    ASSISTANT_CHIEF_CONSTABLE = "assistant-chief-constable"
    COMMANDER = "commander"
    DEPUTY_CHIEF_CONSTABLE = "deputy-chief-constable"
    DEPUTY_ASSISTANT_COMMISSIONER = "deputy-assistant-commissioner"
    CHIEF_CONSTABLE = "chief-constable"
    ASSISTANT_COMMISSIONER = "assistant-commissioner"
    DEPUTY_COMMISSIONER = "deputy-commissioner"
    COMMISSIONER = "commissioner"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")

    def _index(self) -> int:
        return _DECLARED.index(self)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Rank):
            return NotImplemented
        return self._index() < other._index()

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Rank):
            return NotImplemented
        return self._index() <= other._index()

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Rank):
            return NotImplemented
        return self._index() > other._index()

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Rank):
            return NotImplemented
        return self._index() >= other._index()


_DECLARED: tuple[Rank, ...] = tuple(Rank)
R = Rank

_COMMON = (
    R.CONSTABLE,
    R.SERGEANT,
    R.INSPECTOR,
    R.CHIEF_INSPECTOR,
    R.SUPERINTENDENT,
    R.CHIEF_SUPERINTENDENT,
)
LADDERS: dict[Force, tuple[Rank, ...]] = {
    Force.COUNTY: (
        *_COMMON,
        R.ASSISTANT_CHIEF_CONSTABLE,
        R.DEPUTY_CHIEF_CONSTABLE,
        R.CHIEF_CONSTABLE,
    ),
    Force.MET: (
        *_COMMON,
        R.COMMANDER,
        R.DEPUTY_ASSISTANT_COMMISSIONER,
        R.ASSISTANT_COMMISSIONER,
        R.DEPUTY_COMMISSIONER,
        R.COMMISSIONER,
    ),
    Force.CITY: (
        *_COMMON,
        R.COMMANDER,
        R.ASSISTANT_COMMISSIONER,
        R.COMMISSIONER,
    ),
}


def ladder(force: Force) -> tuple[Rank, ...]:
    """Return the ranks that exist in ``force``, lowest first."""
    return LADDERS[force]


def at_least(rank: Rank, minimum: Rank, force: Force) -> bool:
    """Return whether ``rank`` is ``minimum`` or above on ``force``'s ladder."""
    ranks = LADDERS[force]
    return ranks.index(rank) >= ranks.index(minimum)


# --- Parsing the spellings found in registers --------------------------------------------------

# Words that qualify a rank without changing it: "Det Supt", "A/Insp", "T/Ch Supt".
_QUALIFIERS = frozenset({"det", "detective", "d", "acting", "a", "temporary", "temp", "t"})

_SPELLINGS: dict[tuple[str, ...], Rank] = {}


def _spell(rank: Rank, *spellings: str) -> None:
    for spelling in (rank.value.replace("-", " "), *spellings):
        _SPELLINGS[tuple(spelling.split())] = rank


_spell(R.CONSTABLE, "pc", "dc", "police constable", "con")
_spell(R.SERGEANT, "ps", "ds", "sgt", "sarg", "police sergeant", "dsgt")
_spell(R.INSPECTOR, "insp", "di", "ins")
_spell(R.CHIEF_INSPECTOR, "ci", "dci", "ch insp", "chief insp", "c insp", "chinsp")
_spell(R.SUPERINTENDENT, "supt", "dsupt", "dsu", "superintendant")
_spell(
    R.CHIEF_SUPERINTENDENT,
    "ch supt",
    "chief supt",
    "c supt",
    "csupt",
    "chsupt",
    "dcs",
    "cs",
    "chief superintendant",
)
_spell(R.ASSISTANT_CHIEF_CONSTABLE, "acc", "asst chief constable", "ass chief constable")
_spell(R.COMMANDER, "cdr", "cmdr", "comdr")
_spell(R.DEPUTY_CHIEF_CONSTABLE, "dcc", "dep chief constable")
_spell(R.DEPUTY_ASSISTANT_COMMISSIONER, "dac", "dep asst commissioner", "dep asst comm")
_spell(R.CHIEF_CONSTABLE, "cc")
_spell(R.ASSISTANT_COMMISSIONER, "ac", "asst commissioner", "asst comm")
_spell(R.DEPUTY_COMMISSIONER, "dep commissioner", "dep comm")
_spell(R.COMMISSIONER, "comm", "commissioner of police")

_MAX_SPELLING_WORDS = max(len(words) for words in _SPELLINGS)


def parse_rank(text: str) -> Rank | None:
    """Return the rank a register entry names, or None when it names none CPMP knows.

    The first rank named wins, so "DCI (SIO Op X) - Supt unavailable" is a chief inspector.
    Qualifiers such as "Det", "Acting" and "T/" are ignored, because an acting or detective
    officer holds the powers of the rank held. Note that "DC" is read as detective constable
    and "DS" as detective sergeant, as registers use them, not as deputy commissioner or
    directed surveillance.
    """
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    while words and words[0] in _QUALIFIERS and len(words) > 1:
        candidate = tuple(words)
        if _match_at_start(candidate) is not None:
            break
        words = words[1:]
    return _match_at_start(tuple(words))


def _match_at_start(words: tuple[str, ...]) -> Rank | None:
    for length in range(min(_MAX_SPELLING_WORDS, len(words)), 0, -1):
        rank = _SPELLINGS.get(words[:length])
        if rank is not None:
            return rank
    return None


# --- The rules ----------------------------------------------------------------------------------

SURVEILLANCE_CHIS_SUPERINTENDENT = define(
    "ranks-2010-order-superintendent",
    "Directed surveillance and CHIS authorisations in a police force are granted by a "
    "superintendent or above.",
    "RIPA (Directed Surveillance and CHIS) Order 2010 (SI 2010/521) Schedule Part 1",
    Confidence.VERIFIED,
)
SURVEILLANCE_CHIS_INSPECTOR_URGENT = define(
    "ranks-2010-order-inspector-urgent-only",
    "An inspector may grant directed surveillance or CHIS authorisations only in urgent cases; "
    "the grant lasts 72 hours.",
    "SI 2010/521 Schedule Part 1; RIPA 2000 s.43(3)(a)",
    Confidence.VERIFIED,
)
HIGHER_RANK_MAY_ACT = define(
    "ranks-higher-rank-may-act",
    "Every rank above a prescribed rank is also prescribed, so a higher rank may act wherever "
    "a lower one may (on the force's own ladder of ranks).",
    "SI 2000/2417 art 2(2) and the matching provision of SI 2010/521",
    Confidence.RECALLED,
)
CCA_AUTHORISERS = define(
    "ranks-cca-superintendent-inspector-urgent",
    "A criminal conduct authorisation in a police force is granted by a superintendent or "
    "above, or by an inspector in urgent cases only (72 hours).",
    "RIPA 2000 s.30 as amended by the CHIS (Criminal Conduct) Act 2021 s.4; SI 2010/521 "
    "Schedule Part 1",
    Confidence.RECALLED,
)
IS_SENIOR_AUTHORISING_OFFICER = define(
    "ranks-ripa-s32-6-intrusive-senior-officer",
    "Intrusive surveillance is authorised by the chief constable; in the Metropolitan Police "
    "by the Commissioner or an Assistant Commissioner; in the City of London Police by the "
    "Commissioner.",
    "RIPA 2000 s.32(6)",
    Confidence.RECALLED,
)
IS_URGENT_ABSENCE = define(
    "ranks-ripa-s34-urgent-absence",
    "In an urgent case where neither the senior authorising officer nor a designated deputy "
    "can practicably consider the application, an assistant chief constable (Metropolitan and "
    "City of London Police: a commander) may grant intrusive surveillance, for 72 hours.",
    "RIPA 2000 s.34(1)-(4), s.43(3)(a)",
    Confidence.RECALLED,
)
DESIGNATED_DEPUTY = define(
    "ranks-designated-deputy",
    "The chief officer's designated deputy (Police Act 1996 s.12A in a county force; in the "
    "City of London Police the person authorised under the City of London Police Act 1839 "
    "s.25) may act when the chief officer cannot: with full powers for intrusive "
    "surveillance, but for 72 hours only for property interference.",
    "RIPA 2000 s.32(6), s.34(2)(b); Police Act 1997 s.93(5), s.94, s.95(2)(a); Police Act "
    "1996 s.12A",
    Confidence.RECALLED,
)
PI_AUTHORISING_OFFICER = define(
    "ranks-pa97-s93-5-property-interference",
    "Property interference is authorised by the chief constable; in the Metropolitan Police "
    "by the Commissioner or an Assistant Commissioner; in the City of London Police by the "
    "Commissioner.",
    "Police Act 1997 s.93(5)",
    Confidence.RECALLED,
)
PI_URGENT = define(
    "ranks-pa97-s94-urgent",
    "Where the authorising officer cannot practicably act in an urgent case, an assistant "
    "chief constable (Metropolitan and City of London Police: a commander) may authorise "
    "property interference, for 72 hours.",
    "Police Act 1997 s.94, s.95(2)(a)",
    Confidence.RECALLED,
)
TEI_CHIEF = define(
    "ranks-ipa-s106-law-enforcement-chief",
    "A targeted equipment interference warrant is issued by the law enforcement chief: the "
    "chief constable; in the Metropolitan Police the Commissioner or an Assistant "
    "Commissioner; in the City of London Police the Commissioner.",
    "IPA 2016 s.106(1), Schedule 6 Part 1",
    Confidence.VERIFIED,
)
TEI_DELEGATE = define(
    "ranks-ipa-s106-4-appropriate-delegate",
    "In an urgent case where the chief cannot practicably consider the application, the "
    "appropriate delegate may issue the warrant, which is then an urgent warrant: a deputy or "
    "assistant chief constable (county force), a commander (Metropolitan Police), the "
    "Assistant Commissioner as the City of London Police Act 1839 s.25 person or else a "
    "commander (City of London Police).",
    "IPA 2016 s.106(4), s.109, Schedule 6 Part 1",
    Confidence.VERIFIED,
)
RELEVANT_SOURCE_ACC = define(
    "ranks-relevant-source-acc",
    "A relevant source (undercover operative) is authorised by an assistant chief constable; "
    "in the Metropolitan and City of London Police by a commander.",
    "RIPA (CHIS: Relevant Sources) Order 2013 (SI 2013/2788) art 16(2), inserting Part 1A into "
    "the SI 2010/521 Schedule",
    Confidence.VERIFIED,
)
RELEVANT_SOURCE_URGENT = define(
    "ranks-relevant-source-superintendent-urgent",
    "A superintendent may authorise a relevant source in urgent cases only (72 hours).",
    "SI 2013/2788 art 16(2) (SI 2010/521 Schedule Part 1A, urgent cases column)",
    Confidence.RECALLED,
)
RELEVANT_SOURCE_LONG_TERM = define(
    "ranks-relevant-source-long-term-chief",
    "A long-term relevant-source authorisation is granted by the chief constable; in the "
    "Metropolitan Police by an Assistant Commissioner; in the City of London Police by the "
    "Commissioner. No urgent-only rank may grant one.",
    "SI 2013/2788 art 16(2) (SI 2010/521 Schedule Part 1A)",
    Confidence.VERIFIED,
)
ANNEX_A_SURVEILLANCE = define(
    "ranks-annex-a-surveillance-confidential",
    "Directed surveillance likely to obtain confidential information or legally privileged "
    "material is authorised by the chief constable; in the Metropolitan Police an Assistant "
    "Commissioner; in the City of London Police the Commissioner. CPMP allows no urgent-only "
    "rank to grant it.",
    "Covert Surveillance and Property Interference Code of Practice 2018, Annex A",
    Confidence.RECALLED,
)
ANNEX_A_CHIS = define(
    "ranks-annex-a-chis-enhanced",
    "A CHIS authorisation likely to obtain confidential information or legally privileged "
    "material, or for a juvenile or vulnerable source, is granted by an assistant chief "
    "constable; in the Metropolitan and City of London Police by a commander. CPMP allows no "
    "urgent-only rank to grant it.",
    "CHIS Code of Practice 2022, Annex A",
    Confidence.RECALLED,
)
ORAL_NEEDS_FULL_POWER = define(
    "ranks-ripa-s43-1-oral-urgent-full-power",
    "An authorisation may be granted orally only in an urgent case, and only by a person "
    "whose power is not confined to urgent cases.",
    "RIPA 2000 s.43(1); Police Act 1997 s.95(1)",
    Confidence.VERIFIED,
)
URGENT_ONLY_NEEDS_URGENCY = define(
    "ranks-urgent-only-rank-needs-urgency",
    "A rank entitled to act only in urgent cases may not grant in a case that is not urgent.",
    "SI 2010/521 Schedule; RIPA 2000 s.34; Police Act 1997 s.94; IPA 2016 s.106(4)",
    Confidence.VERIFIED,
)
UNDER_16_PARENT = define(
    "juveniles-order-art-3-under-16-parent",
    "A source under 16 may not be authorised where the relationship to be used is with the "
    "source's parent or a person with parental responsibility for the source.",
    "Regulation of Investigatory Powers (Juveniles) Order 2000 (SI 2000/2793) art 3",
    Confidence.VERIFIED,
)
SELF_AUTHORISATION = define(
    "self-authorisation-only-if-unavoidable",
    "An authorising officer should not authorise activity in an investigation in which they "
    "are directly involved unless that is unavoidable; where it happens it is recorded, "
    "flagged on the central record and raised with the Commissioner at the next inspection.",
    "Covert Surveillance and Property Interference Code of Practice 2018 ch.5; CHIS Code of "
    "Practice 2022 ch.5",
    Confidence.RECALLED,
)


# --- Requirements ------------------------------------------------------------------------------


class Meets(Enum):
    FULLY = 2
    URGENT_ONLY = 1
    NOT = 0


@dataclass(frozen=True)
class Requirement:
    """One rule's demand: the lowest full rank, and the lowest rank that may act when urgent."""

    rule: str
    full: dict[Force, Rank]
    urgent: dict[Force, Rank] | None = None

    def meets(self, rank: Rank, force: Force) -> Meets:
        if at_least(rank, self.full[force], force):
            return Meets.FULLY
        if self.urgent is not None and at_least(rank, self.urgent[force], force):
            return Meets.URGENT_ONLY
        return Meets.NOT

    def describe(self, force: Force) -> str:
        text = f"{self.full[force].value} or above"
        if self.urgent is not None:
            text += f" ({self.urgent[force].value} or above in urgent cases only)"
        return text


def _same(rank: Rank) -> dict[Force, Rank]:
    return dict.fromkeys(Force, rank)


def _each(county: Rank, met: Rank, city: Rank) -> dict[Force, Rank]:
    return {Force.COUNTY: county, Force.MET: met, Force.CITY: city}


_CHIEF = _each(R.CHIEF_CONSTABLE, R.ASSISTANT_COMMISSIONER, R.COMMISSIONER)
_ACC_LEVEL = _each(R.ASSISTANT_CHIEF_CONSTABLE, R.COMMANDER, R.COMMANDER)

_DS_CHIS = Requirement(
    SURVEILLANCE_CHIS_SUPERINTENDENT.identifier, _same(R.SUPERINTENDENT), _same(R.INSPECTOR)
)
_CCA = Requirement(CCA_AUTHORISERS.identifier, _same(R.SUPERINTENDENT), _same(R.INSPECTOR))
_IS = Requirement(IS_SENIOR_AUTHORISING_OFFICER.identifier, _CHIEF, _ACC_LEVEL)
_PI = Requirement(PI_AUTHORISING_OFFICER.identifier, _CHIEF, _ACC_LEVEL)
# IPA 2016 Sch 6 Pt 1: the delegate is a DCC or ACC in a county force and a commander in the
# Metropolitan and City of London Police, so everyone from that level up to the chief is one.
_TEI = Requirement(TEI_CHIEF.identifier, _CHIEF, _ACC_LEVEL)
_RS = Requirement(RELEVANT_SOURCE_ACC.identifier, _ACC_LEVEL, _same(R.SUPERINTENDENT))
_RS_LONG_TERM = Requirement(RELEVANT_SOURCE_LONG_TERM.identifier, _CHIEF)
_ANNEX_A_DS = Requirement(ANNEX_A_SURVEILLANCE.identifier, _CHIEF)
_ANNEX_A_CHIS = Requirement(ANNEX_A_CHIS.identifier, _ACC_LEVEL)

# The chief officer's designated deputy: a DCC in a county force (Police Act 1996 s.12A),
# the Assistant Commissioner in the City (City of London Police Act 1839 s.25). The
# Metropolitan Police's Assistant Commissioners are senior authorising officers already.
_DESIGNATED_DEPUTY_RANKS = {
    Force.COUNTY: (R.DEPUTY_CHIEF_CONSTABLE, R.ASSISTANT_CHIEF_CONSTABLE),
    Force.MET: (),
    Force.CITY: (R.ASSISTANT_COMMISSIONER,),
}


@dataclass(frozen=True)
class AuthoriserDecision:
    """Whether a rank may grant an authority.

    ``urgent_only`` means the rank may act only in urgent cases (or as a designated deputy
    for property interference), so a RIPA or Police Act grant lasts 72 hours and a warrant
    is an urgent warrant. ``problem`` explains a refusal.
    """

    permitted: bool
    urgent_only: bool
    problem: str | None
    rules: tuple[str, ...]


def requirements_for(
    kind: AuthorityKind,
    *,
    confidential: bool = False,
    legally_privileged: bool = False,
    juvenile: bool = False,
    vulnerable: bool = False,
    long_term: bool = False,
    legal_consultation: bool = False,
) -> list[Requirement]:
    """Return every rank requirement that applies to an authority with these facts."""
    juvenile = juvenile or kind is K.JUVENILE_CHIS
    if kind is K.DIRECTED_SURVEILLANCE and legal_consultation:
        # SI 2010/461: surveillance of legal consultations is treated as intrusive.
        kind = K.INTRUSIVE_SURVEILLANCE
    if kind is K.DIRECTED_SURVEILLANCE:
        found = [_DS_CHIS]
        if confidential or legally_privileged:
            found.append(_ANNEX_A_DS)  # CSPI Code 2018 Annex A
        return found
    if kind is K.INTRUSIVE_SURVEILLANCE:
        return [_IS]
    if kind is K.PROPERTY_INTERFERENCE:
        return [_PI]
    if kind is K.EQUIPMENT_INTERFERENCE:
        return [_TEI]
    if kind is K.RELEVANT_SOURCE:
        found = [_RS_LONG_TERM] if long_term else [_RS]
    elif kind is K.CRIMINAL_CONDUCT:
        found = [_CCA]
    else:
        found = [_DS_CHIS]
    if confidential or legally_privileged or juvenile or vulnerable:
        found.append(_ANNEX_A_CHIS)  # CHIS Code 2022 Annex A
    return found


def check_authoriser(
    kind: AuthorityKind,
    rank: Rank,
    force: Force,
    *,
    urgent: bool = False,
    oral: bool = False,
    confidential: bool = False,
    legally_privileged: bool = False,
    juvenile: bool = False,
    vulnerable: bool = False,
    long_term: bool = False,
    legal_consultation: bool = False,
    designated_deputy: bool = False,
    under_16: bool = False,
    relationship_with_parent: bool = False,
    on: date | None = None,
) -> AuthoriserDecision:
    """Decide whether ``rank`` in ``force`` may grant ``kind`` with these facts.

    ``urgent`` means the authoriser relied on the urgency provisions and ``oral`` that the
    grant was oral. ``designated_deputy`` says the officer acted as the chief officer's
    designated deputy. ``under_16`` and ``relationship_with_parent`` describe a juvenile
    source. ``on`` is the day of the grant, which decides whether the power existed yet.
    This does not check the grounds, necessity or proportionality of the grant.
    """
    rules: list[str] = []

    if on is not None:
        problem = not_in_force_problem(kind, on)
        commencement = commencement_rule(kind)
        if commencement is not None:
            rules.append(commencement.identifier)
        if problem is not None:
            return AuthoriserDecision(False, False, problem, tuple(rules))

    if under_16 and relationship_with_parent and kind in (K.CHIS, K.JUVENILE_CHIS):
        rules.append(UNDER_16_PARENT.identifier)
        return AuthoriserDecision(
            False,
            False,
            "a source under 16 may not be authorised where the relationship is with a parent "
            "or a person with parental responsibility (Juveniles Order art 3)",
            tuple(rules),
        )

    if rank not in LADDERS[force]:
        names = ", ".join(r.value for r in LADDERS[force])
        return AuthoriserDecision(
            False,
            False,
            f"the rank {rank.value} does not exist in the {force.label}: use one of {names}",
            tuple(rules),
        )

    requirements = requirements_for(
        kind,
        confidential=confidential,
        legally_privileged=legally_privileged,
        juvenile=juvenile,
        vulnerable=vulnerable,
        long_term=long_term,
        legal_consultation=legal_consultation,
    )
    rules.extend(requirement.rule for requirement in requirements)
    rules.append(HIGHER_RANK_MAY_ACT.identifier)

    deputy_meets = _designated_deputy_meets(kind, rank, force, designated_deputy, requirements)
    if deputy_meets is not None:
        rules.append(DESIGNATED_DEPUTY.identifier)
        urgent_only = deputy_meets is Meets.URGENT_ONLY
        return _finish(
            kind, force, rank, urgent_only, urgent=urgent, oral=oral, deputy=True, rules=rules
        )

    results = [(requirement, requirement.meets(rank, force)) for requirement in requirements]
    for requirement, meets in results:
        if meets is Meets.NOT:
            return AuthoriserDecision(
                False,
                False,
                f"the rank {rank.value} in the {force.label} may not grant {kind.value} "
                f"authorisations with these facts: they need the rank "
                f"{requirement.describe(force)}",
                tuple(rules),
            )
    urgent_only = any(meets is Meets.URGENT_ONLY for _, meets in results)
    if urgent_only:
        rules.append(_urgent_rule(kind))
    return _finish(
        kind, force, rank, urgent_only, urgent=urgent, oral=oral, deputy=False, rules=rules
    )


def _designated_deputy_meets(
    kind: AuthorityKind,
    rank: Rank,
    force: Force,
    designated_deputy: bool,
    requirements: list[Requirement],
) -> Meets | None:
    """Return how a designated deputy meets the requirements, or None when the rule is idle."""
    if not designated_deputy or rank not in _DESIGNATED_DEPUTY_RANKS[force]:
        return None
    if requirements == [_IS]:
        # RIPA s.32(6): the designated deputy exercises the senior officer's own functions.
        return Meets.FULLY
    if requirements == [_PI]:
        # Police Act 1997 s.94, s.95(2)(a): a deputy's authorisation lasts 72 hours.
        return Meets.URGENT_ONLY
    return None


def _urgent_rule(kind: AuthorityKind) -> str:
    if kind is K.INTRUSIVE_SURVEILLANCE:
        return IS_URGENT_ABSENCE.identifier
    if kind is K.PROPERTY_INTERFERENCE:
        return PI_URGENT.identifier
    if kind is K.EQUIPMENT_INTERFERENCE:
        return TEI_DELEGATE.identifier
    if kind is K.RELEVANT_SOURCE:
        return RELEVANT_SOURCE_URGENT.identifier
    return SURVEILLANCE_CHIS_INSPECTOR_URGENT.identifier


def _finish(
    kind: AuthorityKind,
    force: Force,
    rank: Rank,
    urgent_only: bool,
    *,
    urgent: bool,
    oral: bool,
    deputy: bool,
    rules: list[str],
) -> AuthoriserDecision:
    # A designated deputy for property interference acts when the authorising officer cannot,
    # which Police Act 1997 s.94 does not confine to urgent cases.
    if urgent_only and not urgent and not deputy:
        rules.append(URGENT_ONLY_NEEDS_URGENCY.identifier)
        return AuthoriserDecision(
            False,
            True,
            f"the rank {rank.value} in the {force.label} may grant {kind.value} authorisations "
            "only in urgent cases: record the urgency, or refer the application to a higher rank",
            tuple(rules),
        )
    if oral and kind is not K.EQUIPMENT_INTERFERENCE:
        # RIPA s.43(1); Police Act 1997 s.95(1).
        if not urgent:
            rules.append(ORAL_NEEDS_FULL_POWER.identifier)
            return AuthoriserDecision(
                False,
                urgent_only,
                "an authorisation may be granted orally only in an urgent case: grant it in "
                "writing or record the urgency",
                tuple(rules),
            )
        if urgent_only:
            rules.append(ORAL_NEEDS_FULL_POWER.identifier)
            return AuthoriserDecision(
                False,
                True,
                f"the rank {rank.value} may act only in urgent cases and so may not grant "
                "orally: grant it in writing",
                tuple(rules),
            )
    return AuthoriserDecision(True, urgent_only, None, tuple(rules))


@dataclass(frozen=True)
class SelfAuthorisationDecision:
    """Whether an authorising officer may authorise in their own investigation.

    ``flag`` means the central record must show the self-authorisation and it must be raised
    with the Commissioner at the next inspection.
    """

    permitted: bool
    flag: bool
    problem: str | None
    rules: tuple[str, ...]


def check_self_authorisation(
    *, directly_involved: bool, recorded_unavoidable: bool
) -> SelfAuthorisationDecision:
    """Decide whether an officer directly involved in the investigation may authorise it."""
    rules = (SELF_AUTHORISATION.identifier,)
    if not directly_involved:
        return SelfAuthorisationDecision(True, False, None, rules)
    if not recorded_unavoidable:
        return SelfAuthorisationDecision(
            False,
            False,
            "the authorising officer is directly involved in the investigation: refer the "
            "application to another authorising officer, or record why self-authorisation is "
            "unavoidable",
            rules,
        )
    return SelfAuthorisationDecision(True, True, None, rules)
