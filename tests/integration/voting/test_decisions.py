"""Decision rules, motions, the vote in the meeting, electronic votes and closing."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from sqlalchemy import func, select

from govtrack.core.dates import today
from govtrack.db import db, utcnow
from govtrack.meetings.enums import AttendanceStatus, MinutesStatus
from govtrack.meetings.models import Attendance, Resolution
from govtrack.voting import enums, rules
from govtrack.voting.models import CurrentVote, Decision, DecisionRuleVersion, Motion, VoteCast
from tests.fixtures.actions import csrf_token

BLANK = ["", "", ""]


def d(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def rule_form(**overrides):
    data = {
        "label": "Revised constitution",
        "effective_from": d(date(2007, 11, 20)),
        "voting_unit": "member",
        "quorum_kind": "none",
        "quorum_number": "",
        "quorum_fraction": "",
        "quorum_of": "members",
        "quorum_minimum": "0",
        "majority": "simple",
        "threshold": "1/2",
        "comparison": "more_than",
        "base": "for_against",
        "tie_rule": "casting_vote",
        "electronic_mode": "off",
        "response_window_days": "5",
        "note": "",
    }
    data.update(overrides)
    return data


def test_clerk_records_a_rule_version_with_a_quorum(actions, committee):
    body, _ = committee
    actions.sign_in_as("clerk")
    response = actions.submit(
        f"/bodies/{body.id}/rules/new",
        rule_form(quorum_kind="fraction", quorum_fraction="1/3", quorum_every_partner="y"),
    )
    assert response.status_code == 302
    version = db.session.scalar(
        select(DecisionRuleVersion).where(DecisionRuleVersion.body_id == body.id)
    )
    assert version.to_rule().quorum_fraction == Fraction(1, 3)
    page = actions.client.get(f"/bodies/{body.id}/rules")
    assert "Revised constitution" in page.text
    assert "including a representative of every partner" in page.text


def test_counting_remote_votes_for_an_english_joint_committee_is_refused(actions, committee):
    body, _ = committee
    actions.sign_in_as("clerk")
    response = actions.submit(
        f"/bodies/{body.id}/rules/new", rule_form(electronic_mode="absent_voters")
    )
    assert response.status_code == 422
    assert "Hertfordshire CC v SSHCLG" in response.text
    assert "consultation responses only" in response.text
    assert db.session.scalar(select(func.count(DecisionRuleVersion.id))) == 0


def test_an_unreachable_quorum_is_refused(actions, committee):
    body, _ = committee
    actions.sign_in_as("clerk")
    response = actions.submit(
        f"/bodies/{body.id}/rules/new", rule_form(quorum_kind="number", quorum_number="9")
    )
    assert "can never be reached" in response.text
    response = actions.submit(
        f"/bodies/{body.id}/rules/new", rule_form(quorum_kind="fraction", quorum_fraction="4/3")
    )
    assert response.status_code == 422


def test_two_versions_cannot_take_effect_on_the_same_day(actions, committee):
    body, _ = committee
    actions.sign_in_as("clerk")
    assert actions.submit(f"/bodies/{body.id}/rules/new", rule_form()).status_code == 302
    again = actions.submit(f"/bodies/{body.id}/rules/new", rule_form(label="Another"))
    assert "versions are never changed" in again.text


def move(actions, item, text: str) -> Motion:
    """The clerk records a motion on the item."""
    actions.submit(
        f"/items/{item.id}/motions/new",
        {"text": text, "proposer_id": "", "seconder_id": "", "amends_id": ""},
    )
    return db.session.scalar(select(Motion).where(Motion.text == text))


def counts_vote(votes_for: int, against: int, abstain: int, casting: str = "") -> dict:
    """The record-the-vote form for a show of hands."""
    return {
        "method": "counts",
        "meeting_for": str(votes_for),
        "meeting_against": str(against),
        "meeting_abstain": str(abstain),
        "presiding_id": "",
        "casting_vote": casting,
    }


def held_meeting(make_meeting, make_item, body, members, present, apologies=()):
    meeting = make_meeting(
        body=body, held_on=today() - timedelta(days=1), minutes_status=MinutesStatus.DRAFT
    )
    item = make_item(meeting=meeting, title="Alternative CRM proposal")
    for m in members:
        status = (
            AttendanceStatus.PRESENT
            if m.person_id in present
            else AttendanceStatus.APOLOGIES
            if m.person_id in apologies
            else None
        )
        if status:
            db.session.add(Attendance(meeting_id=meeting.id, person_id=m.person_id, status=status))
    db.session.commit()
    return meeting, item


def test_a_recorded_vote_in_the_meeting_carries_and_goes_into_the_minutes(
    actions, committee, make_meeting, make_item
):
    body, members = committee
    ids = [m.person_id for m in members]
    _meeting, item = held_meeting(make_meeting, make_item, body, members, present=ids)
    actions.sign_in_as("clerk")
    response = actions.submit(
        f"/items/{item.id}/motions/new",
        {
            "text": "That the alternative proposal be accepted.",
            "proposer_id": str(ids[0]),
            "seconder_id": str(ids[1]),
            "amends_id": "",
        },
        form_url=f"/items/{item.id}/motions/new",
    )
    assert response.status_code == 302
    motion = db.session.scalar(select(Motion))
    votes = {f"vote-{pid}": "for" for pid in ids}
    response = actions.submit(
        f"/motions/{motion.id}/vote",
        {"method": "recorded", "presiding_id": "", "casting_vote": "", **votes},
    )
    assert response.status_code == 302
    decision = db.session.scalar(select(Decision))
    assert decision.outcome is enums.OutcomeStatus.CARRIED
    assert any("4 for" in line for line in decision.explanation)
    page = actions.client.get(response.headers["Location"])
    assert "Carried" in page.text and "Local Government Act 1972" in page.text
    minuted = db.session.scalar(select(Resolution.text).where(Resolution.item_id == item.id))
    assert minuted.startswith("That the alternative proposal be accepted. (carried: 4 for")


def test_a_tie_is_settled_by_the_chairs_casting_vote(actions, committee, make_meeting, make_item):
    body, members = committee
    ids = [m.person_id for m in members]
    _meeting, item = held_meeting(make_meeting, make_item, body, members, present=ids)
    actions.sign_in_as("clerk")
    motion = move(actions, item, "That the report be approved.")
    response = actions.submit(
        f"/motions/{motion.id}/vote",
        counts_vote(2, 2, 0, casting="for"),
    )
    assert response.status_code == 302
    decision = db.session.scalar(select(Decision))
    assert decision.outcome is enums.OutcomeStatus.CARRIED
    assert any("casting vote" in line for line in decision.explanation)


def test_counts_larger_than_those_present_are_refused(actions, committee, make_meeting, make_item):
    body, members = committee
    _meeting, item = held_meeting(
        make_meeting, make_item, body, members, present=[members[0].person_id, members[1].person_id]
    )
    actions.sign_in_as("clerk")
    motion = move(actions, item, "That X.")
    response = actions.submit(
        f"/motions/{motion.id}/vote",
        counts_vote(3, 0, 0),
    )
    assert response.status_code == 422
    assert "only 2 voters were present" in response.text
    assert db.session.scalar(select(func.count(Decision.id))) == 0


def electronic_board_decision(
    actions,
    board,
    make_meeting,
    make_item,
    make_user,
    window=5,
    close_early=False,
    mode=enums.ElectronicMode.ABSENT_VOTERS,
):
    """Officer 0 presides and votes For in the meeting; officers 1 and 2 are absent and are asked
    to vote electronically."""
    body, members = board
    version = DecisionRuleVersion(
        body_id=body.id,
        created_by_id=None,
        note="",
        **DecisionRuleVersion.columns_from_rule(
            rules.RuleVersion(
                label="Board terms of reference",
                effective_from=date(2006, 1, 1),
                electronic_mode=mode,
                response_window_days=window,
                close_early=close_early,
            )
        ),
    )
    db.session.add(version)
    db.session.commit()
    _meeting, item = held_meeting(
        make_meeting,
        make_item,
        body,
        members,
        present=[members[0].person_id],
        apologies=[members[1].person_id, members[2].person_id],
    )
    absent_users = []
    from govtrack.registry.models import Person

    for m in members:
        user = make_user(role="member")
        person = db.session.get(Person, m.person_id)
        person.user_id = user.id
        absent_users.append(user)
    db.session.commit()
    actions.sign_in_as("clerk")
    motion = move(actions, item, "That the work plan be approved.")
    response = actions.submit(
        f"/motions/{motion.id}/vote",
        {
            "method": "recorded",
            f"vote-{members[0].person_id}": "for",
            "presiding_id": "",
            "casting_vote": "",
            "electronic": "y",
        },
    )
    assert response.status_code == 302, response.text
    decision = db.session.scalar(select(Decision))
    return decision, absent_users[1:], members, absent_users[0]


def vote_as(actions, user, decision_id, choice):
    """Sign in as ``user`` in a browser of their own and vote."""
    from tests.fixtures.actions import Actions
    from tests.fixtures.factories import TEST_PASSWORD

    voter = Actions(actions.client.application.test_client(), actions.make_user)
    voter.sign_in(user.email, TEST_PASSWORD)
    page = voter.client.get(f"/votes/{decision_id}")
    actions.voter_client = voter.client
    return voter.client.post(
        f"/votes/{decision_id}/cast", data={"csrf_token": csrf_token(page.text), "choice": choice}
    )


def test_absent_voters_are_emailed_and_vote_electronically(
    actions, board, make_meeting, make_item, make_user
):
    from govtrack.core.models import OutboxMessage

    decision, absent, members, _present = electronic_board_decision(
        actions, board, make_meeting, make_item, make_user
    )
    assert decision.status.value == "open"
    mails = db.session.scalars(select(OutboxMessage.recipient)).all()
    assert sorted(mails) == sorted(u.email for u in absent)
    page = actions.client.get(f"/votes/{decision.id}")
    assert "Awaiting votes" in page.text
    response = vote_as(actions, absent[0], decision.id, "for")
    assert response.status_code == 302
    my = actions.voter_client.get("/my-decisions")
    receipt = db.session.scalar(
        select(VoteCast.receipt).where(VoteCast.person_id == members[1].person_id)
    )
    assert receipt in my.text


def test_a_changed_vote_is_kept_and_a_repeated_one_refused(
    actions, board, make_meeting, make_item, make_user
):
    decision, absent, members, _present = electronic_board_decision(
        actions, board, make_meeting, make_item, make_user
    )
    assert vote_as(actions, absent[0], decision.id, "for").status_code == 302
    repeated = vote_as(actions, absent[0], decision.id, "for")
    assert repeated.status_code == 409
    assert "already voted For" in repeated.text
    assert vote_as(actions, absent[0], decision.id, "against").status_code == 302
    person = members[1].person_id
    history = db.session.scalars(
        select(VoteCast.choice).where(VoteCast.person_id == person).order_by(VoteCast.id)
    ).all()
    assert [c.value for c in history] == ["for", "against"]
    assert (
        db.session.scalar(select(func.count(CurrentVote.id)).where(CurrentVote.person_id == person))
        == 1
    )


def test_someone_not_entitled_cannot_vote(actions, board, make_meeting, make_item, make_user):
    decision, _absent, _members, _present = electronic_board_decision(
        actions, board, make_meeting, make_item, make_user
    )
    outsider = make_user(role="member")
    response = vote_as(actions, outsider, decision.id, "for")
    assert response.status_code == 403
    assert "not entitled to vote" in response.text


def test_the_decision_closes_at_its_deadline_and_then_refuses_votes(
    actions, board, make_meeting, make_item, make_user, app
):
    decision, absent, _members, _present = electronic_board_decision(
        actions, board, make_meeting, make_item, make_user
    )
    result = app.test_cli_runner().invoke(args=["tick"])
    assert "Closed 0 decision" in result.output
    stored = db.session.get(Decision, decision.id)
    stored.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["tick"])
    assert "Closed 1 decision" in result.output
    db.session.expire_all()
    closed = db.session.get(Decision, decision.id)
    assert closed.status.value == "closed"
    assert closed.outcome is enums.OutcomeStatus.CARRIED  # 1 for, 0 against
    late = vote_as(actions, absent[0], decision.id, "against")
    assert late.status_code == 409
    assert "has closed" in late.text


def test_a_vote_on_a_decision_not_put_to_electronic_voting_is_refused(
    actions, committee, make_meeting, make_item, make_user
):
    body, members = committee
    ids = [m.person_id for m in members]
    _meeting, item = held_meeting(
        make_meeting, make_item, body, members, present=ids[:3], apologies=ids[3:]
    )
    actions.sign_in_as("clerk")
    motion = move(actions, item, "That X.")
    actions.submit(
        f"/motions/{motion.id}/vote",
        counts_vote(3, 0, 0),
    )
    decision = db.session.scalar(select(Decision))
    user = make_user(role="member")
    from govtrack.registry.models import Person

    db.session.get(Person, ids[3]).user_id = user.id
    db.session.commit()
    response = vote_as(actions, user, decision.id, "for")
    assert response.status_code in (400, 409)


def test_old_decisions_keep_their_outcome_when_the_rules_change(
    actions, committee, make_meeting, make_item
):
    body, members = committee
    ids = [m.person_id for m in members]
    _meeting, item = held_meeting(make_meeting, make_item, body, members, present=ids)
    actions.sign_in_as("clerk")
    motion = move(actions, item, "That X.")
    actions.submit(
        f"/motions/{motion.id}/vote",
        counts_vote(2, 1, 1),
    )
    before = db.session.scalar(select(Decision))
    assert before.outcome is enums.OutcomeStatus.CARRIED
    actions.submit(
        f"/bodies/{body.id}/rules/new",
        rule_form(effective_from=d(today()), majority="unanimity_entitled"),
    )
    db.session.expire_all()
    after = db.session.get(Decision, before.id)
    assert after.outcome is enums.OutcomeStatus.CARRIED
    assert after.explanation == before.explanation


def test_an_amendment_is_voted_on_before_the_motion(actions, committee, make_meeting, make_item):
    body, members = committee
    ids = [m.person_id for m in members]
    _meeting, item = held_meeting(make_meeting, make_item, body, members, present=ids)
    actions.sign_in_as("clerk")
    motion = move(actions, item, "That the plan be approved.")
    actions.submit(
        f"/items/{item.id}/motions/new",
        {
            "text": "Add 'subject to a review in six months'.",
            "proposer_id": "",
            "seconder_id": "",
            "amends_id": str(motion.id),
        },
    )
    amendment = db.session.scalar(select(Motion).where(Motion.amends_id == motion.id))
    counts = counts_vote(3, 1, 0)
    refused = actions.submit(f"/motions/{motion.id}/vote", counts)
    assert refused.status_code == 409
    assert "Amendments are voted on before the motion" in refused.text
    assert actions.submit(f"/motions/{amendment.id}/vote", counts).status_code == 302
    assert actions.submit(f"/motions/{motion.id}/vote", counts).status_code == 302


def test_a_closed_decision_keeps_the_votes_it_counted(actions, committee, make_meeting, make_item):
    body, members = committee
    ids = [m.person_id for m in members]
    _meeting, item = held_meeting(make_meeting, make_item, body, members, present=ids)
    actions.sign_in_as("clerk")
    motion = move(actions, item, "That X.")
    actions.submit(
        f"/motions/{motion.id}/vote",
        counts_vote(3, 1, 0),
    )
    decision = db.session.scalar(select(Decision))
    assert (decision.counted_for, decision.counted_against, decision.counted_abstain) == (3, 1, 0)
    page = actions.client.get(f"/votes/{decision.id}")
    assert "For: 3, Against: 1, Abstentions: 0" in page.text


def test_consultation_responses_are_gathered_until_the_deadline(
    actions, committee, make_meeting, make_item, make_user
):
    """An English joint committee may only consult absent members: the first response does not
    close the decision, and responses are shown but never counted."""
    from govtrack.registry.models import Person

    body, members = committee
    ids = [m.person_id for m in members]
    actions.sign_in_as("clerk")
    actions.submit(
        f"/bodies/{body.id}/rules/new",
        rule_form(effective_from=d(date(2006, 1, 1)), electronic_mode="consultation"),
    )
    _meeting, item = held_meeting(
        make_meeting, make_item, body, members, present=ids[:2], apologies=ids[2:]
    )
    absent = []
    for pid in ids[2:]:
        user = make_user(role="member")
        db.session.get(Person, pid).user_id = user.id
        absent.append(user)
    db.session.commit()
    motion = move(actions, item, "That Y.")
    response = actions.submit(
        f"/motions/{motion.id}/vote",
        {
            "method": "counts",
            "meeting_for": "2",
            "meeting_against": "0",
            "meeting_abstain": "0",
            "presiding_id": "",
            "casting_vote": "",
            "electronic": "y",
        },
    )
    assert response.status_code == 302
    decision = db.session.scalar(select(Decision))
    assert vote_as(actions, absent[0], decision.id, "against").status_code == 302
    assert db.session.get(Decision, decision.id).status.value == "open"
    assert vote_as(actions, absent[1], decision.id, "against").status_code == 302
    page = actions.client.get(f"/votes/{decision.id}")
    assert "Consultation responses (not counted towards the outcome)" in page.text


def test_a_vote_given_in_the_meeting_stands(actions, board, make_meeting, make_item, make_user):
    """Where everyone may vote electronically, a member who voted in the meeting cannot
    replace that vote electronically."""
    decision, _absent, _members, present = electronic_board_decision(
        actions, board, make_meeting, make_item, make_user, mode=enums.ElectronicMode.EVERYONE
    )
    response = vote_as(actions, present, decision.id, "against")
    assert response.status_code == 409
    assert "in the meeting: that vote stands" in response.text
