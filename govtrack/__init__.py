"""govtrack: governance of a shared-services partnership of councils.

``create_app`` wires configuration, the database, security, the GOV.UK templates and each
capability (registered explicitly, in order).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from govtrack import db as database
from govtrack.config import load_config
from govtrack.core import assets, errors, health, request_log, security, startup
from govtrack.core.capabilities import Capability
from govtrack.core.ids import RecordIdConverter
from govtrack.core.requests import CleanRequest

ROOT = Path(__file__).resolve().parent.parent

csrf = CSRFProtect()
login_manager = LoginManager()


def capabilities() -> list[Capability]:
    from govtrack import (
        accounts,
        audit,
        auth,
        dashboards,
        home,
        meetings,
        outbox,
        pipeline,
        popolo,
        programme,
        registry,
        scrutiny,
        voting,
    )

    # Order matters for seeding: accounts link to people, so the registry loads first.
    return [
        home.capability,
        registry.capability,
        auth.capability,
        meetings.capability,
        voting.capability,
        scrutiny.capability,
        pipeline.capability,
        programme.capability,
        dashboards.capability,
        audit.capability,
        outbox.capability,
        accounts.capability,
        popolo.capability,
    ]


def instance_path() -> Path:
    """Where the generated secret key and the default SQLite database live."""
    return Path(os.environ.get("GOVTRACK_INSTANCE", ROOT / "instance"))


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    instance = instance_path()
    app = Flask(
        __name__,
        instance_path=str(instance),
        static_folder=str(ROOT / "static"),
        static_url_path="/assets",
        template_folder=str(ROOT / "templates"),
    )
    app.request_class = CleanRequest
    app.config.update(load_config(instance))
    app.config.update(overrides or {})

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    if not app.testing:
        startup.check_at_start(app)
    # First, so its clock starts before any other work of the request.
    request_log.init_app(app)
    database.init_app(app)
    security.init_app(app)
    assets.init_app(app)
    csrf.init_app(app)
    _init_login(app)
    errors.init_app(app)
    _init_templates(app)

    # Before any route is added: every <int:...> refuses numbers no record id can be.
    app.url_map.converters["int"] = RecordIdConverter
    app.register_blueprint(health.bp)
    caps = capabilities()
    app.extensions["govtrack.capabilities"] = caps
    for cap in caps:
        app.register_blueprint(cap.blueprint)
        for command in cap.commands:
            app.cli.add_command(command)

    from govtrack.core.cli import COMMANDS

    for command in COMMANDS:
        app.cli.add_command(command)
    return app


def _init_login(app: Flask) -> None:
    from govtrack.auth.models import User
    from govtrack.db import db

    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        """The account a session names, only while the session's version is the account's:
        signing out, a new password or "sign out everywhere" raise it and end every session."""
        user_id, _, version = session_id.partition(".")
        try:
            user = db.session.get(User, int(user_id))
        except ValueError:
            return None
        if user is None or not user.active or version != str(user.session_version):
            return None
        return user


def _init_templates(app: Flask) -> None:
    from flask import request
    from flask_login import current_user

    from govtrack.auth.rights import main_right
    from govtrack.core.dates import local_moment, long_date
    from govtrack.core.input_rules import is_safe_link
    from govtrack.core.text import cited, number, paragraphs
    from govtrack.core.views import error_summary

    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["moment"] = local_moment
    app.jinja_env.filters["paragraphs"] = paragraphs
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["cited"] = cited
    app.jinja_env.globals["error_summary"] = error_summary
    app.jinja_env.globals["main_right"] = main_right
    app.jinja_env.tests["safe_link"] = is_safe_link

    @app.context_processor
    def navigation() -> dict[str, Any]:
        items = []
        for cap in app.extensions["govtrack.capabilities"]:
            for nav in cap.navigation:
                if nav.endpoint in app.view_functions and nav.visible_to(current_user):
                    items.append(
                        {
                            "endpoint": nav.endpoint,
                            "text": nav.label,
                            "active": (request.endpoint or "").split(".")[0]
                            == nav.endpoint.split(".")[0]
                            and request.endpoint == nav.endpoint,
                        }
                    )
        return {"nav_items": items, "service_name": app.config["SERVICE_NAME"]}
