"""Static files as the browser should get them: under fingerprinted names cached for a year
(``static_url()`` in the templates), compressed with brotli or gzip ahead of time
(``scripts/build_assets.py``, run by ``make assets``); and every other response compressed as
it goes out (Flask-Compress), when the browser says it can read it (``Accept-Encoding``)."""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path

from flask import Flask, Response, current_app, request, send_from_directory, url_for
from flask_compress import Compress

BUILD = "build"
# A fingerprinted file never changes: a new content has a new name.
IMMUTABLE = "public, max-age=31536000, immutable"
# Best first: the precompressed copies the build writes beside each file.
PRECOMPRESSED = (("br", ".br"), ("gzip", ".gz"))

compress = Compress()


def manifest(app: Flask) -> dict[str, str]:
    """Each static file's fingerprinted name under ``build/`` (none before ``make assets``)."""
    if "govtrack.assets" not in app.extensions:
        path = Path(app.static_folder or "") / BUILD / "manifest.json"
        built = json.loads(path.read_text()) if path.exists() else {}
        app.extensions["govtrack.assets"] = {name: f"{BUILD}/{b}" for name, b in built.items()}
    return app.extensions["govtrack.assets"]


def static_url(name: str) -> str:
    """The address of the static file ``name`` (as in ``static/``): its fingerprinted copy
    when assets are built, else the file itself."""
    return url_for("static", filename=manifest(current_app).get(name, name))


def serve_static(filename: str) -> Response:
    """Flask's static view, but a fingerprinted file is cached for good and sent as its
    brotli or gzip copy to a browser that accepts it."""
    app = current_app
    if not filename.startswith(f"{BUILD}/"):
        return app.send_static_file(filename)
    folder = app.static_folder or ""
    encodings = request.accept_encodings
    mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    for encoding, suffix in PRECOMPRESSED:
        if encodings[encoding] and (Path(folder) / f"{filename}{suffix}").is_file():
            response = send_from_directory(folder, f"{filename}{suffix}", mimetype=mimetype)
            response.headers["Content-Encoding"] = encoding
            break
    else:
        response = send_from_directory(folder, filename)
    response.headers["Cache-Control"] = IMMUTABLE
    response.vary.add("Accept-Encoding")
    return response


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    # Brotli at 4 and gzip at 6 are quick enough for every response (the precompressed files
    # have the strongest settings).
    app.config.setdefault("COMPRESS_BR_LEVEL", 4)
    app.config.setdefault("COMPRESS_LEVEL", 6)
    app.config.setdefault(
        "COMPRESS_MIMETYPES",
        [
            "text/html",
            "text/css",
            "text/csv",
            "text/calendar",
            "text/plain",
            "text/javascript",
            "application/javascript",
            "application/json",
            "image/svg+xml",
        ],
    )
    compress.init_app(app)
    app.view_functions["static"] = serve_static
    app.jinja_env.globals["static_url"] = static_url
