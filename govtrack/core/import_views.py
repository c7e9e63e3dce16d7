"""The browser side of the one import pipeline, shared by every capability that imports a
spreadsheet: upload → check every row → preview (nothing written) → confirm → write it all.

A capability describes its import with an ``ImportPage`` and its two views call
``upload_page`` and ``confirm_page``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import flash, redirect, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from govtrack.core import spreadsheet
from govtrack.core.records import Invalid, unit_of_work
from govtrack.db import db


@dataclass(frozen=True)
class ImportPage:
    """What one capability's import needs from the shared flow."""

    # The page with the upload form and the preview; it includes "imports/_preview.html".
    template: str
    # Read and check the file; writes nothing.
    check: Callable[[bytes, str], spreadsheet.ImportPlan]
    # Write every row of a valid plan in the request's transaction; says what was written.
    write: Callable[[spreadsheet.ImportPlan, str], str]
    upload_url: str
    confirm_url: str
    done_url: str
    context: Mapping[str, Any] = field(default_factory=dict)


def _render(
    page: ImportPage,
    form: spreadsheet.UploadForm,
    plan: spreadsheet.ImportPlan | None,
    filename: str | None,
    confirm_form: spreadsheet.ConfirmImportForm | None,
    status: int,
) -> ResponseReturnValue:
    return render_template(
        page.template,
        form=form,
        plan=plan,
        filename=filename,
        confirm_form=confirm_form,
        confirm_action=page.confirm_url,
        **page.context,
    ), status


def _checked(page: ImportPage, data: bytes, filename: str) -> spreadsheet.ImportPlan:
    plan = page.check(data, filename)
    # Checking never writes; forget anything the lookups may have loaded into the session.
    db.session.rollback()
    return plan


def upload_page(page: ImportPage) -> ResponseReturnValue:
    """Show the upload form, or check an uploaded file and preview it (422 if it has problems)."""
    form = spreadsheet.UploadForm()
    if not form.validate_on_submit():
        return _render(page, form, None, None, None, 422 if form.is_submitted() else 200)
    data, filename = spreadsheet.uploaded_bytes(form)
    plan = _checked(page, data, filename)
    if not plan.valid:
        return _render(page, form, plan, filename, None, 422)
    confirm = spreadsheet.ConfirmImportForm(formdata=None)
    confirm.token.data = spreadsheet.stage_upload(data, filename, current_user.id)
    return _render(page, form, plan, filename, confirm, 200)


def confirm_page(page: ImportPage) -> ResponseReturnValue:
    """Write a checked upload; check it again first, since the records may have changed."""
    confirm = spreadsheet.ConfirmImportForm()
    if not confirm.validate_on_submit():
        flash("The import was not confirmed: upload the file again.", "info")
        return redirect(page.upload_url, 303)
    try:
        data, filename = spreadsheet.load_staged(confirm.token.data, current_user.id)
    except spreadsheet.StagedUploadMissing as exc:
        flash(str(exc), "info")
        return redirect(page.upload_url, 303)
    plan = page.check(data, filename)
    if plan.valid:
        try:
            with unit_of_work():
                message = page.write(plan, filename)
        except (spreadsheet.RowInvalid, Invalid) as exc:
            plan.problems.extend(
                spreadsheet.Problem(None, column, text) for column, text in exc.problems.items()
            )
        else:
            spreadsheet.discard_staged(confirm.token.data)
            flash(message, "success")
            return redirect(page.done_url, 303)
    return _render(page, spreadsheet.UploadForm(formdata=None), plan, filename, None, 422)
