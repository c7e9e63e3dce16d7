"""Decision pages: a body's rules, motions and the vote on them, an absent voter's vote, and
each member's "My decisions"."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from govtrack.core.dates import today
from govtrack.core.forms import enum_choices
from govtrack.core.permissions import anyone, permitted, require
from govtrack.core.records import unit_of_work
from govtrack.core.views import form_data, form_page, found, locked_page
from govtrack.db import db, utcnow
from govtrack.meetings import queries as meetings
from govtrack.registry import services as registry
from govtrack.voting import commands, enums, forms, queries, rules, votes
from govtrack.voting.models import Motion
from govtrack.voting.permissions import can_have_decisions, can_manage_rules, can_record_votes

bp = Blueprint("voting", __name__)


@bp.app_context_processor
def voting_helpers() -> dict:
    return {
        "can_record_votes": can_record_votes,
        "can_manage_rules": can_manage_rules,
        "outcome_tag_class": rules.OUTCOME_TAG_CLASSES.get,
        "shown_outcome": lambda decision: queries.shown_status(decision, None),
    }


# Decision rules ---------------------------------------------------------------------------


@bp.route("/bodies/<int:body_id>/rules")
@require(anyone)
def body_rules(body_id: int):
    body = found(registry.load_body(body_id))
    version, rule = queries.rule_in_force(body.id, today())
    return render_template(
        "voting/rules.html",
        body=body,
        versions=queries.rule_versions(body.id),
        in_force=version,
        rule=rule,
        refusal=rules.remote_votes_refusal(body.jurisdiction, body.legal_form),
    )


@bp.route("/bodies/<int:body_id>/rules/new", methods=["GET", "POST"])
@require(can_manage_rules)
def new_rule_version(body_id: int):
    body = permitted(found(registry.load_body(body_id)), can_manage_rules)
    form = forms.RuleVersionForm()
    return form_page(
        form,
        "voting/rule_form.html",
        lambda: commands.add_rule_version(
            current_user,
            body,
            commands.rule_from_values(form_data(form)),
            form.note.data or "",
            today(),
        ),
        lambda v: (f"Rules '{v.label}' added.", url_for(".body_rules", body_id=body.id)),
        body=body,
        refusal=rules.remote_votes_refusal(body.jurisdiction, body.legal_form),
        cancel_url=url_for(".body_rules", body_id=body.id),
    )


# Motions and the vote ---------------------------------------------------------------------


@bp.route("/items/<int:item_id>/motions/new", methods=["GET", "POST"])
@require(can_record_votes)
def new_motion(item_id: int):
    item = permitted(found(meetings.load_item(item_id)), can_record_votes)
    form = forms.MotionForm()
    form.proposer_id.choices = form.seconder_id.choices = _mover_choices(item.meeting)
    existing = queries.motions_of_items([item.id]).get(item.id, [])
    form.amends_id.choices = [SelectChoice("", "Nothing: this is a motion")] + [
        SelectChoice(str(m.id), f"Motion {m.position}: {m.text[:80]}")
        for m in existing
        if m.amends_id is None
    ]
    meeting_url = url_for("meetings.meeting", meeting_id=item.meeting_id, _anchor="motions")
    return form_page(
        form,
        "meetings/form.html",
        lambda: commands.add_motion(current_user, item, form_data(form), today()),
        lambda m: (
            "Motion recorded. Now record the vote.",
            url_for(".record_vote", motion_id=m.id),
        ),
        title=f"Record a motion on item {item.number}: {item.title}"
        if item.number
        else f"Record a motion on {item.title}",
        cancel_url=meeting_url,
    )


def _mover_choices(meeting) -> list[SelectChoice]:
    """Those present and entitled to vote (or presiding), who alone may move or second."""
    return [SelectChoice("", "Not recorded")] + [
        SelectChoice(str(v.person_id), v.name + (" (presiding)" if v.presiding else ""))
        for v in queries.movers(meeting)
    ]


@bp.route("/motions/<int:motion_id>/edit", methods=["GET", "POST"])
@require(can_record_votes)
def correct_motion(motion_id: int):
    motion = found(db.session.get(Motion, motion_id))
    item = permitted(found(meetings.load_item(motion.item_id)), can_record_votes)
    meeting_url = url_for("meetings.meeting", meeting_id=item.meeting_id, _anchor="motions")
    locked = queries.motion_locked(motion, item.meeting)
    if locked is not None:
        return locked_page(locked, meeting_url)
    form = forms.MotionCorrectionForm(obj=motion)
    form.proposer_id.choices = form.seconder_id.choices = _mover_choices(item.meeting)
    if not form.is_submitted():
        form.proposer_id.data = str(motion.proposer_id or "")
        form.seconder_id.data = str(motion.seconder_id or "")
    on = f"item {item.number}: {item.title}" if item.number else item.title
    return form_page(
        form,
        "meetings/form.html",
        lambda: commands.correct_motion(current_user, motion, form_data(form), form.version.data),
        lambda m: ("Motion corrected. The earlier wording is kept in its history.", meeting_url),
        title=f"Correct motion {motion.position} on {on}",
        cancel_url=meeting_url,
    )


@bp.route("/motions/<int:motion_id>/vote", methods=["GET", "POST"])
@require(can_record_votes)
def record_vote(motion_id: int):
    motion = found(db.session.get(Motion, motion_id))
    item = permitted(meetings.load_item(motion.item_id), can_record_votes)
    meeting = item.meeting
    people = queries.electorate(meeting)
    _version, rule = queries.rule_in_force(meeting.body_id, meeting.held_on)
    form = forms.RecordVoteForm()
    present = [v for v in people.voters if v.present and v.role in queries.VOTER_ROLES]
    form.presiding_id.choices = [
        SelectChoice("", "The chair (or the vice-chair if the chair was absent)")
    ] + [SelectChoice(str(v.person_id), v.name) for v in present]
    form.extra_problems = {}

    def values() -> dict:
        """The form's fields and each voter's vote (one radio group per voter present)."""
        named_votes = {k: v for k, v in request.form.items() if k.startswith("vote-")}
        return form_data(form) | named_votes

    return form_page(
        form,
        "voting/record_vote.html",
        lambda: commands.open_decision(current_user, motion, values(), today(), utcnow()),
        lambda d: ("Vote recorded.", url_for(".decision", decision_id=d.id)),
        motion=motion,
        item=item,
        meeting=meeting,
        present=present,
        rule=rule,
        choices=enum_choices(enums.Choice),
        cancel_url=url_for("meetings.meeting", meeting_id=meeting.id, _anchor="motions"),
    )


def _decision_or_404(decision_id: int):
    decision = found(queries.load_decision(decision_id))
    item = decision.motion.item
    meeting = item.meeting
    access = meetings.exempt_access(current_user, today())
    if not meetings.meeting_visible(meeting, current_user) or not meetings.item_visible(
        item, meeting.body_id, access
    ):
        abort(404 if not current_user.is_authenticated else 403)
    return decision


def _decision_view(record, form: forms.CastVoteForm | None = None, status: int = 200):
    """The decision's page; ``form`` is a submitted vote to show again with its errors."""
    now = utcnow()
    votes.refresh(record, now)  # a decision whose deadline has passed closes first
    page = queries.decision_page(record, current_user, now)
    if page.may_vote and form is None:
        form = forms.CastVoteForm()
        if page.my_vote is not None:  # the radios show the voter's current choice
            form.choice.data = page.my_vote.choice.value
    if form is not None:
        forms.word_cast_form(form, page.consultation)
    return render_template(
        "voting/decision.html",
        decision=record,
        motion=record.motion,
        item=record.motion.item,
        meeting=record.motion.item.meeting,
        page=page,
        outcome=page.outcome,
        votes=page.votes,
        history=queries.vote_history(record.id)
        if can_record_votes(current_user, record.motion.item.meeting) and not page.hidden
        else [],
        form=form if page.may_vote else None,
        may_vote=page.may_vote,
        my_vote=page.my_vote,
        hidden=page.hidden,
    ), status


