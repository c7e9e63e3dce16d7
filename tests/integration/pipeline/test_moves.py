"""Moving services between stages: the rules, the history, who may, and stale forms."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from govtrack.core.audit import AppendOnlyError
from govtrack.core.dates import today
from govtrack.core.models import AuditEntry
from govtrack.db import db
from govtrack.pipeline.enums import Stage
from govtrack.pipeline.models import Service, StageTransition
from tests.fixtures.actions import csrf_token
from tests.integration.pipeline.conftest import stage_of


def move(actions, service, to, **extra):
    page = actions.client.get(f"/pipeline/services/{service.id}")
    data = {
        "csrf_token": csrf_token(page.text),
        "from_stage": str(int(extra.pop("from_stage", service.stage))),
        "version": str(extra.pop("version", service.version)),
        "to_stage": str(int(to)) if to is not None else "",
        "moved_on": extra.pop("moved_on", ["", "", ""]),
        "date_integrated": extra.pop("date_integrated", ["", "", ""]),
        "reason": extra.pop("reason", ""),
    }
    data.update(extra)
    return actions.client.post(f"/pipeline/services/{service.id}/move", data=data)


def transitions(service_id):
    return list(
        db.session.scalars(
            select(StageTransition)
            .where(StageTransition.service_id == service_id)
            .order_by(StageTransition.id)
        )
    )


def test_moving_to_the_next_stage_records_a_transition_and_the_stage(actions, make_service):
    service = make_service(Stage.MANDATE)
    user = actions.sign_in_as("clerk")

    response = move(actions, service, Stage.BUSINESS_CASE, reason="Business case agreed")

    assert response.status_code == 302
    assert stage_of(service.id) == Stage.BUSINESS_CASE
    last = transitions(service.id)[-1]
    assert (last.from_stage, last.to_stage, last.moved_on) == (
        Stage.MANDATE,
        Stage.BUSINESS_CASE,
        today(),
    )
    assert last.recorded_by_id == user.id
    assert last.reason == "Business case agreed"
    audit = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.subject_type == "pipeline_service", AuditEntry.subject_id == service.id
        )
    ).all()
    assert audit[-1].changes["stage"] == [1, 2]
    page = actions.client.get(f"/pipeline/services/{service.id}")
    assert "Business case agreed" in page.text
    assert page.text.count('class="govuk-table__row app-transition"') == 2


@pytest.mark.parametrize(
    ("start", "to", "expected"),
    [
        (Stage.START_UP, Stage.MANDATE, "Give a reason for moving the service back"),
        (Stage.MANDATE, Stage.START_UP, "Give a reason for skipping Business Case"),
    ],
)
def test_moving_back_or_skipping_needs_a_reason(actions, make_service, start, to, expected):
    service = make_service(start)
    actions.sign_in_as("clerk")

    refused = move(actions, service, to)

    assert refused.status_code == 422
    assert expected in refused.text
    assert f'<option value="{int(to)}" selected' in refused.text  # the choice is kept
    assert stage_of(service.id) == start
    assert len(transitions(service.id)) == 1

    allowed = move(actions, service, to, reason="Re-scoped by the programme board")
    assert allowed.status_code == 302
    assert stage_of(service.id) == to


def test_operational_needs_the_date_integrated_and_not_in_the_future(actions, make_service):
    service = make_service(Stage.INTEGRATION)
    actions.sign_in_as("clerk")

    missing = move(actions, service, Stage.OPERATIONAL)
    assert missing.status_code == 422
    assert "Enter the date the service was integrated" in missing.text

    tomorrow = today() + timedelta(days=1)
    future = move(
        actions,
        service,
        Stage.OPERATIONAL,
        date_integrated=[str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)],
    )
    assert future.status_code == 422
    assert "The date integrated must be today or in the past" in future.text
    assert stage_of(service.id) == Stage.INTEGRATION

    done = move(actions, service, Stage.OPERATIONAL, date_integrated=["2", "10", "2007"])
    assert done.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Service, service.id)
    assert (saved.stage, saved.date_integrated) == (Stage.OPERATIONAL, date(2007, 10, 2))


def test_a_stale_form_is_refused_and_says_where_the_service_is_now(actions, make_service):
    service = make_service(Stage.MANDATE)
    actions.sign_in_as("clerk")
    old_version = service.version
    assert move(actions, service, Stage.BUSINESS_CASE).status_code == 302

    stale = move(
        actions,
        service,
        Stage.BUSINESS_CASE,
        from_stage=Stage.MANDATE,
        version=old_version,
        reason="my reason",
    )

    assert stale.status_code == 409
    assert "This service is now at 2 - Business Case, not 1 - Mandate" in stale.text
    assert "my reason" in stale.text
    assert len(transitions(service.id)) == 2


def test_an_unknown_stage_is_refused(actions, make_service):
    service = make_service(Stage.MANDATE)
    actions.sign_in_as("clerk")

    response = move(actions, service, None, to_stage="9")

    assert response.status_code == 422
    assert "Choose a stage from the list: stages are 1 Mandate to 7 Operational" in response.text
    assert stage_of(service.id) == Stage.MANDATE


def test_a_move_cannot_be_dated_in_the_future_or_before_the_last_move(actions, make_service):
    service = make_service(Stage.MANDATE, since=date(2007, 3, 1))
    actions.sign_in_as("clerk")
    tomorrow = today() + timedelta(days=1)

    future = move(
        actions,
        service,
        Stage.BUSINESS_CASE,
        moved_on=[str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)],
    )
    early = move(actions, service, Stage.BUSINESS_CASE, moved_on=["1", "2", "2007"])

    assert future.status_code == 422
    assert "The date of the move must be today or in the past" in future.text
    assert early.status_code == 422
    assert "cannot be before the service&#39;s last move, on 1 March 2007" in early.text


def test_officers_move_only_their_own_councils_services(
    actions, make_service, make_partner, sign_in_officer_of
):
    ours, theirs = make_partner(), make_partner()
    own = make_service(Stage.MANDATE, partner=ours)
    other = make_service(Stage.MANDATE, partner=theirs)
    sign_in_officer_of(ours)

    assert move(actions, own, Stage.BUSINESS_CASE).status_code == 302
    board = actions.client.get("/pipeline")
    assert f'action="/pipeline/services/{own.id}/move"' in board.text
    assert f'action="/pipeline/services/{other.id}/move"' not in board.text
    page = actions.client.get(f"/pipeline/services/{other.id}")
    token = csrf_token(page.text)
    refused = actions.client.post(
        f"/pipeline/services/{other.id}/move",
        data={"csrf_token": token, "from_stage": "1", "version": "1", "to_stage": "2"},
    )
    assert refused.status_code == 403
    assert stage_of(other.id) == Stage.MANDATE


def test_the_public_reads_but_cannot_move(client, make_service):
    service = make_service(Stage.MANDATE)
    assert client.get("/pipeline").status_code == 200
    page = client.get(f"/pipeline/services/{service.id}")
    assert page.status_code == 200
    assert "Move to another stage" not in page.text
    response = client.post(f"/pipeline/services/{service.id}/move", data={})
    assert response.status_code in (302, 400)
    assert stage_of(service.id) == Stage.MANDATE


def test_transitions_are_never_changed_or_deleted(app, make_service):
    service = make_service(Stage.MANDATE)
    row = transitions(service.id)[0]

    row.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()

    for statement in (
        "UPDATE stage_transitions SET reason = 'x'",
        "DELETE FROM stage_transitions",
    ):
        with pytest.raises(Exception, match="history"), db.session.begin_nested():
            db.session.execute(text(statement))


def table_row(client, as_at: str, name: str) -> str:
    """The text of the service's row in the table as at a day ("" if it is not shown)."""
    page = client.get(f"/pipeline/table?as_at={as_at}").text
    found = re.search(
        rf"<tr class=\"govuk-table__row\">\s*<th[^>]*><a[^>]*>{name}</a>.*?</tr>", page, re.S
    )
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0))) if found else ""


