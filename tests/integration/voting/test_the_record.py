"""The record a monitoring officer would sign (issue 11): a consultation's outcome is final in
the meeting and closing it changes no minute; consultation words say response, never vote;
only the partner's voter may vote; motions are moved by those present and minuted fully; the
tally can be hidden until the close, when everyone who answered is told the outcome."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from govtrack.core.dates import today
from govtrack.core.models import OutboxMessage
from govtrack.db import db, utcnow
from govtrack.meetings.enums import MinutesStatus
from govtrack.meetings.models import Resolution
from govtrack.registry.enums import BodyKind, LegalForm, MembershipRole
from govtrack.registry.models import Person
from govtrack.voting import enums, rules
from govtrack.voting.models import Decision, DecisionRuleVersion, Motion, VoteCast
from tests.fixtures.actions import csrf_token
from tests.integration.voting.test_decisions import (
    d,
    held_meeting,
    move,
    rule_form,
    vote_as,
)


def text_of(html: str) -> str:
    """The words a reader sees: tags dropped, spaces collapsed."""
    inline = re.sub(r"</?(strong|a|span|em|b)\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inline)).strip()


def minutes_of(client, meeting_id: int) -> str:
    """The printed minutes: the article, without the page around it."""
    html = client.get(f"/meetings/{meeting_id}/minutes").text
    return text_of(html[html.index('<article class="app-minutes">') : html.index("</article>")])


def link_users(make_user, person_ids) -> list:
    users = []
    for pid in person_ids:
        user = make_user(role="member")
        db.session.get(Person, pid).user_id = user.id
        users.append(user)
    db.session.commit()
    return users


def mails_to(user) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == user.email)
            .order_by(OutboxMessage.id)
        )
    )


def close_now(app, decision_id: int):
    """Move the deadline into the past and let the clock close the decision."""
    db.session.get(Decision, decision_id).closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["tick"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return db.session.get(Decision, decision_id)


@pytest.fixture
def consultation(actions, committee, make_meeting, make_item, make_user):
    """An English joint committee (remote votes cannot count): two present vote 2-0 in the
    meeting, two absent are consulted electronically."""
    body, members = committee
    ids = [m.person_id for m in members]
    actions.sign_in_as("clerk")
    actions.submit(
        f"/bodies/{body.id}/rules/new",
        rule_form(effective_from=d(date(2006, 1, 1)), electronic_mode="consultation"),
    )
    meeting, item = held_meeting(
        make_meeting, make_item, body, members, present=ids[:2], apologies=ids[2:]
    )
    absent = link_users(make_user, ids[2:])
    motion = move(actions, item, "That the alternative proposal be accepted.")
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
    assert response.status_code == 302, response.text
    return meeting, item, db.session.scalar(select(Decision)), absent


def test_a_consultation_is_decided_in_the_meeting_and_its_close_leaves_published_minutes_alone(
    app, actions, consultation
):
    meeting, item, decision, absent = consultation
    # Final at once: carried in the meeting, drafted into the minute straight away.
    assert decision.outcome is enums.OutcomeStatus.CARRIED
    resolutions = select(Resolution.text).where(Resolution.item_id == item.id)
    assert db.session.scalars(resolutions).all() == [
        "That the alternative proposal be accepted. (carried: 2 for, 0 against, 0 abstentions)"
    ]
    page = text_of(actions.client.get(f"/votes/{decision.id}").text)
    assert "Carried" in page and "This outcome is final" in page
    assert "do not count towards it" in page

    # The open data says so too: the motion passed, though responses are still gathered.
    events = app.test_client().get("/api/popolo/vote_events?per_page=500").get_json()
    (event,) = [e for e in events["results"] if e["id"] == f"decision-{decision.id}"]
    assert event["result"] == "pass"

    # The highlight report's decisions needed says it is decided, gathering responses.
    report = text_of(actions.client.get("/dashboard/highlight?from=01/01/2000&to=31/12/2099").text)
    assert "Carried at the meeting (final); consultation responses are gathered until" in report
    assert "Votes are gathered" not in report

    assert vote_as(actions, absent[0], decision.id, "against").status_code == 302
    meeting.minutes_status = MinutesStatus.PUBLISHED
    db.session.commit()
    before = minutes_of(actions.client, meeting.id)
    assert "(carried: 2 for, 0 against, 0 abstentions)" in before
    assert "Mover not recorded" in before and "Carried: 2 for, 0 against" in before

    closed = close_now(app, decision.id)
    assert closed.status.value == "closed"
    assert closed.outcome is enums.OutcomeStatus.CARRIED
    assert (closed.counted_for, closed.counted_against) == (2, 0)
    assert len(db.session.scalars(resolutions).all()) == 1
    assert minutes_of(actions.client, meeting.id) == before


def test_a_counted_vote_closing_after_publication_adds_nothing_to_the_minutes(
    app, actions, board, make_meeting, make_item, make_user
):
    from tests.integration.voting.test_decisions import electronic_board_decision

    decision, absent, _members, _present = electronic_board_decision(
        actions, board, make_meeting, make_item, make_user
    )
    from govtrack.meetings.models import AgendaItem, Meeting

    item_id = db.session.get(Motion, decision.motion_id).item_id
    meeting = db.session.get(Meeting, db.session.get(AgendaItem, item_id).meeting_id)
    meeting.minutes_status = MinutesStatus.PUBLISHED
    db.session.commit()
    assert vote_as(actions, absent[0], decision.id, "for").status_code == 302
    closed = close_now(app, decision.id)
    assert closed.outcome is enums.OutcomeStatus.CARRIED
    count = select(func.count(Resolution.id)).where(Resolution.item_id == item_id)
    assert db.session.scalar(count) == 0


def test_consultation_words_say_response_and_that_it_does_not_count(app, actions, consultation):
    _meeting, _item, decision, absent = consultation
    (invitation,) = mails_to(absent[0])
    assert "response" in invitation.subject.lower() and "vote" not in invitation.subject.lower()
    assert "does not count towards the outcome" in invitation.body
    assert "vote" not in invitation.body.lower().replace(f"/votes/{decision.id}", "")

    from tests.fixtures.actions import Actions
    from tests.fixtures.factories import TEST_PASSWORD

    voter = Actions(app.test_client(), actions.make_user)
    voter.sign_in(absent[0].email, TEST_PASSWORD)
    page = voter.client.get(f"/votes/{decision.id}")
    words = text_of(page.text)
    assert "Your response" in words and "Send my response" in words
    assert "Your vote" not in words and "Cast my vote" not in words
    assert "does not count towards the outcome" in words
    my = text_of(voter.client.get("/my-decisions").text)
    assert "consultation: your response does not count towards the outcome" in my
    assert "Carried" not in my or "carried at the meeting" in my

    sent = voter.client.post(
        f"/votes/{decision.id}/cast",
        data={"csrf_token": csrf_token(page.text), "choice": "for"},
        follow_redirects=True,
    )
    banner = text_of(sent.text)
    receipt = db.session.scalar(select(VoteCast.receipt).where(VoteCast.choice == "for"))
    assert f"Your response For is recorded. Your receipt is {receipt}" in banner
    assert "it does not count towards the outcome" in banner
    assert "Your vote" not in banner
    my = text_of(voter.client.get("/my-decisions").text)
    assert "Response: For (consultation, not counted)" in my and receipt in my
    # The page and "My decisions" give the same outcome.
    assert "Carried (final)" in my and "Carried" in banner


def test_a_consultation_reminder_asks_for_a_response(app, actions, consultation):
    from govtrack.voting import votes

    _meeting, _item, decision, absent = consultation
    decision.closes_at = utcnow() + timedelta(hours=6)
    db.session.commit()
    assert votes.reminders_due(utcnow()) == 2
    reminder = mails_to(absent[1])[-1]
    assert reminder.subject.startswith("Reminder: the consultation closes soon")
    assert "does not count towards it" in reminder.body
    assert "vote" not in reminder.body.lower().replace(f"/votes/{decision.id}", "")


def test_counted_votes_say_vote_and_the_page_and_my_decisions_agree(
    actions, board, make_meeting, make_item, make_user
):
    from tests.integration.voting.test_decisions import electronic_board_decision

    decision, absent, _members, _present = electronic_board_decision(
        actions, board, make_meeting, make_item, make_user
    )
    (invitation,) = mails_to(absent[0])
    assert invitation.subject.startswith("Your vote is asked")
    assert "Your vote counts towards the outcome" in invitation.body
    response = vote_as(actions, absent[0], decision.id, "for")
    page = text_of(actions.voter_client.get(response.headers["Location"]).text)
    assert "Your vote For is recorded and counts towards the outcome" in page
    assert "This outcome is not final: it awaits electronic votes" in page
    assert "Awaiting votes" in page
    my = text_of(actions.voter_client.get("/my-decisions").text)
    assert "Vote: For" in my and "Awaiting votes" in my and "Open" not in my


@pytest.fixture
def partner_board(make_body, make_membership, make_partner, make_person, make_user):
    """An officer board with one vote per partner: Council A's chair, and two officers of
    Council B (Bea, its designated representative, listed first; Bob, a second member)."""
    body = make_body(
        name="Partnership Board",
        kind=BodyKind.PARTNERSHIP_BOARD,
        legal_form=LegalForm.OFFICER_BOARD,
    )
    a, b = make_partner(name="Council A"), make_partner(name="Council B")
    chair = make_person(partner=a, name="Ann Chair")
    bea = make_person(partner=b, name="Bea Representative")
    bob = make_person(partner=b, name="Bob Second")
    for person, role in ((chair, MembershipRole.CHAIR), (bea, MembershipRole.MEMBER)):
        make_membership(body=body, person=person, role=role, start_on=date(2006, 1, 1))
    make_membership(body=body, person=bob, role=MembershipRole.MEMBER, start_on=date(2006, 1, 1))
    version = DecisionRuleVersion(
        body_id=body.id,
        note="",
        **DecisionRuleVersion.columns_from_rule(
            rules.RuleVersion(
                label="Board terms",
                effective_from=date(2006, 1, 1),
                voting_unit=enums.VotingUnit.PARTNER,
                electronic_mode=enums.ElectronicMode.ABSENT_VOTERS,
            )
        ),
    )
    db.session.add(version)
    db.session.commit()
    return body, chair, bea, bob


def test_with_one_vote_per_partner_a_second_member_is_refused_before_casting(
    actions, partner_board, make_meeting, make_item, make_user
):
    from govtrack.meetings.enums import AttendanceStatus
    from govtrack.meetings.models import Attendance

    body, chair, bea, bob = partner_board
    meeting = make_meeting(
        body=body, held_on=today() - timedelta(days=1), minutes_status=MinutesStatus.DRAFT
    )
    item = make_item(meeting=meeting, title="Work plan")
    db.session.add(
        Attendance(meeting_id=meeting.id, person_id=chair.id, status=AttendanceStatus.PRESENT)
    )
    db.session.commit()
    users = link_users(make_user, [bea.id, bob.id])
    actions.sign_in_as("clerk")
    motion = move(actions, item, "That the work plan be approved.")
    response = actions.submit(
        f"/motions/{motion.id}/vote",
        {"method": "recorded", f"vote-{chair.id}": "for", "presiding_id": "", "electronic": "y"},
    )
    assert response.status_code == 302, response.text
    decision = db.session.scalar(select(Decision))
    # Only the representative is asked.
    assert mails_to(users[0]) and not mails_to(users[1])

    from tests.fixtures.actions import Actions
    from tests.fixtures.factories import TEST_PASSWORD

    second = Actions(actions.client.application.test_client(), actions.make_user)
    second.sign_in(users[1].email, TEST_PASSWORD)
    page = text_of(second.client.get(f"/votes/{decision.id}").text)
    assert "You cannot vote on this decision" in page
    assert "Bea Representative is its designated representative" in page
    assert "Cast my vote" not in page
    my = text_of(second.client.get("/my-decisions").text)
    assert "Nothing awaits your answer" in my
    refused = vote_as(actions, users[1], decision.id, "against")
    assert refused.status_code == 403
    assert "Each partner has one vote" in refused.text
    assert "recorded" not in text_of(refused.text).replace("was not recorded", "")
    assert (
        db.session.scalar(select(func.count(VoteCast.id)).where(VoteCast.person_id == bob.id)) == 0
    )

    assert vote_as(actions, users[0], decision.id, "against").status_code == 302


def test_an_empty_vote_gets_the_error_summary_and_the_radios_show_the_current_choice(
    actions, board, make_meeting, make_item, make_user
):
    from tests.integration.voting.test_decisions import electronic_board_decision

    decision, absent, _members, _present = electronic_board_decision(
        actions, board, make_meeting, make_item, make_user
    )
    empty = vote_as(actions, absent[0], decision.id, "")
    assert empty.status_code == 422
    assert "govuk-error-summary" in empty.text and "There is a problem" in empty.text
    assert 'class="govuk-error-message"' in empty.text
    assert "Choose For, Against or Abstain" in empty.text
    assert (
        db.session.scalar(select(func.count(VoteCast.id)).where(VoteCast.channel == "electronic"))
        == 0
    )

    assert vote_as(actions, absent[0], decision.id, "against").status_code == 302
    page = actions.voter_client.get(f"/votes/{decision.id}").text
    checked = re.findall(r'<input[^>]*name="choice"[^>]*>', page)
    assert [c for c in checked if "checked" in c] == [
        next(c for c in checked if 'value="against"' in c)
    ]


def present_committee(actions, committee, make_meeting, make_item, present_count=4):
    body, members = committee
    ids = [m.person_id for m in members]
    meeting, item = held_meeting(
        make_meeting,
        make_item,
        body,
        members,
        present=ids[:present_count],
        apologies=ids[present_count:],
    )
    actions.sign_in_as("clerk")
    return meeting, item, ids


def test_only_members_present_and_entitled_may_move_or_second(
    actions, committee, make_meeting, make_item, make_person
):
    _meeting, item, ids = present_committee(actions, committee, make_meeting, make_item, 2)
    outsider = make_person(name="Someone Else")
    form = actions.client.get(f"/items/{item.id}/motions/new").text
    options = re.findall(r'<option value="(\d+)"', form)
    assert sorted(map(int, set(options))) == sorted(ids[:2])
    for proposer in (ids[3], outsider.id):  # absent member; not on the body
        refused = actions.client.post(
            f"/items/{item.id}/motions/new",
            data={
                "csrf_token": csrf_token(form),
                "text": "That X.",
                "proposer_id": str(proposer),
                "seconder_id": str(ids[1]),
                "amends_id": "",
            },
        )
        assert refused.status_code == 422
        assert "govuk-error-summary" in refused.text
    assert db.session.scalar(select(func.count(Motion.id))) == 0

    from govtrack.core.records import Invalid
    from govtrack.meetings.queries import load_item
    from govtrack.voting import commands

    with pytest.raises(Invalid) as problem:
        commands.add_motion(
            actions.user,
            load_item(item.id),
            {"text": "That Y.", "proposer_id": ids[3], "seconder_id": None, "amends_id": None},
            today(),
        )
    assert "present at the meeting and entitled to vote" in problem.value.problems["proposer_id"]


def test_a_motion_is_corrected_until_its_vote_starts_and_its_history_kept(
    actions, committee, make_meeting, make_item
):
    from govtrack.core.models import AuditEntry

    _meeting, item, ids = present_committee(actions, committee, make_meeting, make_item)
    motion = move(actions, item, "That the plan be aproved.")
    url = f"/motions/{motion.id}/edit"
    response = actions.submit(
        url,
        {
            "text": "That the plan be approved.",
            "proposer_id": str(ids[0]),
            "seconder_id": str(ids[1]),
            "version": str(motion.version),
        },
    )
    assert response.status_code == 302, response.text
    db.session.expire_all()
    corrected = db.session.get(Motion, motion.id)
    assert corrected.text == "That the plan be approved."
    assert corrected.proposer_id == ids[0]
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.summary.like("Corrected the motion%"))
    )
    assert entry.changes["text"] == ["That the plan be aproved.", "That the plan be approved."]

    actions.submit(
        f"/motions/{motion.id}/vote",
        {"method": "counts", "meeting_for": "3", "meeting_against": "1", "meeting_abstain": "0"},
    )
    late = actions.client.get(url)
    assert late.status_code == 409
    assert "vote on this motion has started" in late.text


def test_the_decision_page_and_printed_minutes_show_mover_seconder_named_votes_and_casting_vote(
    actions, committee, make_meeting, make_item
):
    meeting, item, ids = present_committee(actions, committee, make_meeting, make_item)
    actions.submit(
        f"/items/{item.id}/motions/new",
        {
            "text": "That the report be approved.",
            "proposer_id": str(ids[1]),
            "seconder_id": str(ids[2]),
            "amends_id": "",
        },
    )
    motion = db.session.scalar(select(Motion))
    votes = {
        f"vote-{ids[0]}": "for",
        f"vote-{ids[1]}": "for",
        f"vote-{ids[2]}": "against",
        f"vote-{ids[3]}": "against",
    }
    response = actions.submit(
        f"/motions/{motion.id}/vote",
        {"method": "recorded", "presiding_id": "", "casting_vote": "for", **votes},
    )
    assert response.status_code == 302, response.text
    decision = db.session.scalar(select(Decision))
    assert decision.outcome is enums.OutcomeStatus.CARRIED
    page = text_of(actions.client.get(f"/votes/{decision.id}").text)
    assert "Proposed by Councillor 1, seconded by Councillor 2." in page
    assert "Casting vote Councillor 0: For" in page
    assert "For: 2, Against: 2, Abstentions: 0" in page
    minutes = text_of(actions.client.get(f"/meetings/{meeting.id}/minutes").text)
    assert "Moved by Councillor 1, seconded by Councillor 2." in minutes
    assert "Carried: 2 for, 2 against, 0 abstaining" in minutes
    assert "Councillor 0, presiding, gave a casting vote For" in minutes
    assert "For: Councillor 0, Councillor 1" in minutes
    assert "Against: Councillor 2, Councillor 3" in minutes


def test_items_without_a_number_show_no_stray_full_stop(
    actions, committee, make_meeting, make_item
):
    body, members = committee
    ids = [m.person_id for m in members]
    meeting, _ = held_meeting(make_meeting, make_item, body, members, present=ids)
    item = make_item(meeting=meeting, number="", title="Any other business")
    actions.sign_in_as("clerk")
    motion = move(actions, item, "That the thanks be recorded.")
    actions.submit(
        f"/motions/{motion.id}/vote",
        {"method": "counts", "meeting_for": "4", "meeting_against": "0", "meeting_abstain": "0"},
    )
    decision = db.session.scalar(select(Decision))
    for url in (
        f"/votes/{decision.id}",
        f"/meetings/{meeting.id}",
        f"/meetings/{meeting.id}/minutes",
        f"/items/{item.id}/motions/new",
    ):
        words = text_of(actions.client.get(url).text)
        assert "Any other business" in words, url
        assert ". Any other business" not in words and "item :" not in words, url
        assert "item Any" not in words, url


@pytest.fixture
def hidden_board(actions, board, make_meeting, make_item, make_user):
    """The board's rules keep the tally hidden until the decision closes."""
    body, members = board
    db.session.add(
        DecisionRuleVersion(
            body_id=body.id,
            note="",
            **DecisionRuleVersion.columns_from_rule(
                rules.RuleVersion(
                    label="Board terms: secret until the close",
                    effective_from=date(2006, 1, 1),
                    electronic_mode=enums.ElectronicMode.ABSENT_VOTERS,
                    hide_tally_until_closed=True,
                )
            ),
        )
    )
    db.session.commit()
    ids = [m.person_id for m in members]
    _meeting, item = held_meeting(
        make_meeting, make_item, body, members, present=ids[:1], apologies=ids[1:]
    )
    users = link_users(make_user, ids)
    actions.sign_in_as("clerk")
    motion = move(actions, item, "That the work plan be approved.")
    actions.submit(
        f"/motions/{motion.id}/vote",
        {"method": "recorded", f"vote-{ids[0]}": "for", "presiding_id": "", "electronic": "y"},
    )
    return db.session.scalar(select(Decision)), users


