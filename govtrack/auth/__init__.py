"""Accounts, signing in and out, roles."""

from govtrack.auth.cli import user_cli
from govtrack.auth.seed import accounts_loaded
from govtrack.auth.views import bp
from govtrack.core.capabilities import Capability

capability = Capability(
    name="auth",
    blueprint=bp,
    commands=[user_cli],
    seeded=accounts_loaded,
)
