"""The public home page."""

from govtrack.core.capabilities import Capability
from govtrack.home.views import bp

capability = Capability(name="home", blueprint=bp)
