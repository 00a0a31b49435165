"""Whose rank rules a register follows when the person importing gives none."""

from __future__ import annotations

import pytest

from cpmp.law.ranks import Force
from cpmp.oversight.importing.force import infer_force


@pytest.mark.parametrize(
    ("authorisers", "default", "expected"),
    [
        (["Supt", "ACC", "Chief Constable"], Force.MET, Force.COUNTY),
        (["Supt", "Commander", "DAC"], Force.COUNTY, Force.MET),
        (["Supt", "Commander"], Force.CITY, Force.CITY),
        (["Supt", "Insp (urgent)"], Force.CITY, Force.CITY),
        (["Head of Regulatory Services (Grade 12)"], Force.MET, Force.MET),
        (["ACC", "Commander"], Force.MET, Force.MET),
    ],
)
def test_infer_force_from_ranks(authorisers: list[str], default: Force, expected: Force) -> None:
    assert infer_force(authorisers, default) is expected
