"""The partnership registry: partners, people, governance bodies, memberships."""

from govtrack.auth.rights import use_registry_facts
from govtrack.core.capabilities import Capability, NavItem
from govtrack.core.permissions import anyone
from govtrack.registry.demo_accounts import seed_demo_accounts
from govtrack.registry.permissions import can_view_people
from govtrack.registry.rights import registry_facts
from govtrack.registry.seed import partners_loaded, seed_registry
from govtrack.registry.sources import source_papers
from govtrack.registry.views import bp

use_registry_facts(registry_facts)

capability = Capability(
    name="registry",
    blueprint=bp,
    navigation=[
        NavItem("registry.partners", "Partners", anyone),
        NavItem("registry.bodies", "Bodies", anyone),
        NavItem("registry.people", "People", can_view_people),
        NavItem("registry.memberships", "Memberships", can_view_people),
    ],
    # Accounts link to people, so they load after the registry.
    seed_steps=[seed_registry, seed_demo_accounts],
    seeded=partners_loaded,
    # The seed's source papers: every capability's seed cites them.
    source_papers=source_papers,
)
