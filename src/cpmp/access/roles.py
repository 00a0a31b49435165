"""Roles a person can hold in CPMP. The stored values are stable: never rename or reuse one."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    APPLICANT = "applicant", "Applicant"
    GATEKEEPER = "gatekeeper", "Gatekeeper (Central Authorities Bureau)"
    AUTHORISING_OFFICER = "authorising-officer", "Authorising officer"
    SENIOR_AUTHORISING_OFFICER = "senior-authorising-officer", "Senior authorising officer"
    HANDLER = "handler", "Handler"
    CONTROLLER = "controller", "Controller"
    SOURCE_REGISTRAR = "source-registrar", "Source registrar"
    UNDERCOVER_UNIT_MANAGER = "undercover-unit-manager", "Undercover unit manager"
    TECHNICAL_UNIT_MANAGER = "technical-unit-manager", "Technical unit manager"
    RISK_MANAGER = "risk-manager", "Risk manager"
    SENIOR_RESPONSIBLE_OFFICER = "senior-responsible-officer", "Senior responsible officer"
    DECONFLICTION_OFFICER = "deconfliction-officer", "Deconfliction officer"
    INSPECTOR = "inspector", "Inspector (IPCO)"
    AUDITOR = "auditor", "Auditor"
    ADMINISTRATOR = "administrator", "Administrator"


class Rank(models.TextChoices):
    """Police ranks, lowest first, with the staff grade for people who hold no rank."""

    STAFF = "staff", "Police staff"
    CONSTABLE = "constable", "Constable"
    SERGEANT = "sergeant", "Sergeant"
    INSPECTOR = "inspector", "Inspector"
    CHIEF_INSPECTOR = "chief-inspector", "Chief Inspector"
    SUPERINTENDENT = "superintendent", "Superintendent"
    CHIEF_SUPERINTENDENT = "chief-superintendent", "Chief Superintendent"
    ASSISTANT_CHIEF_CONSTABLE = "assistant-chief-constable", "Assistant Chief Constable"
    COMMANDER = "commander", "Commander"
    DEPUTY_CHIEF_CONSTABLE = "deputy-chief-constable", "Deputy Chief Constable"
    DEPUTY_ASSISTANT_COMMISSIONER = "deputy-assistant-commissioner", "Deputy Assistant Commissioner"
    CHIEF_CONSTABLE = "chief-constable", "Chief Constable"
    ASSISTANT_COMMISSIONER = "assistant-commissioner", "Assistant Commissioner"
    COMMISSIONER = "commissioner", "Commissioner"
