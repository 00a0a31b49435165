"""Which force's rank rules a register follows, when the person importing gives none.

A county force has assistant chief constables and a chief constable; the Metropolitan and
City of London forces have commanders and commissioners instead. A register that names a
rank only one kind of force has tells us whose rules apply. Where every rank it names exists
in every force, the configured force applies.
"""

from __future__ import annotations

from collections.abc import Iterable

from cpmp.law.ranks import LADDERS, Force, parse_rank


def infer_force(authoriser_texts: Iterable[str], default: Force) -> Force:
    """Return the force whose rank ladder contains every rank named in ``authoriser_texts``.

    ``default`` wins whenever it fits; among several other forces that fit, the first in
    ``Force`` order wins. Ranks no force has (a council officer's grade) are ignored.
    """
    ranks = {rank for text in authoriser_texts if (rank := parse_rank(text)) is not None}
    fitting = [force for force in Force if ranks <= set(LADDERS[force])]
    if not fitting or default in fitting:
        return default
    return fitting[0]
