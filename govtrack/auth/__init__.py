"""Accounts, signing in and out, roles."""

from govtrack.auth.cli import user_cli
from govtrack.auth.seed import accounts_loaded, seed_demo_accounts
from govtrack.auth.views import bp
from govtrack.core.capabilities import Capability

capability = Capability(
    name="auth",
    blueprint=bp,
    commands=[user_cli],
    seed_steps=[seed_demo_accounts],
    seeded=accounts_loaded,
)
