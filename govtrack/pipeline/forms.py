"""Forms of the pipeline: a service, a move between stages, a directorate."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from govtrack.core.forms import (
    ChoiceField,
    GovDateField,
    GovForm,
    VersionedForm,
    coerce_optional_int,
)
from govtrack.core.views import add_problems
from govtrack.pipeline import rules
from govtrack.pipeline.enums import Mechanism, MechanismStatus, Stage
from govtrack.pipeline.rules import REASON_MAX


def pipeline_date(label: str, **kwargs) -> GovDateField:
    """A date box whose range the pipeline's rules check (from rules.EARLIEST_DAY; not in the
    future, or not too far ahead), so the user reads their message, which says what the limit
    is for, rather than the generic range of every date field."""
    return GovDateField(label, earliest=None, latest=None, **kwargs)


def stage_choices(blank: str | None = None) -> list[SelectChoice]:
    choices = [SelectChoice("", blank)] if blank is not None else []
    return choices + [SelectChoice(str(s.value), s.numbered) for s in Stage]


def coerce_stage(value) -> Stage | None:
    """A stage from the posted number; an unknown one is refused by the field's choices."""
    if value in (None, "", "None"):
        return None
    stage = Stage.parse(str(value))
    if stage is None:
        raise ValueError("Choose a stage from the list")
    return stage


class WholeNumberField(Field):
    """A count typed as text ("1,234" allowed); words or fractions are refused clearly."""

    widget = GovTextInput()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        text = (valuelist[0] if valuelist else "").strip().replace(",", "")
        if not text:
            return
        try:
            self.data = int(text)
        except ValueError as exc:
            raise ValueError(
                f"{self.label.text} must be a whole number, like 1234, or left empty"
            ) from exc