@bp.route("/votes/<int:decision_id>")
@require(anyone)
def decision(decision_id: int):
    return _decision_view(_decision_or_404(decision_id))


@bp.route("/votes/<int:decision_id>/cast", methods=["POST"])
@require(can_have_decisions)
def cast(decision_id: int):
    record = _decision_or_404(decision_id)
    form = forms.CastVoteForm()
    if not form.validate_on_submit():
        return _decision_view(record, form, 422)
    # Read before casting: casting locks and reloads the decision's row.
    consultation = queries.is_consultation(record, record.motion.item.meeting.body)
    try:
        with unit_of_work():
            vote = votes.cast_vote(current_user, record, form.choice.data, utcnow())
    except votes.VoteRefused as exc:
        return render_template(
            "voting/refused.html",
            message=exc.message,
            decision=record,
            consultation=consultation,
        ), exc.status
    if consultation:
        flash(
            f"Your response {vote.choice.label} is recorded. Your receipt is {vote.receipt}. "
            "This is a consultation response: it does not count towards the outcome, which "
            "was decided at the meeting.",
            "success",
        )
    else:
        flash(
            f"Your vote {vote.choice.label} is recorded and counts towards the outcome. "
            f"Your receipt is {vote.receipt}.",
            "success",
        )
    return redirect(url_for(".decision", decision_id=record.id))


@bp.route("/my-decisions")
@require(can_have_decisions)
def my_decisions():
    awaiting, done = queries.my_decisions(current_user, utcnow())
    return render_template("voting/my_decisions.html", awaiting=awaiting, done=done)
