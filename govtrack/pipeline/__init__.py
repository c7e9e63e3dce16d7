"""The service-integration pipeline: services moving into the shared contact centre, stage by
stage, with their history (Appendix A of LCC's Cabinet report of 28 February 2007)."""

from govtrack.core.capabilities import Capability, NavItem
from govtrack.pipeline.cli import pipeline_cli
from govtrack.pipeline.figures import figures
from govtrack.pipeline.models import Service
from govtrack.pipeline.permissions import can_read_pipeline
from govtrack.pipeline.seed import seed_pipeline
from govtrack.pipeline.views import bp

capability = Capability(
    name="pipeline",
    blueprint=bp,
    navigation=[NavItem("pipeline.board", "Service pipeline", can_read_pipeline)],
    commands=[pipeline_cli],
    seed_steps=[seed_pipeline],
    figures=figures,
    # A milestone's audited links name the services it depends on by id.
    history_references={"services": Service},
)