def test_a_hidden_tally_shows_no_count_or_electronic_vote_until_the_close(
    app, actions, client, hidden_board
):
    decision, users = hidden_board
    assert vote_as(actions, users[1], decision.id, "against").status_code == 302
    for viewer in (client, actions.voter_client, actions.client):
        words = text_of(viewer.get(f"/votes/{decision.id}").text)
        assert "hidden until the decision closes" in words
        assert "Officer 1" not in words  # their electronic vote
        assert "1 for, 1 against" not in words and "It needs" not in words
    assert "Officer 1" not in app.test_client().get("/api/popolo/votes?per_page=500").text
    closed = close_now(app, decision.id)
    words = text_of(client.get(f"/votes/{decision.id}").text)
    assert "Officer 1" in words and "For: 1, Against: 1" in words
    assert closed.outcome is enums.OutcomeStatus.LOST


def test_when_a_decision_closes_everyone_who_voted_or_responded_is_told_the_outcome(
    app, actions, hidden_board
):
    decision, users = hidden_board
    assert vote_as(actions, users[1], decision.id, "for").status_code == 302
    close_now(app, decision.id)
    for user in users[:2]:  # voted in the meeting; voted electronically
        told = [m for m in mails_to(user) if m.subject.startswith("Decided: Carried")]
        assert len(told) == 1, user.email
        assert f"/votes/{decision.id}" in told[0].body and "Outcome: Carried" in told[0].body
    assert not [m for m in mails_to(users[2]) if m.subject.startswith("Decided")]


