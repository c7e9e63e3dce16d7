"""Helpers every capability's views share: the form round-trip and the history page."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import abort, flash, redirect, render_template
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError

from govtrack.core.records import Invalid, Locked, unit_of_work
from govtrack.core.versioning import EditConflict

CONFLICT_MESSAGE = (
    "Someone else saved changes to this record after you opened it. "
    "Your changes have not been saved: they are shown below. The current values are on the "
    "record's page; reload this page to start again from them."
)


T = TypeVar("T")


def found(record: T | None) -> T:
    """The record a page is about, or a 404 when there is none."""
    if record is None:
        abort(404)
    return record


def add_problems(form: FlaskForm, problems: Mapping[str, str]) -> None:
    """Attach rule failures from a service to the form's fields (or the form as a whole)."""
    for name, message in problems.items():
        field = getattr(form, name, None)
        if field is None:
            form.form_errors.append(message)
        else:
            field.errors = [*field.errors, message]


def form_data(form: FlaskForm) -> dict[str, Any]:
    """The submitted values, without the CSRF token, version and buttons."""
    skip = {"csrf_token", "version", "submit"}
    return {name: field.data for name, field in form._fields.items() if name not in skip}


def form_page(
    form: FlaskForm,
    template: str,
    save: Callable[[], Any],
    success: Callable[[Any], tuple[str, str]],
    **context: Any,
):
    """Validate, save through a service and commit, and redirect; or re-render with every
    problem (nothing saved).

    ``success(saved)`` gives the flash message and the URL to go to. A stale edit answers 409
    with the user's input kept.
    """
    status = 200
    if form.validate_on_submit():
        try:
            with unit_of_work():
                saved = save()
        except Invalid as exc:
            add_problems(form, exc.problems)
            status = 422
        except Locked as exc:
            return locked_page(exc, context.get("cancel_url"))
        except (EditConflict, StaleDataError):
            form.form_errors.append(CONFLICT_MESSAGE)
            status = 409
        else:
            message, url = success(saved)
            flash(message, "success")
            return redirect(url)
    elif form.is_submitted():
        status = 422
    return render_template(template, form=form, **context), status


def locked_page(exc: Locked, back_url: str | None = None):
    """409: the record cannot change now; say why and what to do instead."""
    return (
        render_template(
            "errors/locked.html", message=exc.message, instead=exc.instead, back_url=back_url
        ),
        409,
    )


def error_summary(form: FlaskForm) -> dict[str, Any]:
    """Params for govukErrorSummary: every problem, each linking to its field."""
    from govtrack.core.forms import GovDateField

    items: list[dict[str, str]] = [{"text": message} for message in form.form_errors]
    # Problems with inputs the form class does not declare (e.g. one radio group per member).
    for target, message in getattr(form, "extra_problems", {}).items():
        items.append({"text": message, "href": f"#{target}"})
    for field in form:
        for message in field.errors:
            target = f"{field.id}-day" if isinstance(field, GovDateField) else field.id
            items.append({"text": message, "href": f"#{target}"})
    return {"titleText": "There is a problem", "errorList": items}
