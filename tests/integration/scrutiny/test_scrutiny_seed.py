"""The seeded inquiries: the Chorley sub-group's inquiry with its terms of reference and
recommendations 4.a to 5.f, each with the 20 November 2007 progress (general text and LCC's
updates apart), and the LCC task group's three recommendations; and seed problems named with
their file, record and field."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from sqlalchemy import func, select

from govtrack import ROOT
from govtrack.core.seed import SeedError, load_seed
from govtrack.db import db
from govtrack.registry.models import Partner
from govtrack.scrutiny.enums import Status
from govtrack.scrutiny.models import Addressee, Inquiry, Recommendation, RecommendationUpdate

CHORLEY_REFS = ["4.a", "4.b", "4.c", "4.d", "5.a", "5.b", "5.c", "5.d", "5.e", "5.f"]


def test_the_chorley_inquiry_and_its_20_november_2007_updates(app):
    load_seed(str(ROOT / "seed"))
    inquiries = {i.title: i for i in db.session.scalars(select(Inquiry))}
    chorley = next(i for t, i in inquiries.items() if "Contact Centre Efficiencies" in t)
    assert "To review the Lancashire Shared Services Contact Centre" in chorley.terms_of_reference
    recs = db.session.scalars(
        select(Recommendation)
        .where(Recommendation.inquiry_id == chorley.id)
        .order_by(Recommendation.position)
    ).all()
    assert [r.reference for r in recs] == CHORLEY_REFS
    assert {r.group for r in recs} == {"Objective/Key Issue 2: Partnership Working"}
    updates = db.session.scalars(
        select(RecommendationUpdate).where(
            RecommendationUpdate.recommendation_id.in_([r.id for r in recs])
        )
    ).all()
    assert {u.on for u in updates} == {date(2007, 11, 20)}
    lcc = db.session.scalar(select(Partner).where(Partner.code == "LCC"))
    by_rec = {r.id: r.reference for r in recs}
    lcc_updates = {by_rec[u.recommendation_id]: u.text for u in updates if u.partner_id == lcc.id}
    assert lcc_updates["4.a"].startswith("A three year vision statement has been agreed")
    general = [u for u in updates if u.partner_id is None]
    assert general and all(not u.text.startswith("LCC") for u in general)
    # The LCC task group's review has its three recommendations.
    others = [i for i in inquiries.values() if i.id != chorley.id]
    assert len(others) == 1
    count = db.session.scalar(
        select(func.count(Recommendation.id)).where(Recommendation.inquiry_id == others[0].id)
    )
    assert count == 3


@pytest.fixture
def seed_copy(tmp_path):
    directory = tmp_path / "seed"
    shutil.copytree(ROOT / "seed", directory)
    return directory


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("body: chorley-partnership-sub-group", "body: no-such-body", "'body'"),
        ("- sub-group-2007-01-19", "- no-such-meeting", "'evidence_meetings.2'"),
        ("addressed_to: [LCC]", "addressed_to: [XYZ]", "'recommendations.4.addressed_to.0'"),
        ('"on": 2007-11-20', '"on": 2007-13-20', "'recommendations.0.updates.0.on'"),
    ],
)
def test_a_bad_key_or_date_names_the_file_record_and_field(app, seed_copy, old, new, field):
    path = seed_copy / "scrutiny.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(SeedError) as exc:
        load_seed(str(seed_copy))
    message = str(exc.value)
    assert message.startswith("scrutiny.yaml, record 1 (key chorley-partnership-subgroup)")
    assert field in message
    assert db.session.scalar(select(func.count()).select_from(Partner)) == 0


def test_seeded_recommendations_stand_where_the_20_november_2007_paper_says(app, client):
    """Implemented only where the paper says it was done (4.c, 4.d); nothing signed off; a
    recommendation to Chorley and LCC on which only LCC reported is in progress; no seeded
    recommendation is flagged 'response overdue' on any page."""
    load_seed(str(ROOT / "seed"))
    db.session.commit()
    status = {
        (r.inquiry_id, r.reference): r.status for r in db.session.scalars(select(Recommendation))
    }
    chorley = db.session.scalar(
        select(Inquiry.id).where(Inquiry.title.contains("Contact Centre Efficiencies"))
    )
    by_ref = {ref: s for (inquiry, ref), s in status.items() if inquiry == chorley}
    assert {ref for ref, s in by_ref.items() if s is Status.IMPLEMENTED} == {"4.c", "4.d"}
    assert by_ref["5.d"] is Status.NOT_STARTED and by_ref["5.b"] is Status.NOT_STARTED
    assert by_ref["5.c"] is Status.IN_PROGRESS and by_ref["5.f"] is Status.IN_PROGRESS
    assert Status.SIGNED_OFF not in status.values()
    lcc_recs = [s for (inquiry, _ref), s in status.items() if inquiry != chorley]
    assert lcc_recs == [Status.IN_PROGRESS] * 3
    assert not db.session.scalars(select(Addressee.response_due_on).where(
        Addressee.response_due_on.is_not(None))).all()  # fmt: skip
    for url in ("/recommendations", "/scrutiny", "/recommendations?overdue=responses"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "Response overdue" not in page.text, url
    rec_ids = db.session.scalars(select(Recommendation.id)).all()
    for rec_id in rec_ids:
        page = client.get(f"/recommendations/{rec_id}").text
        assert "Response overdue" not in page and "A response is overdue" not in page
    five_c = db.session.scalar(
        select(Recommendation.id).where(
            Recommendation.inquiry_id == chorley, Recommendation.reference == "5.c"
        )
    )
    page = client.get(f"/recommendations/{five_c}").text
    assert "<strong>CBC</strong>: Not started (no update yet)" in page
    assert "<strong>LCC</strong>: In progress (latest update 20 November 2007)" in page
