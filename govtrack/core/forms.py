"""Form pieces shared by every capability: GOV.UK date input, choices from enums, version field."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSubmitInput
from wtforms import Field, HiddenField, IntegerField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError
from wtforms.widgets import HiddenInput

from govtrack.core.dates import EARLIEST_DAY, LATEST_DAY, day_range_problem, month_number


class GovDateField(Field):
    """A date typed as day, month and year boxes, with GOV.UK-style messages: the one date
    field of every form. The month may be typed as a number or a name (3, Mar, March), and the
    date must fall between ``earliest`` and ``latest`` (by default 1970 to 2100; a field
    narrows them to what it records, a meeting from 1990, say).

    Always keeps three raw values, so a crafted post that omits the boxes re-renders instead
    of crashing the widget (a known defect of govuk-frontend-wtf 3.2.0).
    """

    widget = GovDateInput()

    def __init__(
        self,
        label: str | None = None,
        validators=None,
        *,
        earliest: date = EARLIEST_DAY,
        latest: date = LATEST_DAY,
        **kwargs,
    ) -> None:
        super().__init__(label, validators, **kwargs)
        self._problem: str | None = None
        self.earliest = earliest
        self.latest = latest

    def _value(self) -> str:
        return self.data.strftime("%d %m %Y") if self.data else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        values = [(v or "").strip()[:20] for v in valuelist[:3]]
        values += [""] * (3 - len(values))
        self.raw_data = values
        self.data = None
        self._problem = None
        day, month, year = values
        if not any(values):
            return
        name = self.label.text
        missing = [part for part, v in zip(("day", "month", "year"), values, strict=True) if not v]
        if missing:
            self._problem = f"{name} must include a {' and a '.join(missing)}"
            return
        number = month_number(month)
        digits = day.isascii() and day.isdigit() and year.isascii() and year.isdigit()
        if not digits or number is None or len(year) != 4:
            self._problem = f"{name} must be a real date, with a four-digit year"
            return
        try:
            self.data = date(int(year), number, int(day))
        except ValueError:
            self._problem = f"{name} must be a real date"
            return
        if problem := day_range_problem(self.data, name, self.earliest, self.latest):
            self._problem = problem

    def pre_validate(self, form) -> None:
        if self._problem:
            raise ValidationError(self._problem)


def enum_choices(enum_cls: type[enum.Enum], blank: str | None = None) -> list[SelectChoice]:
    """Select options from an enum whose members carry a ``label``."""
    choices = [SelectChoice("", blank)] if blank is not None else []
    choices += [SelectChoice(m.value, getattr(m, "label", m.value)) for m in enum_cls]
    return choices


def record_choices(
    records: Iterable, label=lambda r: r.name, blank: str | None = None
) -> list[SelectChoice]:
    choices = [SelectChoice("", blank)] if blank is not None else []
    choices += [SelectChoice(str(r.id), label(r)) for r in records]
    return choices


def coerce_optional_int(value) -> int | None:
    """A select's chosen record id, or None for the blank choice (anything else is not chosen)."""
    if value in (None, "", "None"):
        return None
    return int(value)


class VersionedForm(FlaskForm):
    """A form that edits a record carries the version the editor started from."""

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    submit = SubmitField("Save", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A form with only a button (and the CSRF token), for actions like signing out."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())
    next = HiddenField()
