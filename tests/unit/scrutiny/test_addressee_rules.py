"""A recommendation addressed to several councils is complete only when every one of them has
done what was asked: its status, RAG and sign-off follow each addressee's latest update; a
signed-off recommendation awaits no response."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from govtrack.core.rag import RAG
from govtrack.scrutiny.enums import Assessment, Status
from govtrack.scrutiny.rules import (
    DELIVERED,
    UPDATE_STATUSES,
    HistoryItem,
    combined_status,
    recommendation_rag,
    response_overdue,
    signoff_problem,
    state_from_history,
)

LCC, CBC, PBC = 1, 2, 3
DAY = date(2007, 11, 20)


def update(partner: int | None, status: Status | None, days: int = 0, n: int = 0, **more):
    return HistoryItem(
        on=DAY + timedelta(days=days), order=(n,), status=status, partner_id=partner, **more
    )


def test_one_councils_implemented_does_not_complete_a_recommendation_to_two():
    state = state_from_history([update(LCC, Status.IMPLEMENTED)], [LCC, CBC])
    assert state.status is Status.IN_PROGRESS
    assert state.outstanding == (CBC,)
    assert [a.label for a in state.addressees] == ["Implemented", "Not started"]
    assert signoff_problem(state.status, None, ["CBC"]) is not None
    assert "CBC" in signoff_problem(state.status, None, ["CBC"])
    rag = recommendation_rag(
        status=state.status, target_date=None, revised_target_date=None, today=DAY
    )
    assert rag.rag is not RAG.BLUE


def test_it_is_implemented_once_every_council_has_reported_so():
    items = [update(LCC, Status.IMPLEMENTED), update(CBC, Status.SUPERSEDED, days=3)]
    state = state_from_history(items, [LCC, CBC])
    assert state.status is Status.IMPLEMENTED
    assert state.outstanding == ()
    assert signoff_problem(state.status, None, []) is None


def test_a_councils_later_update_replaces_its_own_earlier_one_only():
    items = [
        update(LCC, Status.IMPLEMENTED),
        update(CBC, Status.IMPLEMENTED, days=1),
        update(LCC, Status.IN_PROGRESS, days=2),
    ]
    state = state_from_history(items, [LCC, CBC])
    assert state.status is Status.IN_PROGRESS
    assert state.outstanding == (LCC,)


def test_a_general_update_speaks_for_every_addressee():
    state = state_from_history([update(None, Status.IMPLEMENTED)], [LCC, CBC])
    assert state.status is Status.IMPLEMENTED and state.outstanding == ()


def test_an_achieved_assessment_counts_as_done_for_that_council():
    items = [
        update(LCC, None, assessment=Assessment.ACHIEVED),
        update(CBC, Status.IMPLEMENTED),
    ]
    state = state_from_history(items, [LCC, CBC])
    assert state.outstanding == ()
    assert [a.label for a in state.addressees] == ["Achieved", "Implemented"]


def test_a_sign_off_closes_it_for_everyone_and_a_reopening_opens_it_for_everyone():
    signed = HistoryItem(on=DAY, order=(5,), status=Status.SIGNED_OFF, signed_off=True)
    state = state_from_history([update(None, Status.IMPLEMENTED), signed], [LCC, CBC])
    assert state.status is Status.SIGNED_OFF
    assert [a.label for a in state.addressees] == ["Signed off", "Signed off"]
    reopened = HistoryItem(on=DAY + timedelta(days=1), order=(6,), status=Status.IN_PROGRESS)
    state = state_from_history(
        [update(None, Status.IMPLEMENTED), signed, reopened, update(LCC, Status.IMPLEMENTED, 2)],
        [LCC, CBC],
    )
    assert state.status is Status.IN_PROGRESS and state.outstanding == (CBC,)


def test_the_partnership_wide_recommendation_follows_the_latest_update_as_before():
    state = state_from_history([update(LCC, Status.IMPLEMENTED)], [])
    assert state.status is Status.IMPLEMENTED and state.addressees == ()
    assert signoff_problem(state.status, None, None) is None


def test_an_update_from_a_council_no_longer_addressed_sets_nothing():
    state = state_from_history([update(PBC, Status.IMPLEMENTED)], [LCC])
    assert state.status is Status.NOT_STARTED


def test_a_signed_off_recommendation_awaits_no_response():
    due = DAY - timedelta(days=1)
    assert response_overdue(due, None, DAY)
    assert not response_overdue(due, None, DAY, signed_off=True)


statuses = st.sampled_from(UPDATE_STATUSES)


@settings(max_examples=50)
@given(st.lists(statuses, min_size=1, max_size=6))
def test_combined_status_is_implemented_only_when_every_council_delivered(found):
    combined = combined_status(found)
    assert (combined in DELIVERED) == all(s in DELIVERED for s in found)
    assert combined_status(list(reversed(found))) is combined
    if len(set(found)) == 1:
        assert combined is found[0]


@settings(max_examples=50)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([None, LCC, CBC, PBC]),
            st.one_of(st.none(), statuses),
            st.one_of(st.none(), st.sampled_from(list(Assessment))),
            st.integers(min_value=0, max_value=30),
        ),
        max_size=12,
    ),
    st.lists(st.sampled_from([LCC, CBC, PBC]), min_size=1, max_size=3, unique=True),
)
def test_blue_and_sign_off_only_when_every_addressees_latest_update_says_done(rows, addressees):
    items = [
        HistoryItem(
            on=DAY + timedelta(days=days),
            order=(n,),
            status=status,
            assessment=assessment,
            new_target_date=DAY + timedelta(days=days + 1)
            if assessment is Assessment.SLIPPED
            else None,
            partner_id=partner,
        )
        for n, (partner, status, assessment, days) in enumerate(rows)
    ]
    state = state_from_history(items, addressees)
    # Each addressee's status is the latest status its own or a general update gave.
    ordered = sorted(items, key=lambda i: (i.on, *i.order))
    for a in state.addressees:
        said = [i.status for i in ordered if i.status and i.partner_id in (None, a.partner_id)]
        assert a.status is (said[-1] if said else Status.NOT_STARTED)
    everyone_delivered = all(a.status in DELIVERED for a in state.addressees)
    rag = recommendation_rag(
        status=state.status, target_date=DAY, revised_target_date=None, today=DAY
    )
    assert (rag.rag is RAG.BLUE) == everyone_delivered
    codes = [str(pid) for pid in state.outstanding]
    may_sign_off = signoff_problem(state.status, None, codes) is None
    assert may_sign_off == all(a.done for a in state.addressees)
    if may_sign_off:
        assert all(
            a.status in DELIVERED or a.assessment is Assessment.ACHIEVED for a in state.addressees
        )
