"""The input rule at each way in, as a user meets it: forms refuse naming the field, searches
never fail, stored links that are not web addresses stay text, exports never fail on text
already stored, and the migration cleans what was stored before the rule."""

from __future__ import annotations

import io
import uuid

import pytest
from alembic import command
from alembic.config import Config
from openpyxl import load_workbook
from sqlalchemy import create_engine, select, text

from govtrack import ROOT
from govtrack.db import db
from govtrack.pipeline.enums import Stage
from govtrack.pipeline.models import Service
from govtrack.registry.models import Partner
from govtrack.scrutiny.models import Inquiry
from tests.conftest import PG_SERVER_URL


@pytest.mark.parametrize("search", ["a\x00b", "\x00", "\u202eevil", "x" * 5000])
def test_a_hostile_search_of_the_decision_register_is_answered(client, search):
    response = client.get("/decisions", query_string={"q": search})
    assert response.status_code == 200
    assert "\x00" not in response.text


def test_a_control_character_in_a_form_is_refused_naming_the_field(actions):
    actions.sign_in_as("clerk")
    response = actions.submit(
        "/partners/new", {"name": "abc\x00def", "code": "ZZ", "kind": "district"}
    )
    assert response.status_code == 422
    assert "Name must not contain control characters or line breaks" in response.text
    assert db.session.scalar(select(Partner).where(Partner.code == "ZZ")) is None


def test_a_direction_override_in_a_form_is_refused_naming_the_field(actions):
    actions.sign_in_as("clerk")
    response = actions.submit(
        "/partners/new", {"name": "Evil \u202eCouncil", "code": "ZZ", "kind": "district"}
    )
    assert response.status_code == 422
    assert "Name must not contain characters that change the direction of text" in response.text


def test_text_is_stored_in_nfc(actions):
    actions.sign_in_as("clerk")
    response = actions.submit(
        "/partners/new", {"name": "Conseil de Lie\u0300ge", "code": "ZZ", "kind": "district"}
    )
    assert response.status_code == 302
    partner = db.session.scalar(select(Partner).where(Partner.code == "ZZ"))
    assert partner.name == "Conseil de Li\u00e8ge"


def test_a_stored_javascript_link_is_shown_as_text_never_as_a_link(client, make_body):
    body = make_body()
    inquiry = Inquiry(
        body_id=body.id, title="Partnership working", final_report_url="javascript:alert(1)"
    )
    db.session.add(inquiry)
    db.session.commit()
    page = client.get(f"/scrutiny/inquiries/{inquiry.id}")
    assert page.status_code == 200
    assert 'href="javascript:' not in page.text
    assert "javascript:alert(1)" in page.text

    inquiry.final_report_url = "https://example.org/report.pdf"
    db.session.commit()
    page = client.get(f"/scrutiny/inquiries/{inquiry.id}")
    assert 'href="https://example.org/report.pdf"' in page.text


def test_the_export_writes_text_stored_before_the_rule(client, make_partner, database_url):
    partner = make_partner()
    # PostgreSQL cannot hold a NUL at all; another control character shows the same.
    name = "abc\x01def\u202e" if database_url.startswith("postgresql") else "abc\x00def\x01"
    db.session.add(Service(name=name, partner_id=partner.id, stage=Stage(2)))
    db.session.commit()

    workbook = client.get("/pipeline/export?format=xlsx")
    assert workbook.status_code == 200
    sheet = load_workbook(io.BytesIO(workbook.data), read_only=True).worksheets[0]
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert any(n in ("abc def", "abcdef ") for n in names), names
    spreadsheet = client.get("/pipeline/export?format=csv")
    assert spreadsheet.status_code == 200


def _migrate(url: str, revision: str) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = url
    config.attributes["configure_logger"] = False
    command.upgrade(config, revision)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'before.db'}"
        return
    admin = create_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL is not reachable: {exc}")
    name = f"govtrack_clean_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_SERVER_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_the_migration_cleans_text_stored_before_the_rule(empty_database):
    _migrate(empty_database, "7b3e9c2d5f61")
    engine = create_engine(empty_database)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO partners (name, code, kind, created_at, version) "
                    "VALUES (:name, 'ZZ', 'district', CURRENT_TIMESTAMP, 1)"
                ),
                {"name": "Evil\u202e \x01Council Lie\u0300ge"},
            )
        _migrate(empty_database, "head")
        with engine.connect() as conn:
            name = conn.execute(text("SELECT name FROM partners WHERE code = 'ZZ'")).scalar()
        assert name == "Evil  Council Li\u00e8ge"
    finally:
        engine.dispose()
