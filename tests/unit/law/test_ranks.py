"""Who may authorise: rank tables across the three forces, parsing of register spellings,
prohibitions and self-authorisation."""

from __future__ import annotations

from datetime import date

import pytest

from cpmp.law.kinds import AuthorityKind as K
from cpmp.law.ranks import (
    Force,
    Rank,
    at_least,
    check_authoriser,
    check_self_authorisation,
    ladder,
    parse_rank,
)
from cpmp.law.rules import get_rule

R = Rank
COUNTY, MET, CITY = Force.COUNTY, Force.MET, Force.CITY

# (kind, force, rank, urgent, permitted, urgent_only)
PLAIN_CASES = [
    # Directed surveillance and CHIS: superintendent; inspector in urgent cases only.
    (K.DIRECTED_SURVEILLANCE, COUNTY, R.SUPERINTENDENT, False, True, False),
    (K.DIRECTED_SURVEILLANCE, MET, R.SUPERINTENDENT, False, True, False),
    (K.DIRECTED_SURVEILLANCE, CITY, R.SUPERINTENDENT, False, True, False),
    (K.DIRECTED_SURVEILLANCE, COUNTY, R.INSPECTOR, False, False, True),
    (K.DIRECTED_SURVEILLANCE, COUNTY, R.INSPECTOR, True, True, True),
    (K.DIRECTED_SURVEILLANCE, MET, R.CHIEF_INSPECTOR, True, True, True),
    (K.DIRECTED_SURVEILLANCE, CITY, R.SERGEANT, True, False, False),
    (K.DIRECTED_SURVEILLANCE, COUNTY, R.CHIEF_CONSTABLE, False, True, False),
    (K.DIRECTED_SURVEILLANCE, MET, R.COMMISSIONER, False, True, False),
    (K.CHIS, MET, R.SUPERINTENDENT, False, True, False),
    (K.CHIS, CITY, R.INSPECTOR, True, True, True),
    (K.CHIS, COUNTY, R.CONSTABLE, True, False, False),
    (K.CRIMINAL_CONDUCT, COUNTY, R.SUPERINTENDENT, False, True, False),
    (K.CRIMINAL_CONDUCT, MET, R.INSPECTOR, True, True, True),
    (K.CRIMINAL_CONDUCT, CITY, R.INSPECTOR, False, False, True),
    # Intrusive surveillance: chief officer; ACC or commander in urgent cases only.
    (K.INTRUSIVE_SURVEILLANCE, COUNTY, R.CHIEF_CONSTABLE, False, True, False),
    (K.INTRUSIVE_SURVEILLANCE, COUNTY, R.DEPUTY_CHIEF_CONSTABLE, True, True, True),
    (K.INTRUSIVE_SURVEILLANCE, COUNTY, R.ASSISTANT_CHIEF_CONSTABLE, True, True, True),
    (K.INTRUSIVE_SURVEILLANCE, COUNTY, R.ASSISTANT_CHIEF_CONSTABLE, False, False, True),
    (K.INTRUSIVE_SURVEILLANCE, COUNTY, R.CHIEF_SUPERINTENDENT, True, False, False),
    (K.INTRUSIVE_SURVEILLANCE, MET, R.ASSISTANT_COMMISSIONER, False, True, False),
    (K.INTRUSIVE_SURVEILLANCE, MET, R.COMMISSIONER, False, True, False),
    (K.INTRUSIVE_SURVEILLANCE, MET, R.DEPUTY_ASSISTANT_COMMISSIONER, True, True, True),
    (K.INTRUSIVE_SURVEILLANCE, MET, R.COMMANDER, True, True, True),
    (K.INTRUSIVE_SURVEILLANCE, MET, R.COMMANDER, False, False, True),
    (K.INTRUSIVE_SURVEILLANCE, CITY, R.COMMISSIONER, False, True, False),
    (K.INTRUSIVE_SURVEILLANCE, CITY, R.ASSISTANT_COMMISSIONER, True, True, True),
    (K.INTRUSIVE_SURVEILLANCE, CITY, R.COMMANDER, True, True, True),
    (K.INTRUSIVE_SURVEILLANCE, CITY, R.CHIEF_SUPERINTENDENT, True, False, False),
    # Property interference: as intrusive surveillance.
    (K.PROPERTY_INTERFERENCE, COUNTY, R.CHIEF_CONSTABLE, False, True, False),
    (K.PROPERTY_INTERFERENCE, COUNTY, R.ASSISTANT_CHIEF_CONSTABLE, True, True, True),
    (K.PROPERTY_INTERFERENCE, COUNTY, R.ASSISTANT_CHIEF_CONSTABLE, False, False, True),
    (K.PROPERTY_INTERFERENCE, MET, R.ASSISTANT_COMMISSIONER, False, True, False),
    (K.PROPERTY_INTERFERENCE, MET, R.COMMANDER, True, True, True),
    (K.PROPERTY_INTERFERENCE, CITY, R.COMMISSIONER, False, True, False),
    (K.PROPERTY_INTERFERENCE, CITY, R.COMMANDER, True, True, True),
    # Equipment interference: law enforcement chief; appropriate delegate in urgent cases.
    (K.EQUIPMENT_INTERFERENCE, COUNTY, R.CHIEF_CONSTABLE, False, True, False),
    (K.EQUIPMENT_INTERFERENCE, COUNTY, R.DEPUTY_CHIEF_CONSTABLE, True, True, True),
    (K.EQUIPMENT_INTERFERENCE, COUNTY, R.ASSISTANT_CHIEF_CONSTABLE, True, True, True),
    (K.EQUIPMENT_INTERFERENCE, COUNTY, R.ASSISTANT_CHIEF_CONSTABLE, False, False, True),
    (K.EQUIPMENT_INTERFERENCE, MET, R.ASSISTANT_COMMISSIONER, False, True, False),
    (K.EQUIPMENT_INTERFERENCE, MET, R.COMMANDER, True, True, True),
    (K.EQUIPMENT_INTERFERENCE, CITY, R.COMMISSIONER, False, True, False),
    (K.EQUIPMENT_INTERFERENCE, CITY, R.ASSISTANT_COMMISSIONER, True, True, True),
    (K.EQUIPMENT_INTERFERENCE, CITY, R.COMMANDER, True, True, True),
    (K.EQUIPMENT_INTERFERENCE, CITY, R.SUPERINTENDENT, True, False, False),
    # Relevant source: ACC or commander; superintendent in urgent cases only.
    (K.RELEVANT_SOURCE, COUNTY, R.ASSISTANT_CHIEF_CONSTABLE, False, True, False),
    (K.RELEVANT_SOURCE, MET, R.COMMANDER, False, True, False),
    (K.RELEVANT_SOURCE, CITY, R.COMMANDER, False, True, False),
    (K.RELEVANT_SOURCE, COUNTY, R.SUPERINTENDENT, True, True, True),
    (K.RELEVANT_SOURCE, MET, R.CHIEF_SUPERINTENDENT, True, True, True),
    (K.RELEVANT_SOURCE, CITY, R.SUPERINTENDENT, False, False, True),
    (K.RELEVANT_SOURCE, COUNTY, R.INSPECTOR, True, False, False),
    # Juvenile sources: Annex A level, with no urgent-only rank.
    (K.JUVENILE_CHIS, COUNTY, R.ASSISTANT_CHIEF_CONSTABLE, False, True, False),
    (K.JUVENILE_CHIS, MET, R.COMMANDER, False, True, False),
    (K.JUVENILE_CHIS, CITY, R.COMMANDER, False, True, False),
    (K.JUVENILE_CHIS, MET, R.CHIEF_SUPERINTENDENT, False, False, False),
    (K.JUVENILE_CHIS, COUNTY, R.INSPECTOR, True, False, False),
]


