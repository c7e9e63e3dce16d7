"""The rules of administering accounts: states, what may be granted, what may be removed or
disabled (never the system's last administrator), and rights in words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govtrack.accounts.enums import AccountState
from govtrack.accounts.rules import (
    account_state,
    disable_refusal,
    grant_label,
    grant_problems,
    may_invite_again,
    parse_right,
    removal_refusal,
    rights_in_words,
)
from govtrack.auth.enums import Role
from govtrack.auth.rules import Grant, Sitting, rights_from

ids = st.none() | st.integers(1, 5)
grants = st.builds(Grant, st.sampled_from(list(Role)), ids, ids)


# States ----------------------------------------------------------------------------------


def test_an_account_reads_disabled_invited_or_active():
    assert account_state(False, True, False) is AccountState.DISABLED
    assert account_state(False, False, False) is AccountState.DISABLED
    assert account_state(True, False, False) is AccountState.INVITED
    assert account_state(True, True, False) is AccountState.ACTIVE
    assert account_state(True, False, True) is AccountState.ACTIVE  # single sign-on only


def test_an_invitation_is_resent_only_before_it_is_accepted():
    assert may_invite_again(False, False) is None
    assert "already accepted" in may_invite_again(True, False)
    assert "already accepted" in may_invite_again(False, True)


# Granting --------------------------------------------------------------------------------


def test_a_right_is_not_granted_twice():
    held = [Grant(Role.CLERK, 3)]
    assert grant_problems(Grant(Role.CLERK, 3), None, held) == {
        "right": "This account already holds this right"
    }
    assert grant_problems(Grant(Role.CLERK, 4), None, held) == {}
    assert grant_problems(Grant(Role.CLERK), None, held) == {}


def test_a_right_held_for_every_body_covers_each_body():
    problems = grant_problems(Grant(Role.SCRUTINY, 2), True, [Grant(Role.SCRUTINY)])
    assert "for every body" in problems["right"]


def test_bodies_and_partners_are_named_only_for_the_rights_that_take_them():
    assert "body_id" in grant_problems(Grant(Role.MEMBER, body_id=1), False, [])
    assert "body_id" in grant_problems(Grant(Role.ADMIN, body_id=1), False, [])
    assert "partner_id" in grant_problems(Grant(Role.CLERK, partner_id=1), None, [])
    assert grant_problems(Grant(Role.OFFICER, partner_id=1), None, []) == {}
    assert grant_problems(Grant(Role.CLERK, body_id=1), False, []) == {}


def test_a_scrutiny_right_is_for_a_scrutiny_body():
    assert "scrutiny panel" in grant_problems(Grant(Role.SCRUTINY, 1), False, [])["body_id"]
    assert grant_problems(Grant(Role.SCRUTINY, 1), True, []) == {}


@settings(max_examples=50)
@given(grant=grants, held=st.lists(grants, max_size=4), scrutiny=st.booleans())
def test_a_granted_right_is_never_granted_again(grant, held, scrutiny):
    problems = grant_problems(grant, scrutiny, held)
    if grant in held:
        assert problems  # refused, for one reason or another
    if not problems:
        assert grant not in held


# Removing and disabling ------------------------------------------------------------------


def test_an_administrator_cannot_remove_their_own_last_administrator_right():
    assert "your own" in removal_refusal(Role.ADMIN, True, 1, True, 5)
    # With a second administrator grant of their own, removing one is fine.
    assert removal_refusal(Role.ADMIN, True, 2, True, 5) is None


def test_the_last_active_administrator_keeps_the_right():
    assert "last active administrator" in removal_refusal(Role.ADMIN, False, 1, True, 1)
    assert removal_refusal(Role.ADMIN, False, 1, True, 2) is None
    # A disabled administrator is not one of the active ones.
    assert removal_refusal(Role.ADMIN, False, 1, False, 1) is None


@settings(max_examples=50)
@given(
    right=st.sampled_from(list(Role)),
    own=st.booleans(),
    held=st.integers(1, 3),
    active=st.booleans(),
    admins=st.integers(1, 4),
)
def test_removing_a_right_never_leaves_no_active_administrator(right, own, held, active, admins):
    refusal = removal_refusal(right, own, held, active, admins)
    if refusal is None and right is Role.ADMIN and active and held == 1:
        assert admins - 1 >= 1
    if right is not Role.ADMIN:
        assert refusal is None


def test_disabling_oneself_or_the_last_administrator_is_refused():
    assert "your own account" in disable_refusal(True, False, 3)
    assert "last active administrator" in disable_refusal(False, True, 1)
    assert disable_refusal(False, True, 2) is None
    assert disable_refusal(False, False, 1) is None


@settings(max_examples=50)
@given(own=st.booleans(), admin=st.booleans(), admins=st.integers(1, 4))
def test_disabling_never_leaves_no_active_administrator(own, admin, admins):
    if disable_refusal(own, admin, admins) is None and admin:
        assert admins - 1 >= 1


# Words -----------------------------------------------------------------------------------


def test_a_grant_reads_with_its_body_or_partner():
    assert grant_label(Role.CLERK) == "Democratic services officer for every body"
    assert grant_label(Role.CLERK, "Joint Committee").endswith("for Joint Committee")
    assert grant_label(Role.SCRUTINY).endswith("for every scrutiny body")
    assert grant_label(Role.OFFICER) == "Officer of the partner of the linked person"
    assert grant_label(Role.OFFICER, partner="Northshire") == "Officer of Northshire"
    assert grant_label(Role.ADMIN) == "Administrator"


def test_rights_today_name_the_bodies_and_partners():
    rights = rights_from([Grant(Role.OFFICER)], [Sitting(1, False), Sitting(2, True)], 7)
    lines = rights_in_words(rights, {1: "Joint Committee", 2: "Panel"}, {7: "Northshire"})
    assert "Sits on (votes there): Joint Committee, Panel" in lines
    assert "Scrutiny panel member for Panel" in lines
    assert "Officer of Northshire" in lines
    assert rights_in_words(rights_from([], [], None), {}, {})[0].startswith("No rights")
    assert rights_in_words(rights_from([Grant(Role.ADMIN)], [], None), {}, {}) == [
        "Administrator: every right, everywhere"
    ]


# The command line's rights ---------------------------------------------------------------


def test_the_command_line_names_a_right_and_what_it_is_for():
    assert parse_right("clerk") == (Role.CLERK, None)
    assert parse_right("Clerk: Joint Committee ") == (Role.CLERK, "Joint Committee")
    assert parse_right("officer:Northshire Council") == (Role.OFFICER, "Northshire Council")
    with pytest.raises(ValueError, match="Unknown right 'emperor'"):
        parse_right("emperor")
    with pytest.raises(ValueError, match="not for a named body"):
        parse_right("admin:Joint Committee")
