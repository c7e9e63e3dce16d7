"""The closed sets of the registry: kinds of partner and body, legal forms, jurisdictions, roles."""

from __future__ import annotations

from govtrack.core.enums import LabelledEnum


class PartnerKind(LabelledEnum):
    COUNTY = ("county", "County council")
    DISTRICT = ("district", "District council")
    UNITARY = ("unitary", "Unitary authority")
    CONTRACTOR = ("contractor", "Contractor")
    OTHER = ("other", "Other")


class BodyKind(LabelledEnum):
    JOINT_COMMITTEE = ("joint_committee", "Joint committee")
    PARTNERSHIP_BOARD = ("partnership_board", "Partnership board")
    PROGRAMME_BOARD = ("programme_board", "Programme board")
    SCRUTINY_PANEL = ("scrutiny_panel", "Scrutiny panel")
    SCRUTINY_SUB_GROUP = ("scrutiny_sub_group", "Scrutiny sub-group")
    TASK_GROUP = ("task_group", "Task group")
    CABINET = ("cabinet", "Cabinet")
    OTHER = ("other", "Other")


class LegalForm(LabelledEnum):
    LGA1972_JOINT_COMMITTEE = (
        "lga1972_joint_committee",
        "Joint committee (Local Government Act 1972)",
    )
    LGA1972_COMMITTEE = ("lga1972_committee", "Committee (Local Government Act 1972)")
    EXECUTIVE = ("executive", "Executive")
    OFFICER_BOARD = ("officer_board", "Officer board")
    NON_STATUTORY = ("non_statutory", "Non-statutory body")


class Jurisdiction(LabelledEnum):
    ENGLAND = ("england", "England")
    WALES = ("wales", "Wales")


class MembershipRole(LabelledEnum):
    CHAIR = ("chair", "Chair")
    VICE_CHAIR = ("vice_chair", "Vice-chair")
    MEMBER = ("member", "Member")
    SUBSTITUTE = ("substitute", "Substitute")
    CO_OPTED = ("co_opted", "Co-opted (non-voting)")
    OFFICER_ADVISER = ("officer_adviser", "Officer adviser")