@pytest.mark.parametrize(
    ("kind", "force", "rank", "urgent", "permitted", "urgent_only"), PLAIN_CASES
)
def test_authoriser_rank_table(
    kind: K, force: Force, rank: Rank, urgent: bool, permitted: bool, urgent_only: bool
) -> None:
    decision = check_authoriser(kind, rank, force, urgent=urgent)
    assert decision.permitted is permitted, decision.problem
    if permitted:
        assert decision.urgent_only is urgent_only
        assert decision.problem is None
    else:
        assert decision.problem
    assert decision.rules


# (kind, force, rank, facts, permitted)
ENHANCED_CASES = [
    (K.DIRECTED_SURVEILLANCE, COUNTY, R.SUPERINTENDENT, {"confidential": True}, False),
    (K.DIRECTED_SURVEILLANCE, COUNTY, R.ASSISTANT_CHIEF_CONSTABLE, {"confidential": True}, False),
    (K.DIRECTED_SURVEILLANCE, COUNTY, R.CHIEF_CONSTABLE, {"confidential": True}, True),
    (
        K.DIRECTED_SURVEILLANCE,
        MET,
        R.DEPUTY_ASSISTANT_COMMISSIONER,
        {"legally_privileged": True},
        False,
    ),
    (K.DIRECTED_SURVEILLANCE, MET, R.ASSISTANT_COMMISSIONER, {"legally_privileged": True}, True),
    (K.DIRECTED_SURVEILLANCE, CITY, R.ASSISTANT_COMMISSIONER, {"confidential": True}, False),
    (K.DIRECTED_SURVEILLANCE, CITY, R.COMMISSIONER, {"confidential": True}, True),
    (K.CHIS, COUNTY, R.CHIEF_SUPERINTENDENT, {"vulnerable": True}, False),
    (K.CHIS, COUNTY, R.ASSISTANT_CHIEF_CONSTABLE, {"vulnerable": True}, True),
    (K.CHIS, MET, R.COMMANDER, {"legally_privileged": True}, True),
    (K.CHIS, CITY, R.SUPERINTENDENT, {"confidential": True}, False),
    (K.CHIS, CITY, R.COMMANDER, {"juvenile": True}, True),
    (K.CRIMINAL_CONDUCT, COUNTY, R.SUPERINTENDENT, {"juvenile": True}, False),
    (K.CRIMINAL_CONDUCT, COUNTY, R.ASSISTANT_CHIEF_CONSTABLE, {"juvenile": True}, True),
    (K.RELEVANT_SOURCE, COUNTY, R.ASSISTANT_CHIEF_CONSTABLE, {"long_term": True}, False),
    (K.RELEVANT_SOURCE, COUNTY, R.CHIEF_CONSTABLE, {"long_term": True}, True),
    (K.RELEVANT_SOURCE, MET, R.DEPUTY_ASSISTANT_COMMISSIONER, {"long_term": True}, False),
    (K.RELEVANT_SOURCE, MET, R.ASSISTANT_COMMISSIONER, {"long_term": True}, True),
    (K.RELEVANT_SOURCE, CITY, R.ASSISTANT_COMMISSIONER, {"long_term": True}, False),
    (K.RELEVANT_SOURCE, CITY, R.COMMISSIONER, {"long_term": True}, True),
    (K.DIRECTED_SURVEILLANCE, COUNTY, R.SUPERINTENDENT, {"legal_consultation": True}, False),
    (K.DIRECTED_SURVEILLANCE, COUNTY, R.CHIEF_CONSTABLE, {"legal_consultation": True}, True),
]


