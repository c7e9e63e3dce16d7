"""What the attendance form offers each person, by the role they hold on the body."""

from __future__ import annotations

from govtrack.meetings.enums import AttendanceStatus
from govtrack.meetings.rules import attendance_choices, stands_in
from govtrack.registry.enums import MembershipRole


def test_a_substitute_was_present_as_a_substitute_or_absent():
    assert stands_in(MembershipRole.SUBSTITUTE)
    assert attendance_choices(MembershipRole.SUBSTITUTE) == (
        AttendanceStatus.SUBSTITUTE,
        AttendanceStatus.ABSENT,
    )


def test_every_other_role_is_offered_everything_but_substitute():
    for role in MembershipRole:
        if role is MembershipRole.SUBSTITUTE:
            continue
        assert not stands_in(role)
        choices = attendance_choices(role)
        assert AttendanceStatus.SUBSTITUTE not in choices
        assert set(choices) == set(AttendanceStatus) - {AttendanceStatus.SUBSTITUTE}
