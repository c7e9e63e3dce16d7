"""Fixtures shared by the voting tests: a joint committee and an officer board."""

from __future__ import annotations

from datetime import date

import pytest

from govtrack.registry.enums import BodyKind, LegalForm, MembershipRole


@pytest.fixture
def committee(make_body, make_membership, make_partner, make_person):
    """A joint committee of four members from four partners."""
    body = make_body(name="Joint Committee")
    members = []
    for n, role in enumerate(
        (MembershipRole.CHAIR, MembershipRole.MEMBER, MembershipRole.MEMBER, MembershipRole.MEMBER)
    ):
        partner = make_partner(name=f"Council {n}")
        person = make_person(partner=partner, name=f"Councillor {n}")
        members.append(
            make_membership(body=body, person=person, role=role, start_on=date(2006, 1, 1))
        )
    return body, members


@pytest.fixture
def board(make_body, make_membership, make_partner, make_person):
    """An officer board (non-statutory): its terms of reference allow electronic decisions."""
    body = make_body(
        name="Partnership Board",
        kind=BodyKind.PARTNERSHIP_BOARD,
        legal_form=LegalForm.OFFICER_BOARD,
    )
    members = []
    for n, role in enumerate((MembershipRole.CHAIR, MembershipRole.MEMBER, MembershipRole.MEMBER)):
        partner = make_partner(name=f"Board council {n}")
        person = make_person(partner=partner, name=f"Officer {n}")
        members.append(
            make_membership(body=body, person=person, role=role, start_on=date(2006, 1, 1))
        )
    return body, members
