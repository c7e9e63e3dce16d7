"""Two-factor sign-in's rules: who must use it, which time steps a code is accepted at (and
never twice), what a sign-in asks for before the session opens, and recovery codes as typed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govtrack.auth.enums import Role
from govtrack.auth.rules import (
    PENDING_CODE_SECONDS,
    PENDING_ENROLMENT_SECONDS,
    RECOVERY_ALPHABET,
    TOTP_DRIFT_STEPS,
    Grant,
    Sitting,
    format_recovery_code,
    fresh_step,
    looks_like_totp,
    normalise_recovery_code,
    pending_expired,
    required_kinds,
    rights_from,
    steps_to_try,
    totp_step,
    turn_off_refusal,
    two_factor_applies,
    two_factor_required,
)

ADMIN_AND_CLERK = frozenset({Role.ADMIN, Role.CLERK})


def rights(*grants: Grant, sittings: tuple[Sitting, ...] = ()):
    return rights_from(grants, sittings, None)


# Who must ----------------------------------------------------------------------------------


def test_the_setting_names_kinds_of_right_in_any_case_and_spacing():
    assert required_kinds("admin,clerk") == ADMIN_AND_CLERK
    assert required_kinds(" Admin , CLERK ,") == ADMIN_AND_CLERK
    assert required_kinds("") == frozenset()


def test_a_mistyped_kind_of_right_is_an_error_not_ignored():
    with pytest.raises(ValueError, match="clark is not a kind of right"):
        required_kinds("admin,clark")


def test_administrators_and_clerks_must_use_two_factor_by_default():
    assert two_factor_required(rights(Grant(Role.ADMIN)), ADMIN_AND_CLERK)
    assert two_factor_required(rights(Grant(Role.CLERK)), ADMIN_AND_CLERK)
    assert two_factor_required(rights(Grant(Role.CLERK, body_id=7)), ADMIN_AND_CLERK)


def test_councillors_officers_and_scrutiny_members_may_choose():
    for held in (Role.MEMBER, Role.OFFICER, Role.SCRUTINY):
        assert not two_factor_required(rights(Grant(held)), ADMIN_AND_CLERK)
    assert not two_factor_required(rights(sittings=(Sitting(3, False),)), ADMIN_AND_CLERK)


def test_an_empty_setting_requires_it_of_nobody():
    assert not two_factor_required(rights(Grant(Role.ADMIN)), frozenset())


def test_requiring_it_of_members_covers_a_person_who_sits_on_a_body():
    assert two_factor_required(rights(sittings=(Sitting(3, False),)), frozenset({Role.MEMBER}))


# What a sign-in asks for -------------------------------------------------------------------


@pytest.mark.parametrize("method", ["password", "invitation"])
def test_a_sign_in_asks_for_the_code_once_enrolled_and_for_enrolment_once_required(method):
    assert two_factor_applies(method, enrolled=True, required=False, for_sso=False) == "code"
    assert two_factor_applies(method, enrolled=True, required=True, for_sso=False) == "code"
    assert two_factor_applies(method, enrolled=False, required=True, for_sso=False) == "enrol"
    assert two_factor_applies(method, enrolled=False, required=False, for_sso=False) is None


def test_single_sign_on_leaves_the_second_factor_to_the_provider_unless_told_otherwise():
    for enrolled in (True, False):
        assert two_factor_applies("sso", enrolled, required=True, for_sso=False) is None
    assert two_factor_applies("sso", enrolled=True, required=False, for_sso=True) == "code"
    assert two_factor_applies("sso", enrolled=False, required=True, for_sso=True) == "enrol"


def test_turning_it_off_is_refused_only_when_required():
    assert turn_off_refusal(required=True)
    assert turn_off_refusal(required=False) is None


# Time steps --------------------------------------------------------------------------------


def test_a_step_is_thirty_seconds():
    assert totp_step(0) == 0
    assert totp_step(29.99) == 0
    assert totp_step(30) == 1
    assert totp_step(1_700_000_000) == 56_666_666


def test_a_code_from_this_step_or_one_either_side_is_accepted():
    assert steps_to_try(100) == [100, 99, 101]
    assert fresh_step([99], 100, None) == 99
    assert fresh_step([101], 100, None) == 101
    assert fresh_step([98], 100, None) is None
    assert fresh_step([102], 100, None) is None


def test_a_code_is_never_accepted_at_or_before_the_last_step_used():
    assert fresh_step([100], 100, 100) is None
    assert fresh_step([100], 100, 101) is None
    assert fresh_step([101], 100, 100) == 101


@settings(max_examples=50)
@given(
    now=st.integers(0, 10**9),
    offsets=st.lists(st.integers(-5, 5), max_size=4),
    last=st.none() | st.integers(0, 10**9),
)
def test_an_accepted_step_is_near_now_after_the_last_one_and_one_of_those_that_matched(
    now, offsets, last
):
    matching = [now + d for d in offsets]
    step = fresh_step(matching, now, last)
    if step is not None:
        assert step in matching
        assert abs(step - now) <= TOTP_DRIFT_STEPS
        assert last is None or step > last
        # Once used, the same step (and every earlier one) is refused.
        assert fresh_step(matching, now, step) is None or fresh_step(matching, now, step) > step


def test_six_digits_are_a_code_from_the_app_and_anything_else_is_not():
    assert looks_like_totp("123456")
    assert looks_like_totp(" 123 456 ")
    assert not looks_like_totp("12345")
    assert not looks_like_totp("1234567")
    assert not looks_like_totp("abcd-efgh-jkmn-pqrs")
    assert not looks_like_totp("١٢٣٤٥٦")  # digits, but not the ones an app shows


# Recovery codes ----------------------------------------------------------------------------


@settings(max_examples=50)
@given(st.text(alphabet=RECOVERY_ALPHABET, min_size=16, max_size=16))
def test_a_recovery_code_reads_back_however_it_is_typed(code):
    shown = format_recovery_code(code)
    assert shown.count("-") == 3
    assert normalise_recovery_code(shown) == code
    assert normalise_recovery_code(shown.upper().replace("-", " ")) == code


def test_letters_easily_misread_count_as_the_digits_they_look_like():
    assert normalise_recovery_code("IOL0-") == "1010"


# The waiting sign-in -----------------------------------------------------------------------


def test_a_waiting_sign_in_lapses_after_five_minutes_or_longer_when_setting_up():
    assert not pending_expired(1000, 1000 + PENDING_CODE_SECONDS, enrolling=False)
    assert pending_expired(1000, 1001 + PENDING_CODE_SECONDS, enrolling=False)
    assert not pending_expired(1000, 1001 + PENDING_CODE_SECONDS, enrolling=True)
    assert pending_expired(1000, 1001 + PENDING_ENROLMENT_SECONDS, enrolling=True)


def test_a_waiting_sign_in_from_the_future_has_lapsed():
    assert pending_expired(2000, 1000, enrolling=False)
