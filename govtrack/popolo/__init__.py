"""Open data: bodies, people, memberships and meetings as Popolo JSON at ``/api/popolo``, for
civic-data tools to reuse. No navigation entry: it is linked from the README, not the menus."""

from govtrack.core.capabilities import Capability
from govtrack.popolo.views import bp

capability = Capability(name="popolo", blueprint=bp)
