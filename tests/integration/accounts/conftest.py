"""Until the invitation's landing page exists (auth.accept_invitation, another part of issue
14), the invitation e-mail links to a stand-in address so the accounts pages can be tested."""

from __future__ import annotations

import pytest

from govtrack.accounts import commands


@pytest.fixture(autouse=True)
def invitation_link(app, monkeypatch):
    if "auth.accept_invitation" not in app.view_functions:
        monkeypatch.setattr(
            commands, "invitation_link", lambda token: f"http://localhost/invitation/{token}"
        )