@pytest.mark.parametrize(("kind", "force", "rank", "facts", "permitted"), ENHANCED_CASES)
def test_enhanced_authorisation_levels(
    kind: K, force: Force, rank: Rank, facts: dict[str, bool], permitted: bool
) -> None:
    decision = check_authoriser(kind, rank, force, **facts)
    assert decision.permitted is permitted, decision.problem


def test_annex_a_levels_allow_no_urgent_only_rank() -> None:
    decision = check_authoriser(
        K.DIRECTED_SURVEILLANCE, R.INSPECTOR, COUNTY, urgent=True, confidential=True
    )
    assert not decision.permitted
    long_term = check_authoriser(
        K.RELEVANT_SOURCE, R.SUPERINTENDENT, MET, urgent=True, long_term=True
    )
    assert not long_term.permitted


@pytest.mark.parametrize(
    ("force", "rank"),
    [
        (COUNTY, R.COMMANDER),
        (COUNTY, R.ASSISTANT_COMMISSIONER),
        (COUNTY, R.COMMISSIONER),
        (MET, R.ASSISTANT_CHIEF_CONSTABLE),
        (MET, R.CHIEF_CONSTABLE),
        (CITY, R.DEPUTY_ASSISTANT_COMMISSIONER),
        (CITY, R.CHIEF_CONSTABLE),
        (CITY, R.DEPUTY_COMMISSIONER),
    ],
)
def test_rank_absent_from_force_rejected(force: Force, rank: Rank) -> None:
    decision = check_authoriser(K.DIRECTED_SURVEILLANCE, rank, force)
    assert not decision.permitted
    assert decision.problem is not None
    assert "does not exist" in decision.problem