class ServiceForm(VersionedForm):
    """The view sets ``rule_problems``: the service's rules for the submitted values (the same
    ones saving applies), so every problem shows in one submission."""

    rule_problems: Callable[[], Mapping[str, str | None]] | None = None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.rule_problems is None:
            return valid
        # A field the form's own checks refused keeps that one message.
        found = {
            name: message
            for name, message in self.rule_problems().items()
            if message and not (name in self and self[name].errors)
        }
        add_problems(self, found)
        return valid and not found

    name = StringField(
        "Service name",
        validators=[
            InputRequired("Enter the service's name"),
            Length(max=200, message="Service name must be 200 characters or fewer"),
        ],
        widget=GovTextInput(),
    )
    partner_id = ChoiceField(
        "Owning partner",
        invalid="Choose the owning partner from the list",
        coerce=coerce_optional_int,
        widget=GovSelect(),
        validators=[InputRequired("Choose the partner that owns the service")],
    )
    directorate_id = ChoiceField(
        "Directorate",
        invalid="Choose a directorate from the list: that one is not known",
        coerce=coerce_optional_int,
        widget=GovSelect(),
        validators=[Optional()],
        description="Directorates are kept per partner on the Directorates page.",
    )
    stage = ChoiceField(
        "Status / project stage",
        invalid="Choose a stage from the list: stages are 1 Mandate to 7 Operational",
        coerce=coerce_stage,
        choices=stage_choices(),
        widget=GovSelect(),
        validators=[InputRequired("Choose the stage the service is at")],
    )
    stage_since = pipeline_date(
        "Date the service reached this stage", description="For example, 22 3 2007"
    )
    partially_integrated = BooleanField(
        "Only partially integrated", widget=GovCheckboxInput(), validators=[Optional()]
    )
    date_integrated = pipeline_date(
        "Date integrated", description="Needed once the service is Operational."
    )
    planned_integration_date = pipeline_date("Planned integration date")
    integration_lead = StringField(
        "Integration lead",
        validators=[Length(max=120, message="Integration lead must be 120 characters or fewer")],
        widget=GovTextInput(),
        description="As the team writes it, for example C/Team, CSC or ICT/T401.",
    )
    further_integration = TextAreaField(
        "Potential for further integration",
        widget=GovTextArea(),
        validators=[
            Optional(),
            Length(
                max=rules.FURTHER_INTEGRATION_MAX,
                message=f"Potential for further integration must be "
                f"{rules.FURTHER_INTEGRATION_MAX:,} characters or fewer",
            ),
        ],
    )
    enquiries_per_month = WholeNumberField(
        "Average contact-centre telephone enquiries a month",
        description="A whole number; leave empty if not known.",
    )
    head_of_service = StringField(
        "Head of service",
        validators=[Length(max=300, message="Head of service must be 300 characters or fewer")],
        widget=GovTextInput(),
    )
    head_of_service_meeting = pipeline_date("Date of the head-of-service meeting")
    head_of_service_meeting_note = StringField(
        "Head-of-service meeting note",
        validators=[
            Length(max=120, message="Head-of-service meeting note must be 120 characters or fewer")
        ],
        widget=GovTextInput(),
        description='When there was no meeting of its own, for example "via CASDT" or "b/f".',
    )
    note = TextAreaField(
        "Notes",
        widget=GovTextArea(),
        validators=[
            Optional(),
            Length(
                max=rules.NOTE_MAX, message=f"Notes must be {rules.NOTE_MAX:,} characters or fewer"
            ),
        ],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def mechanism_fields(self) -> list[tuple[Mechanism, Field]]:
        return [(m, self[f"mechanism_{m.value}"]) for m in Mechanism]

    def mechanism_values(self) -> dict[str, str]:
        return {m.value: f.data for m, f in self.mechanism_fields() if f.data}


_MECHANISM_CHOICES = [SelectChoice("", "Not marked")] + [
    SelectChoice(s.value, s.label) for s in MechanismStatus
]
for _mechanism in Mechanism:
    setattr(
        ServiceForm,
        f"mechanism_{_mechanism.value}",
        ChoiceField(
            _mechanism.label,
            choices=_MECHANISM_CHOICES,
            widget=GovSelect(),
            validators=[Optional()],
        ),
    )


class MoveForm(GovForm):
    """Move a service to another stage; carries the stage and version the form was opened on."""

    from_stage = HiddenField()
    version = HiddenField()
    next = HiddenField()
    to_stage = ChoiceField(
        "Move to stage",
        invalid="Choose a stage from the list: stages are 1 Mandate to 7 Operational",
        coerce=coerce_stage,
        choices=stage_choices(blank="Choose a stage"),
        widget=GovSelect(),
        validators=[InputRequired("Choose the stage to move the service to")],
    )
    moved_on = pipeline_date("Date of the move", description="Leave empty for today.")
    date_integrated = pipeline_date(
        "Date integrated", description="Needed when the service becomes Operational."
    )
    reason = TextAreaField(
        "Reason",
        widget=GovTextArea(),
        validators=[
            Optional(),
            Length(max=REASON_MAX, message=f"Reason must be {REASON_MAX:,} characters or fewer"),
        ],
        description="Needed when moving back, skipping a stage or correcting a wrong move.",
    )
    submit = SubmitField("Move", widget=GovSubmitInput())

    def validate_to_stage(self, field) -> None:
        if field.data is None:
            raise ValidationError("Choose the stage to move the service to")


class DirectorateForm(VersionedForm):
    partner_id = ChoiceField(
        "Partner",
        coerce=coerce_optional_int,
        widget=GovSelect(),
        validators=[InputRequired("Choose the partner")],
    )
    code = StringField(
        "Short code",
        validators=[
            InputRequired("Enter the directorate's short code, like ENV"),
            Length(max=20, message="Short code must be 20 characters or fewer"),
        ],
        widget=GovTextInput(),
    )
    name = StringField(
        "Name",
        validators=[Length(max=160, message="Directorate name must be 160 characters or fewer")],
        widget=GovTextInput(),
    )
    submit = SubmitField("Save", widget=GovSubmitInput())
