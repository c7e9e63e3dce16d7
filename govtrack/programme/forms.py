"""Forms of the programme: a milestone, its forecast, a re-baseline, its completion, a RAG
override; an objective, a work-plan action, and what serves an objective."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import IntegerField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from govtrack.core.forms import ChoiceField, GovDateField, VersionedForm, coerce_optional_int
from govtrack.programme.rules import OVERRIDE_REASON_MAX, OVERRIDE_REASON_TOO_LONG


class MultiChoiceField(SelectMultipleField):
    """Checkboxes of records by id; an unknown id is refused with a message."""

    widget = GovCheckboxesInput()

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        super().__init__(label, validators, coerce=int, **kwargs)

    def pre_validate(self, form) -> None:
        known = {int(c.value) if hasattr(c, "value") else int(c[0]) for c in self.choices or []}
        if any(value not in known for value in self.data or []):
            raise ValidationError(f"Choose {self.label.text.lower()} from the list")


class MilestoneForm(VersionedForm):
    title = StringField(
        "Title",
        validators=[InputRequired("Enter the milestone's title"), Length(max=300)],
        widget=GovTextInput(),
    )
    objective_id = ChoiceField(
        "Objective",
        coerce=coerce_optional_int,
        widget=GovSelect(),
        validators=[Optional()],
        invalid="Choose an objective from the list",
    )
    workstream = StringField(
        "Workstream",
        validators=[Length(max=120)],
        widget=GovTextInput(),
        description="For example Telephony, Self Service, Face-to-Face.",
    )
    owner_partner_id = ChoiceField(
        "Owning partner",
        coerce=coerce_optional_int,
        widget=GovSelect(),
        validators=[Optional()],
        invalid="Choose the owning partner from the list",
    )
    owner_person_id = ChoiceField(
        "Owner (person)",
        coerce=coerce_optional_int,
        widget=GovSelect(),
        validators=[Optional()],
        invalid="Choose the owner from the list",
    )
    baseline_date = GovDateField("Baseline date", description="For example, 30 4 2007")
    forecast_date = GovDateField("Forecast date", description="Leave empty if on baseline.")
    status = ChoiceField(
        "Status", widget=GovSelect(), validators=[Optional()], invalid="Choose a status"
    )
    predecessor_ids = MultiChoiceField("Predecessors", validators=[Optional()])
    notes = TextAreaField("Notes", widget=GovTextArea(), validators=[Optional()])
    submit = SubmitField("Save", widget=GovSubmitInput())


class ForecastForm(VersionedForm):
    forecast_date = GovDateField(
        "New forecast date",
        description="When the milestone is now expected, for example 31 10 2007.",
    )
    status = ChoiceField(
        "Status", widget=GovRadioInput(), validators=[InputRequired("Choose the status")]
    )
    comment = TextAreaField(
        "Why, and what is being done",
        widget=GovTextArea(),
        validators=[Optional()],
        description="Needed when the forecast moves later or the milestone is marked missed.",
    )
    submit = SubmitField("Save the forecast", widget=GovSubmitInput())


class RebaselineForm(VersionedForm):
    baseline_date = GovDateField("New baseline date")
    reason = TextAreaField(
        "Reason for re-baselining",
        widget=GovTextArea(),
        validators=[Optional()],
        description="The old baseline is kept and shown on the milestone's page.",
    )
    submit = SubmitField("Re-baseline", widget=GovSubmitInput())


class CompletionForm(VersionedForm):
    actual_date = GovDateField("Date achieved", description="Today or in the past.")
    comment = TextAreaField("Comment", widget=GovTextArea(), validators=[Optional()])
    submit = SubmitField("Record completion", widget=GovSubmitInput())


class OverrideForm(VersionedForm):
    confidence = ChoiceField(
        "RAG to show", widget=GovRadioInput(), validators=[Optional()], invalid="Choose a RAG"
    )
    reason = TextAreaField(
        "Reason",
        widget=GovTextArea(),
        validators=[
            Optional(),
            Length(max=OVERRIDE_REASON_MAX, message=OVERRIDE_REASON_TOO_LONG),
        ],
    )
    expires_on = GovDateField(
        "Override expires on",
        description="After this date the derived RAG shows again. Must be after today.",
    )
    submit = SubmitField("Override the RAG", widget=GovSubmitInput())


class ObjectiveForm(VersionedForm):
    number = IntegerField(
        "Number",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the objective's number"),
            NumberRange(min=1, max=999, message="The number must be from 1 to 999"),
        ],
    )
    title = StringField(
        "Title",
        validators=[InputRequired("Enter the objective's title"), Length(max=300)],
        widget=GovTextInput(),
    )
    text = TextAreaField("Text", widget=GovTextArea(), validators=[Optional()])
    submit = SubmitField("Save", widget=GovSubmitInput())


class ActionForm(VersionedForm):
    title = StringField(
        "Action",
        validators=[InputRequired("Enter what the action is"), Length(max=300)],
        widget=GovTextInput(),
    )
    owner_partner_id = ChoiceField(
        "Owning partner",
        coerce=coerce_optional_int,
        widget=GovSelect(),
        validators=[Optional()],
        invalid="Choose the owning partner from the list",
    )
    due = GovDateField("Due date")
    status = ChoiceField("Status", widget=GovSelect(), validators=[Optional()])
    done_on = GovDateField("Date done", description="Only for a complete action.")
    submit = SubmitField("Save", widget=GovSubmitInput())


class LinksForm(VersionedForm):
    service_ids = MultiChoiceField("Services", validators=[Optional()])
    recommendation_ids = MultiChoiceField("Recommendations", validators=[Optional()])
    submit = SubmitField("Save", widget=GovSubmitInput())


class ProgrammeForm(VersionedForm):
    name = StringField(
        "Name",
        validators=[InputRequired("Enter the programme's name"), Length(max=200)],
        widget=GovTextInput(),
    )
    starts_on = GovDateField(
        "Start date", description="No milestone date may be earlier than this."
    )
    reporting = ChoiceField("Reports in", widget=GovRadioInput(), validators=[Optional()])
    slip_tolerance_days = IntegerField(
        "Slip tolerance (days)",
        widget=GovTextInput(),
        description="A forecast up to this many days after the baseline is amber; beyond, red.",
        validators=[
            InputRequired("Enter the slip tolerance in days"),
            NumberRange(min=0, max=3650, message="The slip tolerance must be 0 to 3650 days"),
        ],
    )
    due_soon_days = IntegerField(
        "“Due soon” window (days)",
        widget=GovTextInput(),
        description="A milestone due within this many days is amber.",
        validators=[
            InputRequired("Enter the “due soon” window in days"),
            NumberRange(min=0, max=3650, message="The “due soon” window must be 0 to 3650 days"),
        ],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())
