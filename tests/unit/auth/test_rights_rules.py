"""What an account may do, from its granted rights and the seats its person holds today."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from govtrack.auth.enums import Role
from govtrack.auth.rules import Grant, Sitting, rights_from

ids = st.integers(1, 6)
grants = st.lists(
    st.builds(Grant, st.sampled_from(list(Role)), st.none() | ids, st.none() | ids), max_size=5
)
sittings = st.lists(st.builds(Sitting, ids, st.booleans()), max_size=5)


def test_a_clerk_for_one_body_clerks_there_only():
    rights = rights_from([Grant(Role.CLERK, body_id=3)], [], None)
    assert rights.has(Role.CLERK)
    assert rights.clerk_for(3)
    assert not rights.clerk_for(4)
    assert not rights.clerk_everywhere


def test_a_clerk_grant_without_a_body_is_for_every_body():
    rights = rights_from([Grant(Role.CLERK)], [], None)
    assert rights.clerk_everywhere and rights.clerk_for(99)


def test_a_seat_on_a_scrutiny_panel_gives_scrutiny_rights_over_that_panel_only():
    rights = rights_from([], [Sitting(7, scrutiny=True), Sitting(2, scrutiny=False)], 1)
    assert rights.has(Role.SCRUTINY)
    assert rights.scrutiny_for(7)
    assert not rights.scrutiny_for(2)
    assert rights.sits_on(2) and rights.sits_on(7)
    assert rights.has(Role.MEMBER)
    assert not rights.has(Role.CLERK)


def test_an_officer_grant_follows_the_persons_partner():
    assert rights_from([Grant(Role.OFFICER)], [], 5).officer_partners == {5}
    assert rights_from([Grant(Role.OFFICER, partner_id=2)], [], 5).officer_partners == {2}
    unlinked = rights_from([Grant(Role.OFFICER)], [], None)
    assert unlinked.has(Role.OFFICER)  # may open the officers' forms ...
    assert not unlinked.officer_for(None)  # ... which offer no partner to change


def test_no_grants_and_no_seats_is_no_right_at_all():
    rights = rights_from([], [], 4)
    assert not any(rights.has(role) for role in Role)


@settings(max_examples=50)
@given(grants, sittings, st.none() | ids)
def test_an_administrator_holds_every_kind_of_right(granted, seats, partner):
    rights = rights_from([*granted, Grant(Role.ADMIN)], seats, partner)
    assert all(rights.has(role) for role in (Role.ADMIN, Role.CLERK, Role.SCRUTINY, Role.MEMBER))
    assert rights.clerk_for(123) and rights.scrutiny_for(123)


@settings(max_examples=50)
@given(grants, grants, sittings, st.none() | ids)
def test_more_grants_never_take_a_right_away(granted, more, seats, partner):
    fewer = rights_from(granted, seats, partner)
    more_rights = rights_from([*granted, *more], seats, partner)
    for role in Role:
        assert not fewer.has(role) or more_rights.has(role)
    for body in range(1, 7):
        assert not fewer.clerk_for(body) or more_rights.clerk_for(body)
        assert not fewer.scrutiny_for(body) or more_rights.scrutiny_for(body)
    assert fewer.officer_partners <= more_rights.officer_partners
