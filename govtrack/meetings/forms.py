"""Forms for meetings: the meeting, agenda items, publication, attendance, minutes, actions."""

from __future__ import annotations

from datetime import date, time

from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import Field, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from govtrack.core.forms import GovDateField, GovForm, VersionedForm, enum_choices
from govtrack.meetings.enums import DeclarationKind, GuestCapacity, MeetingKind, Outcome


class TimeField(Field):
    """A time typed as text, like 18:30 or 6.30pm."""

    widget = GovTextInput()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%H:%M") if self.data else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        text = (valuelist[0] if valuelist else "").strip().lower().replace(".", ":")
        if not text:
            return
        suffix = ""
        for ending in ("am", "pm"):
            if text.endswith(ending):
                suffix, text = ending, text[: -len(ending)].strip()
        parts = text.split(":") if ":" in text else [text, "00"]
        try:
            hour, minute = int(parts[0]), int(parts[1])
            if suffix == "pm" and hour < 12:
                hour += 12
            if suffix == "am" and hour == 12:
                hour = 0
            self.data = time(hour, minute)
        except (ValueError, IndexError, OverflowError) as exc:
            raise ValueError(f"{self.label.text} must be a time, like 18:30 or 6.30pm") from exc


class MeetingForm(VersionedForm):
    body_id = SelectField("Body", widget=GovSelect(), validators=[InputRequired("Select the body")])
    kind = SelectField(
        "Kind of meeting",
        choices=enum_choices(MeetingKind),
        default=MeetingKind.FORMAL.value,
        widget=GovRadioInput(),
        validators=[InputRequired("Select the kind of meeting")],
    )
    title = StringField(
        "Title",
        description="Optional, for example 'Visit to the Red Rose Hub'",
        widget=GovTextInput(),
        validators=[Length(max=200)],
    )
    held_on = GovDateField("Date", description="For example, 26 10 2006", earliest=date(1990, 1, 1))
    starts_at = TimeField("Start time", description="For example, 18:30 or 6.30pm. Optional")
    venue = StringField(
        "Venue",
        widget=GovTextInput(),
        validators=[Length(max=200)],
    )
    contact = StringField(
        "Contact for this meeting",
        description="Who to ask about the meeting, as the printed agenda gives it: for example "
        "'Jane Smith, Democratic Services, 01772 000000, jane.smith@example.gov.uk'. Optional",
        widget=GovTextInput(),
        validators=[Length(max=300, message="Contact must be 300 characters or fewer")],
    )

    def validate_held_on(self, field) -> None:
        if field.data is None and not field.errors:
            raise ValidationError("Enter the date of the meeting")


class ItemForm(VersionedForm):
    number = StringField(
        "Item number",
        description="Leave blank to number it next in order",
        widget=GovTextInput(),
        validators=[Length(max=10)],
    )
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the item's title"),
            Length(max=300),
        ],
    )
    description = TextAreaField(
        "Description",
        widget=GovTextArea(),
        validators=[Length(max=20000)],
    )
    lead_officer_id = SelectField("Lead officer", widget=GovSelect(), validators=[Optional()])
    exempt_paragraph = SelectField(
        "Exempt information",
        description="Only if the item is to be taken in private under Schedule 12A to the "
        "Local Government Act 1972",
        widget=GovSelect(),
        validators=[Optional()],
    )
    urgency_reason = TextAreaField(
        "Reason for urgency",
        description="The agenda has been published, so this is a supplementary item. The "
        "meeting can take it only if the chair agrees it is urgent, for the special "
        "circumstances given here, which the minutes record (Local Government Act 1972, "
        "section 100B(4)(b))",
        widget=GovCharacterCount(),
        validators=[Length(max=2000)],
    )


class PublishForm(VersionedForm):
    reason = TextAreaField(
        "Reason for short notice (urgency)",
        widget=GovCharacterCount(),
        validators=[Length(max=2000, message="Reason must be 2,000 characters or fewer")],
    )
    submit = SubmitField("Publish the agenda", widget=GovSubmitInput())


class GuestForm(GovForm):
    person_id = SelectField("Person", widget=GovSelect(), validators=[Optional()])
    name = StringField(
        "Or their name and role",
        description="For someone not in the registry, for example 'Customer Services Manager, LCC'",
        widget=GovTextInput(),
        validators=[Length(max=200, message="Name must be 200 characters or fewer")],
    )
    capacity = SelectField(
        "In attendance as",
        choices=enum_choices(GuestCapacity),
        default=GuestCapacity.OFFICER.value,
        widget=GovRadioInput(),
        validators=[InputRequired("Select why they attended")],
    )
    submit = SubmitField("Add", widget=GovSubmitInput())


