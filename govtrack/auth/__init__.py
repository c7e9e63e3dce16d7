"""Accounts, signing in and out, roles."""

import govtrack.auth.personal_data  # adds its routes to bp
import govtrack.auth.self_service  # adds its routes to bp
import govtrack.auth.single_sign_on  # noqa: F401  (adds its routes to bp)
from govtrack.auth import two_factor_views  # noqa: F401  (adds its routes to bp)
from govtrack.auth.cli import user_cli
from govtrack.auth.seed import accounts_loaded
from govtrack.auth.two_factor_cli import reset_two_factor
from govtrack.auth.views import bp
from govtrack.core.capabilities import Capability

user_cli.add_command(reset_two_factor)

capability = Capability(
    name="auth",
    blueprint=bp,
    commands=[user_cli],
    seeded=accounts_loaded,
)