def test_as_at_a_day_a_backdated_move_to_operational_shows_its_date_integrated(
    actions, make_service
):
    service = make_service(Stage.MANDATE, name="Registration")
    actions.sign_in_as("clerk")
    moved = move(
        actions,
        service,
        Stage.OPERATIONAL,
        moved_on=["1", "1", "2020"],
        date_integrated=["1", "1", "2020"],
        reason="Went live on the phones; recorded late",
    )
    assert moved.status_code == 302

    on_the_day = table_row(actions.client, "01/06/2021", "Registration")
    before = table_row(actions.client, "01/06/2019", "Registration")

    assert "7 - Operational" in on_the_day and "1 January 2020" in on_the_day
    assert "1 - Mandate" in before and "2020" not in before


def test_moving_back_out_of_operational_clears_the_date_integrated_and_history_keeps_it(
    actions, make_service
):
    service = make_service(
        Stage.OPERATIONAL,
        name="Blue Badge",
        since=date(2007, 1, 10),
        planned_integration_date=date(2007, 1, 1),
    )
    actions.sign_in_as("clerk")

    back = move(
        actions, service, Stage.INTEGRATION, moved_on=["1", "2", "2007"], reason="Phones failed"
    )

    assert back.status_code == 302
    db.session.expire_all()
    assert db.session.get(Service, service.id).date_integrated is None
    page = actions.client.get(f"/pipeline/services/{service.id}").text
    assert re.search(r"Date integrated\s*</dt>\s*<dd[^>]*>\s*Not recorded", page)
    assert "10 January 2007" in page  # the change, in the history of changes
    charts = actions.client.get("/pipeline/analytics").text
    assert re.search(
        r"Blue Badge</t[dh]>\s*<td[^>]*>1 January 2007</td>\s*<td[^>]*>not yet", charts
    )
    assert "10 January 2007" not in table_row(actions.client, "", "Blue Badge")
    assert "10 January 2007" in table_row(actions.client, "31/01/2007", "Blue Badge")
    assert "10 January 2007" not in table_row(actions.client, "02/02/2007", "Blue Badge")

    again = move(actions, db.session.get(Service, service.id), Stage.OPERATIONAL)
    assert again.status_code == 422
    assert "Enter the date the service was integrated" in again.text


