"""An uploaded spreadsheet is kept between its preview and its confirmation, for its uploader only."""

from __future__ import annotations

import pytest

from govtrack.core.spreadsheet import (
    StagedUploadMissing,
    discard_staged,
    load_staged,
    stage_upload,
)


@pytest.fixture
def imports_dir(app, tmp_path):
    app.config["IMPORTS_DIR"] = str(tmp_path)
    return tmp_path


def test_the_uploader_gets_back_exactly_what_was_uploaded(imports_dir):
    token = stage_upload(b"Reference\n4.a\n", "tracker.csv", owner_id=7)
    assert load_staged(token, owner_id=7) == (b"Reference\n4.a\n", "tracker.csv")


def test_another_user_cannot_confirm_someone_elses_upload(imports_dir):
    token = stage_upload(b"Reference\n4.a\n", "tracker.csv", owner_id=7)
    with pytest.raises(StagedUploadMissing):
        load_staged(token, owner_id=8)


@pytest.mark.parametrize("token", ["", "../../etc/passwd", "0" * 47, "g" * 48])
def test_a_made_up_token_is_refused(imports_dir, token):
    with pytest.raises(StagedUploadMissing):
        load_staged(token, owner_id=7)


def test_a_discarded_upload_is_gone(imports_dir):
    token = stage_upload(b"x", "t.csv", owner_id=None)
    discard_staged(token)
    with pytest.raises(StagedUploadMissing, match="upload the file again"):
        load_staged(token, owner_id=None)
    assert list(imports_dir.iterdir()) == []
