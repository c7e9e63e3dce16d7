"""Serving a stored upload (a meeting paper, an inquiry's final report) safely: always
downloaded, never rendered or sniffed in the site's origin."""

from __future__ import annotations

import os

from flask import Response, abort, current_app, send_file


def send_stored_file(
    path: str, *, content_type: str, filename: str, sha256: str, public: bool, what: str
) -> Response:
    """The file at ``path`` as an attachment named ``filename``; 404 (and an error in the log
    naming ``what``) when the store has lost it. A file that is not ``public`` (exempt or
    unpublished) is kept out of shared and browser caches."""
    if not os.path.exists(path):
        current_app.logger.error("%s: file %s is missing from the store", what, path)
        abort(404)
    response = send_file(
        path, mimetype=content_type, as_attachment=True, download_name=filename, etag=sha256
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-cache" if public else "private, no-store"
    return response