def card_move(actions, service, board_url: str, **fields):
    """Post the move form of the service's card on the board, as the browser would."""
    board = actions.client.get(board_url).text
    card = re.search(
        rf'<form method="post" action="/pipeline/services/{service.id}/move".*?</form>', board, re.S
    ).group(0)
    data = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', card))
    for name in ("to_stage", "reason", "date_integrated"):
        assert f'name="{name}"' in card, name  # every field a move may need is on the card
    data.update(fields)
    return actions.client.post(f"/pipeline/services/{service.id}/move", data=data)


def test_a_card_on_the_board_can_skip_a_stage_with_its_reason(actions, make_service):
    service = make_service(Stage.MANDATE, name="Cashiers")
    actions.sign_in_as("clerk")

    moved = card_move(
        actions,
        service,
        "/pipeline?lead=C/Team",
        to_stage="3",
        reason="Business case agreed with the mandate",
        date_integrated=["", "", ""],
    )

    assert moved.status_code == 302
    assert moved.headers["Location"] == "/pipeline?lead=C/Team"
    assert stage_of(service.id) == Stage.START_UP
    assert transitions(service.id)[-1].reason == "Business case agreed with the mandate"


def test_a_card_moved_to_operational_without_its_date_returns_to_the_board_once_fixed(
    actions, make_service
):
    service = make_service(Stage.INTEGRATION, name="Cashiers")
    actions.sign_in_as("clerk")

    refused = card_move(actions, service, "/pipeline", to_stage="7", reason="")

    assert refused.status_code == 422
    assert "Enter the date the service was integrated" in refused.text
    assert 'name="next" type="hidden" value="/pipeline?"' in refused.text
    fixed = actions.client.post(
        f"/pipeline/services/{service.id}/move",
        data={
            "csrf_token": csrf_token(refused.text),
            "from_stage": "6",
            "version": str(service.version),
            "next": "/pipeline?",
            "to_stage": "7",
            "moved_on": ["", "", ""],
            "date_integrated": ["2", "10", "2007"],
            "reason": "",
        },
    )
    assert fixed.status_code == 302
    assert fixed.headers["Location"] == "/pipeline"
    assert stage_of(service.id) == Stage.OPERATIONAL
