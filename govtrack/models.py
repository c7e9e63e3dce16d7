"""Imports every capability's models so the metadata is complete (for Alembic and tests)."""


def load_all_models() -> None:
    import govtrack.auth.models
    import govtrack.core.models
    import govtrack.dashboards.models
    import govtrack.meetings.models
    import govtrack.pipeline.models
    import govtrack.programme.models
    import govtrack.registry.models
    import govtrack.scrutiny.models
    import govtrack.voting.models  # noqa: F401
