"""What the registry tells accounts: the seats a person holds today and their partner, read
with the account's grants in one query."""

from __future__ import annotations

from datetime import timedelta

from govtrack.auth.enums import Role
from govtrack.auth.rules import Grant, Sitting
from govtrack.core.dates import today
from govtrack.registry.enums import BodyKind
from govtrack.registry.rights import registry_facts


def test_seats_today_grants_and_partner_come_back_together(
    make_user, make_person, make_body, make_membership
):
    user = make_user(role=Role.OFFICER)
    person = make_person(user_id=user.id)
    board = make_body(kind=BodyKind.PARTNERSHIP_BOARD)
    task_group = make_body(kind=BodyKind.TASK_GROUP)
    panel = make_body(kind=BodyKind.SCRUTINY_PANEL)
    former = make_body(kind=BodyKind.SCRUTINY_SUB_GROUP)
    for body in (board, task_group, panel):
        make_membership(person=person, body=body)
    make_membership(person=person, body=former, end_on=today() - timedelta(days=1))

    grants, sittings, partner = registry_facts(user.id)

    assert grants == [Grant(Role.OFFICER)]
    assert partner == person.partner_id
    assert sorted(sittings, key=lambda s: s.body_id) == sorted(
        [Sitting(board.id, False), Sitting(task_group.id, True), Sitting(panel.id, True)],
        key=lambda s: s.body_id,
    )


def test_an_account_linked_to_nobody_has_only_its_grants(make_user):
    user = make_user(role=Role.CLERK)
    assert registry_facts(user.id) == ([Grant(Role.CLERK)], [], None)


def test_a_seat_that_starts_tomorrow_is_not_held_today(make_user, make_person, make_membership):
    user = make_user(role=Role.MEMBER)
    person = make_person(user_id=user.id)
    make_membership(person=person, start_on=today() + timedelta(days=1))
    assert registry_facts(user.id)[1] == []
