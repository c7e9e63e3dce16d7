"""The collections of the Popolo export: for each, one page of its records (a fixed number of
queries however many there are), limited to what the caller may see on the site, and the
serializer that turns a record into its Popolo object.

A new kind of record is one more ``Collection`` in ``COLLECTIONS``: its route, its entry in
the index and its schema check follow from it.

Motions, vote events and votes follow the site's rules for the items they are on: nothing from
an agenda that is not published, and nothing on an exempt item unless the caller may see it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, func, literal_column, or_, select, union_all
from sqlalchemy.orm import contains_eager, joinedload

from govtrack.core.pagination import Page, paginate
from govtrack.db import db
from govtrack.meetings.enums import AgendaStatus
from govtrack.meetings.models import AgendaItem, Meeting
from govtrack.meetings.queries import exempt_access, visible_items
from govtrack.popolo import serializers
from govtrack.registry.enums import Jurisdiction, LegalForm
from govtrack.registry.models import Body, Membership, Partner, Person
from govtrack.registry.permissions import can_view_people
from govtrack.registry.services import current_on
from govtrack.voting import enums, rules
from govtrack.voting import queries as voting
from govtrack.voting.enums import DecisionStatus
from govtrack.voting.models import CurrentVote, Decision, DecisionRuleVersion, Motion, VoteCast

# What the public may see of items: no exempt item of any body.
PUBLIC: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Collection:
    name: str  # the URL segment and the endpoint: /api/popolo/<name>
    schema: str  # the Popolo schema its objects follow, e.g. "organization"
    description: str  # what is in it, as the index says
    page: Callable[[Any, date, int, int], Page[Any]]  # (user, today, page, per_page) -> records
    serialize: Callable[[Any, date], dict[str, Any]]  # (record, today) -> Popolo object

    @property
    def schema_url(self) -> str:
        return f"{serializers.SCHEMA_BASE}{self.schema}.json#"


def organizations_page(_user: Any, _today: date, page: int, per_page: int) -> Page[Any]:
    """Partners (by id), then governance bodies (by id), paged as one list."""
    kinds = union_all(
        select(literal_column("0").label("kind"), Partner.id.label("id")),
        select(literal_column("1").label("kind"), Body.id.label("id")),
    ).subquery()
    stmt = select(kinds.c.kind, kinds.c.id).order_by(kinds.c.kind, kinds.c.id)
    keys = paginate(stmt, page, per_page, scalars=False)
    # Both are loaded even when the page holds only one kind, so every page costs the same.
    partner_ids = [record_id for kind, record_id in keys.items if kind == 0]
    body_ids = [record_id for kind, record_id in keys.items if kind == 1]
    partners = {
        p.id: p for p in db.session.scalars(select(Partner).where(Partner.id.in_(partner_ids)))
    }
    bodies = {b.id: b for b in db.session.scalars(select(Body).where(Body.id.in_(body_ids)))}
    items = [
        partners[record_id] if kind == 0 else bodies[record_id] for kind, record_id in keys.items
    ]
    return Page(items=items, page=keys.page, per_page=keys.per_page, total=keys.total)


def persons_page(user: Any, today: date, page: int, per_page: int) -> Page[Person]:
    """Everyone for signed-in users; for the public, the people with a current membership
    (whom the bodies' pages name), and those who voted in or proposed a motion the public
    sees (the meeting's page names them), so that every vote's voter_id and every motion's
    creator_id resolve."""
    stmt = select(Person).order_by(Person.id)
    if not can_view_people(user):
        seated = select(Membership.id).where(Membership.person_id == Person.id, current_on(today))
        voted = counted_votes(PUBLIC, VoteCast.id).where(VoteCast.person_id == Person.id)
        proposed = _on_visible_items(
            select(Motion.id).where(Motion.proposer_id == Person.id), PUBLIC
        )
        stmt = stmt.where(or_(seated.exists(), voted.exists(), proposed.exists()))
    return paginate(stmt, page, per_page)


def memberships_page(user: Any, today: date, page: int, per_page: int) -> Page[Membership]:
    """Every membership for signed-in users; current ones only for the public, as the
    registry's pages show them."""
    stmt = select(Membership).order_by(Membership.id)
    if not can_view_people(user):
        stmt = stmt.where(current_on(today))
    return paginate(stmt, page, per_page)


def events_page(_user: Any, _today: date, page: int, per_page: int) -> Page[Meeting]:
    """Meetings with a published agenda, for everyone (drafts are never open data)."""
    stmt = (
        select(Meeting)
        .where(Meeting.agenda_status == AgendaStatus.PUBLISHED)
        .options(joinedload(Meeting.body))
        .order_by(Meeting.held_on, Meeting.id)
    )
    return paginate(stmt, page, per_page)


def _on_visible_items(stmt: Select, access: frozenset[int] | None) -> Select:
    """``stmt`` (which selects from motions) limited to motions on items of published agendas
    that the caller may see: ``access`` as ``meetings.queries.exempt_access`` gives it."""
    stmt = (
        stmt.join(AgendaItem, Motion.item_id == AgendaItem.id)
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .where(Meeting.agenda_status == AgendaStatus.PUBLISHED)
    )
    return stmt.where(visible_items(access))


def _remote_votes_count() -> Any:
    """SQL: the meeting's body is one whose remote votes the law lets count."""
    allowed = [
        and_(Body.jurisdiction == jurisdiction, Body.legal_form == form)
        for jurisdiction in Jurisdiction
        for form in LegalForm
        if rules.remote_votes_may_count(jurisdiction, form)
    ]
    return Meeting.body_id.in_(select(Body.id).where(or_(*allowed)))


def counted_votes(access: frozenset[int] | None, *columns: Any) -> Select:
    """``columns`` of the current votes the caller may see that count: every vote in the
    meeting, and electronic votes where the decision's rule version counts them and the law
    allows it. Electronic consultation responses are not votes and are left out, and so are
    electronic votes on an open decision whose rules keep them hidden until it closes."""
    stmt = (
        select(*columns)
        .select_from(VoteCast)
        .join(CurrentVote, CurrentVote.vote_cast_id == VoteCast.id)
        .join(Decision, VoteCast.decision_id == Decision.id)
        .outerjoin(DecisionRuleVersion, Decision.rule_version_id == DecisionRuleVersion.id)
        .join(Motion, Decision.motion_id == Motion.id)
    )
    return _on_visible_items(stmt, access).where(
        or_(
            VoteCast.channel == enums.Channel.IN_MEETING,
            and_(
                DecisionRuleVersion.electronic_mode.in_(rules.COUNTING_MODES),
                _remote_votes_count(),
                # Kept from view until the decision closes where its rules say so.
                or_(
                    Decision.status == DecisionStatus.CLOSED,
                    DecisionRuleVersion.hide_tally_until_closed.is_(False),
                ),
            ),
        )
    )


@dataclass(frozen=True)
class MotionRecord:
    motion: Motion
    meeting: Meeting
    decision: Decision | None
    requirement: str | None = None


def _requirements(records: list[tuple[Motion, Meeting, Decision | None]]) -> dict[int, str]:
    """What each motion needed to be carried, from the rule version its decision was judged by
    or, before a vote, the one in force on the meeting's day (one query for the page)."""
    bodies = {meeting.body_id for _m, meeting, _d in records}
    if not bodies:
        return {}
    versions = list(
        db.session.scalars(
            select(DecisionRuleVersion).where(DecisionRuleVersion.body_id.in_(bodies))
        )
    )
    by_id = {v.id: v for v in versions}
    out = {}
    for motion, meeting, decision in records:
        if decision is not None and decision.rule_version_id in by_id:
            rule = by_id[decision.rule_version_id].to_rule()
        else:
            mine = [v for v in versions if v.body_id == meeting.body_id]
            in_force = max(
                (v for v in mine if v.effective_from <= meeting.held_on),
                key=lambda v: v.effective_from,
                default=None,
            )
            rule = in_force.to_rule() if in_force else rules.LGA1972_DEFAULTS
        out[motion.id] = rules.requirement_text(rule)
    return out


def motions_page(user: Any, today: date, page: int, per_page: int) -> Page[MotionRecord]:
    """Motions and amendments on the items the caller may see, meeting by meeting."""
    stmt = (
        _on_visible_items(select(Motion), exempt_access(user, today))
        .options(contains_eager(Motion.item).contains_eager(AgendaItem.meeting))
        .order_by(Meeting.held_on, Meeting.id, AgendaItem.position, Motion.position, Motion.id)
    )
    motions = paginate(stmt, page, per_page)
    decisions = voting.decisions_of_motions([m.id for m in motions.items])
    needs = _requirements([(m, m.item.meeting, decisions.get(m.id)) for m in motions.items])
    items = [
        MotionRecord(m, m.item.meeting, decisions.get(m.id), needs.get(m.id)) for m in motions.items
    ]
    return Page(items=items, page=motions.page, per_page=motions.per_page, total=motions.total)


@dataclass(frozen=True)
class VoteEventRecord:
    decision: Decision
    counted: dict[enums.Choice, int]  # the votes that count, by option (besides counts)


def vote_events_page(user: Any, today: date, page: int, per_page: int) -> Page[VoteEventRecord]:
    """The decisions on motions the caller may see, with the votes that count, by option."""
    access = exempt_access(user, today)
    stmt = (
        _on_visible_items(select(Decision).join(Motion, Decision.motion_id == Motion.id), access)
        .options(
            contains_eager(Decision.motion)
            .contains_eager(Motion.item)
            .contains_eager(AgendaItem.meeting)
        )
        .order_by(Meeting.held_on, Meeting.id, AgendaItem.position, Motion.position, Decision.id)
    )
    decisions = paginate(stmt, page, per_page)
    counted: dict[int, dict[enums.Choice, int]] = {d.id: {} for d in decisions.items}
    tally = counted_votes(access, VoteCast.decision_id, VoteCast.choice, func.count()).where(
        VoteCast.decision_id.in_(list(counted))
    )
    for decision_id, choice, number in db.session.execute(
        tally.group_by(VoteCast.decision_id, VoteCast.choice)
    ):
        counted[decision_id][choice] = number
    items = [VoteEventRecord(d, counted[d.id]) for d in decisions.items]
    return Page(
        items=items, page=decisions.page, per_page=decisions.per_page, total=decisions.total
    )


def votes_page(user: Any, today: date, page: int, per_page: int) -> Page[VoteCast]:
    """Each voter's current vote that counts, on the decisions the caller may see."""
    stmt = counted_votes(exempt_access(user, today), VoteCast).order_by(
        VoteCast.decision_id, VoteCast.person_id, VoteCast.id
    )
    return paginate(stmt, page, per_page)


COLLECTIONS: list[Collection] = [
    Collection(
        name="organizations",
        schema="organization",
        description=(
            "The partners (classification council, contractor or other; ids partner-N) and "
            "the governance bodies (classification the kind of body, parent_id the body it "
            "sits under; ids body-N)."
        ),
        page=organizations_page,
        serialize=lambda record, _today: serializers.organization(record),
    ),
    Collection(
        name="persons",
        schema="person",
        description=(
            "People, by name only. Without signing in: the people with a current membership "
            "of a body, and those who voted in or proposed a motion the public can see. Signed "
            "in: everyone in the registry."
        ),
        page=persons_page,
        serialize=lambda record, _today: serializers.person(record),
    ),
    Collection(
        name="memberships",
        schema="membership",
        description=(
            "Seats on bodies: organization_id is the body, on_behalf_of_id the partner "
            "represented. Without signing in: current memberships only. Signed in: current, "
            "past and future ones."
        ),
        page=memberships_page,
        serialize=lambda record, _today: serializers.membership(record),
    ),
    Collection(
        name="events",
        schema="event",
        description=(
            "Meetings whose agenda has been published (ids meeting-N; organization_id is the "
            "body). start_date is the day, or the UK local time with its offset when known."
        ),
        page=events_page,
        serialize=serializers.event,
    ),
    Collection(
        name="motions",
        schema="motion",
        description=(
            "Motions and amendments (classification motion or amendment; ids motion-N): "
            "legislative_session_id is the meeting, creator_id the proposer when recorded, result "
            "pass or fail once the vote has closed. Only on items of published agendas, and on "
            "exempt items only for those who may see them."
        ),
        page=motions_page,
        serialize=lambda record, _today: serializers.motion(
            record.motion, record.meeting, record.decision, record.requirement
        ),
    ),
    Collection(
        name="vote_events",
        schema="vote_event",
        description=(
            "The vote on each motion (ids decision-N), with counts of yes, no and abstain: the "
            "votes that count towards the result, in the meeting and, where the rules and the "
            "law let them count, electronically. An option is left out when its number is not "
            "recorded. result is pass or fail once the vote has closed; end_date is when "
            "electronic voting closed, or the meeting."
        ),
        page=vote_events_page,
        serialize=lambda record, _today: serializers.vote_event(
            record.decision,
            record.decision.motion,
            record.decision.motion.item.meeting,
            record.counted,
        ),
    ),
    Collection(
        name="votes",
        schema="vote",
        description=(
            "Each voter's current vote that counts (option yes, no or abstain; group_id the "
            "partner they voted for). Electronic responses that the rules or the law do not "
            "count are consultation responses, not votes, and are left out."
        ),
        page=votes_page,
        serialize=lambda record, _today: serializers.vote(record),
    ),
]
