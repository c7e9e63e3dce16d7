"""The open-data API: ``/api/popolo`` (the index) and one paged JSON list per collection,
readable from any web page (CORS), with errors as JSON that say what was wrong."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, request, url_for
from flask_login import current_user

from govtrack.core.dates import today
from govtrack.core.permissions import anyone, require
from govtrack.popolo.services import COLLECTIONS, Collection

bp = Blueprint("popolo", __name__, url_prefix="/api/popolo")

DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 500


@bp.after_request
def allow_any_origin(response: Response) -> Response:
    # Open data: any site may read it. Credentials are never allowed with "*", so a
    # cross-origin caller always gets the public view.
    if request.method in ("GET", "HEAD"):
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _whole_number(name: str, default: int, maximum: int | None = None) -> int:
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    limit = f"from 1 to {maximum}" if maximum else "of 1 or more"
    message = f"{name} must be a whole number {limit}, not '{raw[:20]}'."
    if not (raw.isascii() and raw.isdigit()):
        abort(400, description=message)
    value = int(raw)
    if value < 1 or (maximum is not None and value > maximum):
        abort(400, description=message)
    return value


@bp.route("")
@require(anyone)
def index():
    return {
        "name": "govtrack open data",
        "specification": "https://www.popoloproject.com/specs/",
        "pagination": (
            f"?page= (from 1) and ?per_page= (1 to {MAX_PER_PAGE}, default "
            f"{DEFAULT_PER_PAGE}); follow 'next' until it is null."
        ),
        "collections": [
            {
                "name": collection.name,
                "url": url_for(f".{collection.name}", _external=True),
                "schema": collection.schema_url,
                "description": collection.description,
            }
            for collection in COLLECTIONS
        ],
    }


def _list_view(collection: Collection):
    def view() -> dict[str, Any]:
        number = _whole_number("page", 1)
        per_page = _whole_number("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
        day = today()
        page = collection.page(current_user, day, number, per_page)
        if page.page != number:
            abort(404, description=f"There is no page {number}: the last is page {page.pages}.")
        more = page.page < page.pages
        return {
            "results": [collection.serialize(record, day) for record in page.items],
            "page": page.page,
            "per_page": page.per_page,
            "total": page.total,
            "next": url_for(
                f".{collection.name}", page=page.page + 1, per_page=per_page, _external=True
            )
            if more
            else None,
        }

    view.__name__ = collection.name
    view.__doc__ = collection.description
    return require(anyone)(view)


for _collection in COLLECTIONS:
    bp.add_url_rule(f"/{_collection.name}", view_func=_list_view(_collection))