class DeclarationForm(GovForm):
    person_id = SelectField(
        "Member", widget=GovSelect(), validators=[InputRequired("Select the member")]
    )
    item_id = SelectField("Item", widget=GovSelect(), validators=[InputRequired("Select the item")])
    kind = SelectField(
        "Kind of interest",
        choices=enum_choices(DeclarationKind),
        widget=GovRadioInput(),
        validators=[InputRequired("Select the kind of interest")],
    )
    text = TextAreaField(
        "The interest declared",
        widget=GovTextArea(),
        validators=[
            InputRequired("Describe the interest"),
            Length(max=2000, message="The interest must be 2,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Record the declaration", widget=GovSubmitInput())


class MinuteForm(VersionedForm):
    minutes = TextAreaField(
        "Minute",
        description="What was discussed, as it will appear in the minutes",
        widget=GovTextArea(),
        validators=[Length(max=50000, message="The minute must be 50,000 characters or fewer")],
    )
    outcome = SelectField(
        "Outcome",
        choices=enum_choices(Outcome, blank="No outcome (for example, an information item)"),
        widget=GovSelect(),
        validators=[Optional()],
    )
    resolutions = TextAreaField(
        "Resolutions",
        description="One resolution per paragraph (leave a blank line between them); they are "
        "numbered in order. For example: That the minutes of the meeting held on 26 October "
        "2006 be confirmed as a correct record.",
        widget=GovTextArea(),
        validators=[Length(max=20000)],
    )
    submit = SubmitField("Save the minute", widget=GovSubmitInput())


class ConfirmMinutesForm(GovForm):
    earlier_id = SelectField(
        "Minutes to confirm",
        widget=GovRadioInput(),
        validators=[InputRequired("Choose the minutes this meeting confirmed")],
    )
    submit = SubmitField("Confirm as a correct record", widget=GovSubmitInput())


class CorrectionForm(GovForm):
    item_id = SelectField("Item corrected", widget=GovSelect(), validators=[Optional()])
    text = TextAreaField(
        "Correction",
        widget=GovTextArea(),
        validators=[
            InputRequired("Enter the correction"),
            Length(max=5000, message="The correction must be 5,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Add the correction", widget=GovSubmitInput())


class ActionForm(VersionedForm):
    text = TextAreaField(
        "Action",
        widget=GovTextArea(),
        validators=[
            InputRequired("Describe the action"),
            Length(max=2000, message="The action must be 2,000 characters or fewer"),
        ],
    )
    owner_id = SelectField("Owner", widget=GovSelect(), validators=[Optional()])
    owner_partner_id = SelectField(
        "Partner responsible",
        widget=GovSelect(),
        validators=[InputRequired("Select the partner whose action this is")],
    )
    due_on = GovDateField("Due by", description="Optional")
    done_on = GovDateField("Done on", description="Fill in when the action is complete")


class MinutesStatusForm(VersionedForm):
    submit = SubmitField("Publish the minutes", widget=GovSubmitInput())


class AttendanceForm(GovForm):
    """The CSRF token and button; one radio group per member is read by ``read_attendance``."""

    submit = SubmitField("Save attendance", widget=GovSubmitInput())


def read_attendance(formdata, people: list[int]):
    """The attendance entries a submitted form gives, and per-field problems.

    Fields: ``status-<person id>`` (present, apologies, absent, substitute or blank for "not
    recorded") and ``substitute_for-<person id>``.
    """
    from govtrack.meetings.enums import AttendanceStatus
    from govtrack.meetings.rules import AttendanceEntry

    entries, problems = [], {}
    for person_id in people:
        raw = (formdata.get(f"status-{person_id}") or "").strip()
        if not raw:
            continue
        try:
            status = AttendanceStatus(raw)
        except ValueError:
            problems[f"person-{person_id}"] = "Choose present, apologies, absent or substitute"
            continue
        substitute_for = formdata.get(f"substitute_for-{person_id}") or ""
        entries.append(
            AttendanceEntry(
                person_id=person_id,
                status=status,
                substitute_for_id=int(substitute_for) if substitute_for.isdigit() else None,
            )
        )
    return entries, problems
