"""Form pieces shared by every capability: the base form (one input rule for every text field),
GOV.UK date input, choices from enums, version field."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSubmitInput
from wtforms import (
    Field,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, StopValidation, ValidationError
from wtforms.widgets import HiddenInput

from govtrack.core import input_rules
from govtrack.core.dates import EARLIEST_DAY, LATEST_DAY, day_range_problem, month_number
from govtrack.core.ids import record_id

MAX_PASSWORD = 1_000


class TextInputRule:
    """The input rule every text field gets from ``GovForm``: no control characters (line
    breaks only in a text area), no lone surrogates or direction overrides, and a maximum
    length (the field's own ``Length`` when it declares one). Checked first, so a refused
    value gets one message naming the field."""

    def __init__(self, lines: bool, maximum: int | None) -> None:
        self.lines = lines
        self.maximum = maximum

    def __call__(self, form, field) -> None:
        text = field.data if isinstance(field.data, str) else None
        if not text:
            return
        name = field.label.text or field.name
        problem = input_rules.text_problem(text, name, self.lines)
        if problem is None and self.maximum is not None:
            problem = input_rules.too_long_problem(text, name, self.maximum)
        if problem:
            raise StopValidation(problem)


class WebLinks:
    """A field holding web addresses (one, or one a line with ``lines``): each must be a real
    link (http or https; mailto with ``mail``), never ``javascript:``, ``data:`` and the like,
    which would run when the stored address becomes a link."""

    def __init__(self, lines: bool = False, mail: bool = False) -> None:
        self.lines = lines
        self.schemes = input_rules.MAIL_SCHEMES if mail else input_rules.WEB_SCHEMES

    def __call__(self, form, field) -> None:
        text = field.data if isinstance(field.data, str) else ""
        name = field.label.text or field.name
        for link in text.split() if self.lines else [text]:
            if problem := input_rules.link_problem(link, name, self.schemes):
                raise ValidationError(problem)


def _declared_maximum(validators) -> int | None:
    for validator in validators or ():
        if isinstance(validator, Length) and validator.max not in (None, -1):
            return None  # the field says its own maximum (and its message)
    return -1


def _default_maximum(field_class: type) -> int:
    if issubclass(field_class, TextAreaField):
        return input_rules.MAX_TEXT
    if issubclass(field_class, PasswordField):
        return MAX_PASSWORD
    return input_rules.MAX_LINE


def _nfc(value):
    return input_rules.nfc(value) if isinstance(value, str) else value


# WTForms' own messages do not say which field they are about; in the error summary they must.
_GENERIC_MESSAGES = {
    "Not a valid choice.": "{name}: choose one of the options given",
    "Not a valid choice": "{name}: choose one of the options given",
    "Invalid Choice: could not coerce.": "{name}: choose one of the options given",
    "Invalid Choice: could not coerce": "{name}: choose one of the options given",
    "Not a valid integer value.": "{name} must be a whole number",
    "Not a valid decimal value.": "{name} must be a number",
    "Not a valid float value.": "{name} must be a number",
    "This field is required.": "Enter {name}",
    "Invalid input.": "{name} is not valid",
}
_GENERIC_LENGTH = re.compile(r"Field cannot be longer than (\d+) characters\.")


def _named(message, name: str):
    text = str(message)
    if text in _GENERIC_MESSAGES:
        return _GENERIC_MESSAGES[text].format(name=name)
    if match := _GENERIC_LENGTH.fullmatch(text):
        return f"{name} must be {int(match.group(1)):,} characters or fewer"
    return message


class GovForm(FlaskForm):
    """The base of every form: each text field (single line, text area, hidden, password)
    refuses the characters ``input_rules`` refuses and text longer than its maximum, and keeps
    its text in NFC."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField):
                validators = list(
                    options.get("validators", unbound_field.kwargs.get("validators")) or ()
                )
                maximum = _declared_maximum(validators)
                if maximum == -1:
                    maximum = _default_maximum(field_class)
                lines = issubclass(field_class, TextAreaField)
                options["validators"] = [TextInputRule(lines, maximum), *validators]
                filters = options.get("filters", unbound_field.kwargs.get("filters")) or ()
                options["filters"] = [_nfc, *filters]
            return unbound_field.bind(form=form, **options)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators=extra_validators)
        for field in self:
            if field.errors and isinstance(field.errors, list):
                name = field.label.text or field.name
                field.errors[:] = [_named(message, name) for message in field.errors]
        return valid


class GovDateField(Field):
    """A date typed as day, month and year boxes, with GOV.UK-style messages: the one date
    field of every form. The month may be typed as a number or a name (3, Mar, March), and the
    date must fall between ``earliest`` and ``latest`` (by default 1970 to 2100; a field
    narrows them to what it records, a meeting from 1990, say). A field whose form checks its
    range with a more precise message (the pipeline's dates) gives None, and the form's
    message is the one the user sees.

    Always keeps three raw values, so a crafted post that omits the boxes re-renders instead
    of crashing the widget (a known defect of govuk-frontend-wtf 3.2.0).
    """

    widget = GovDateInput()

    def __init__(
        self,
        label: str | None = None,
        validators=None,
        *,
        earliest: date | None = EARLIEST_DAY,
        latest: date | None = LATEST_DAY,
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
        except (ValueError, OverflowError):
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


def filter_options(blank: str, pairs: Iterable[tuple[Any, str]]) -> list[dict[str, str]]:
    """The options of a list page's filter: ``blank`` (any) first, then ``(value, label)``."""
    return [{"value": "", "label": blank}] + [{"value": str(v), "label": t} for v, t in pairs]


def coerce_optional_int(value) -> int | None:
    """A select's chosen record id, or None for the blank choice (anything else is not chosen)."""
    if value in (None, "", "None"):
        return None
    if isinstance(value, int):
        return value
    number = record_id(value)
    if number is None:
        # No record has this id (10**30 does not fit either database): not one of the choices.
        raise ValueError("not a record id")
    return number


class VersionedForm(GovForm):
    """A form that edits a record carries the version the editor started from."""

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    submit = SubmitField("Save", widget=GovSubmitInput())


class ConfirmForm(GovForm):
    """A form with only a button (and the CSRF token), for actions like signing out."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())
    next = HiddenField()


class ChoiceField(SelectField):
    """A select whose unknown or malformed value gets a message that says what to do."""

    def __init__(self, label=None, validators=None, invalid: str = "", **kwargs) -> None:
        super().__init__(label, validators, **kwargs)
        self.invalid = invalid or f"Choose {label.lower() if label else 'an option'} from the list"

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            self.data = None
            raise ValueError(self.invalid) from exc

    def pre_validate(self, form) -> None:
        try:
            super().pre_validate(form)
        except ValidationError as exc:
            raise ValidationError(self.invalid) from exc