def test_the_rule_form_starts_with_the_1972_act_and_ignores_fields_that_do_not_apply(
    actions, committee
):
    body, _ = committee
    actions.sign_in_as("clerk")
    form = actions.client.get(f"/bodies/{body.id}/rules/new").text
    for name, value in (
        ("voting_unit", "member"),
        ("quorum_kind", "none"),
        ("quorum_of", "members"),
        ("comparison", "more_than"),
        ("tie_rule", "casting_vote"),
        ("electronic_mode", "off"),
    ):
        radio = re.search(rf'<input[^>]*name="{name}"[^>]*value="{value}"[^>]*>', form)
        assert radio and "checked" in radio.group(0), name
    # Only what applies: no quorum, a preset majority; the rest left out or nonsense.
    response = actions.client.post(
        f"/bodies/{body.id}/rules/new",
        data={
            "csrf_token": csrf_token(form),
            "label": "Constitution 2008",
            "effective_from": d(date(2008, 1, 1)),
            "quorum_kind": "none",
            "quorum_number": "lots",
            "quorum_fraction": "half-ish",
            "majority": "simple",
            "threshold": "9/7",
            "base": "nobody",
            "response_window_days": "",
        },
    )
    assert response.status_code == 302, text_of(response.text)
    version = db.session.scalar(select(DecisionRuleVersion))
    rule = version.to_rule()
    assert rule.quorum_number is None and rule.quorum_fraction is None
    assert rules.preset_of(rule).key == "simple"
    assert rule.tie_rule is enums.TieRule.CASTING_VOTE