def test_higher_rank_may_act_for_lower() -> None:
    for force in Force:
        ranks = ladder(force)
        superintendent_at = ranks.index(R.SUPERINTENDENT)
        for rank in ranks[superintendent_at:]:
            decision = check_authoriser(K.CHIS, rank, force)
            assert decision.permitted, (force, rank)
            assert not decision.urgent_only, (force, rank)


def test_ladders_are_ordered_like_rank() -> None:
    for force in Force:
        ranks = ladder(force)
        assert list(ranks) == sorted(ranks), force
        assert at_least(ranks[-1], ranks[0], force)
        assert not at_least(ranks[0], ranks[-1], force)


def test_oral_grant_needs_urgency_and_full_power() -> None:
    written_only = check_authoriser(K.DIRECTED_SURVEILLANCE, R.SUPERINTENDENT, MET, oral=True)
    assert not written_only.permitted
    urgent_oral = check_authoriser(
        K.DIRECTED_SURVEILLANCE, R.SUPERINTENDENT, MET, oral=True, urgent=True
    )
    assert urgent_oral.permitted
    assert not urgent_oral.urgent_only
    inspector_oral = check_authoriser(
        K.DIRECTED_SURVEILLANCE, R.INSPECTOR, MET, oral=True, urgent=True
    )
    assert not inspector_oral.permitted
    assert "ranks-ripa-s43-1-oral-urgent-full-power" in inspector_oral.rules


def test_intrusive_deputy_has_full_powers() -> None:
    decision = check_authoriser(
        K.INTRUSIVE_SURVEILLANCE, R.DEPUTY_CHIEF_CONSTABLE, COUNTY, designated_deputy=True
    )
    assert decision.permitted
    assert not decision.urgent_only
    assert "ranks-designated-deputy" in decision.rules
    city = check_authoriser(
        K.INTRUSIVE_SURVEILLANCE, R.ASSISTANT_COMMISSIONER, CITY, designated_deputy=True
    )
    assert city.permitted
    assert not city.urgent_only


def test_property_deputy_lasts_72_hours() -> None:
    decision = check_authoriser(
        K.PROPERTY_INTERFERENCE, R.DEPUTY_CHIEF_CONSTABLE, COUNTY, designated_deputy=True
    )
    assert decision.permitted
    assert decision.urgent_only
    oral = check_authoriser(
        K.PROPERTY_INTERFERENCE,
        R.DEPUTY_CHIEF_CONSTABLE,
        COUNTY,
        designated_deputy=True,
        oral=True,
        urgent=True,
    )
    assert not oral.permitted


def test_under_16_source_against_parent_is_prohibited() -> None:
    decision = check_authoriser(
        K.JUVENILE_CHIS,
        R.CHIEF_CONSTABLE,
        COUNTY,
        under_16=True,
        relationship_with_parent=True,
    )
    assert not decision.permitted
    assert decision.rules == ("juveniles-order-art-3-under-16-parent",)
    aged_16 = check_authoriser(
        K.JUVENILE_CHIS, R.CHIEF_CONSTABLE, COUNTY, relationship_with_parent=True
    )
    assert aged_16.permitted


def test_cca_before_commencement_invalid() -> None:
    before = check_authoriser(K.CRIMINAL_CONDUCT, R.SUPERINTENDENT, MET, on=date(2021, 9, 14))
    assert not before.permitted
    assert before.problem is not None
    assert "2021-09-15" in before.problem
    on_the_day = check_authoriser(K.CRIMINAL_CONDUCT, R.SUPERINTENDENT, MET, on=date(2021, 9, 15))
    assert on_the_day.permitted


def test_tei_before_commencement_invalid() -> None:
    before = check_authoriser(
        K.EQUIPMENT_INTERFERENCE, R.CHIEF_CONSTABLE, COUNTY, on=date(2018, 12, 4)
    )
    assert not before.permitted
    after = check_authoriser(
        K.EQUIPMENT_INTERFERENCE, R.CHIEF_CONSTABLE, COUNTY, on=date(2018, 12, 5)
    )
    assert after.permitted


def test_self_authorisation_needs_recorded_unavoidability() -> None:
    uninvolved = check_self_authorisation(directly_involved=False, recorded_unavoidable=False)
    assert uninvolved.permitted
    assert not uninvolved.flag
    rejected = check_self_authorisation(directly_involved=True, recorded_unavoidable=False)
    assert not rejected.permitted
    assert rejected.problem
    flagged = check_self_authorisation(directly_involved=True, recorded_unavoidable=True)
    assert flagged.permitted
    assert flagged.flag


@pytest.mark.parametrize(
    ("text", "rank"),
    [
        ("Supt", R.SUPERINTENDENT),
        ("Insp (urgent)", R.INSPECTOR),
        ("ACC", R.ASSISTANT_CHIEF_CONSTABLE),
        ("Chief Constable", R.CHIEF_CONSTABLE),
        ("DCI (SIO Op X) - Supt unavailable", R.CHIEF_INSPECTOR),
        ("Commander", R.COMMANDER),
        ("Cmdr", R.COMMANDER),
        ("DAC", R.DEPUTY_ASSISTANT_COMMISSIONER),
        ("AC", R.ASSISTANT_COMMISSIONER),
        ("Det Supt", R.SUPERINTENDENT),
        ("D/Supt", R.SUPERINTENDENT),
        ("Ch Supt", R.CHIEF_SUPERINTENDENT),
        ("T/Ch Supt", R.CHIEF_SUPERINTENDENT),
        ("Detective Chief Superintendent", R.CHIEF_SUPERINTENDENT),
        ("DCC", R.DEPUTY_CHIEF_CONSTABLE),
        ("Deputy Chief Constable", R.DEPUTY_CHIEF_CONSTABLE),
        ("A/Insp", R.INSPECTOR),
        ("Assistant Commissioner", R.ASSISTANT_COMMISSIONER),
        ("Deputy Assistant Commissioner", R.DEPUTY_ASSISTANT_COMMISSIONER),
        ("Commissioner", R.COMMISSIONER),
        ("chief-superintendent", R.CHIEF_SUPERINTENDENT),
        ("assistant-chief-constable", R.ASSISTANT_CHIEF_CONSTABLE),
        ("  SUPERINTENDENT ", R.SUPERINTENDENT),
        ("PC", R.CONSTABLE),
        ("DS", R.SERGEANT),
        ("Sgt", R.SERGEANT),
    ],
)
def test_parse_rank_register_spellings(text: str, rank: Rank) -> None:
    assert parse_rank(text) is rank


@pytest.mark.parametrize("text", ["", "   ", "Head of Legal", "Chief", "Op X"])
def test_parse_rank_unknown_is_none(text: str) -> None:
    assert parse_rank(text) is None


def test_every_decision_rule_is_in_the_book() -> None:
    for kind in K:
        for force in Force:
            for rank in ladder(force):
                decision = check_authoriser(kind, rank, force, urgent=True, on=date(2026, 1, 1))
                for identifier in decision.rules:
                    assert get_rule(identifier).identifier == identifier
