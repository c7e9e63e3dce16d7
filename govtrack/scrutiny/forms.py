"""Forms for inquiries, recommendations, responses, progress updates and reviews."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from govtrack.core import rag
from govtrack.core.dates import today
from govtrack.core.forms import (
    GovDateField,
    GovForm,
    VersionedForm,
    WebLinks,
    coerce_optional_int,
    enum_choices,
)
from govtrack.scrutiny import enums, rules
from govtrack.scrutiny.enums import EventKind


def _enum(cls, value):
    """The member for a submitted value; None for blank or anything not a member."""
    return cls(value) if value in {m.value for m in cls} else None


class InquiryForm(VersionedForm):
    body_id = SelectField(
        "Scrutiny body",
        widget=GovSelect(),
        coerce=coerce_optional_int,
        validators=[InputRequired("Choose the scrutiny body that ran the inquiry")],
    )
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the inquiry's title"), Length(max=300)],
    )
    terms_of_reference = TextAreaField(
        "Terms of reference", widget=GovTextArea(), validators=[Length(max=20000)]
    )
    scope = TextAreaField("Scope", widget=GovTextArea(), validators=[Length(max=20000)])
    started_on = GovDateField("Started on", description="For example, 26 10 2006")
    reported_on = GovDateField(
        "Final report received on",
        description="The day the executive received the report: response deadlines run from it",
    )
    response_days = IntegerField(
        "Days other partners have to respond",
        description="From the partnership agreement. The scrutiny body's own council has two "
        "months (Local Government Act 2000 s.9FE)",
        default=rules.DEFAULT_PARTNER_RESPONSE_DAYS,
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the number of days other partners have to respond"),
            NumberRange(min=1, max=3650, message="Give a number of days between 1 and 3650"),
        ],
    )
    final_report_url = StringField(
        "Link to the final report",
        description="A web address, for example the report on the council's website",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=500), WebLinks()],
    )
    evidence_meeting_ids = SelectMultipleField(
        "Meetings that took evidence",
        coerce=int,
        widget=GovCheckboxesInput(),
        validators=[Optional()],
    )
    submit = SubmitField("Save inquiry", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        # The dates' order is a rule the service checks too: named here as well, so it shows
        # in the same round as a field's own problem (a bad link, say).
        valid = super().validate(extra_validators)
        problem = rules.inquiry_dates_problem(self.started_on.data, self.reported_on.data)
        return _add_rule_problems(self, {"reported_on": problem}) and valid


class RecommendationForm(VersionedForm):
    reference = StringField(
        "Reference",
        description="As in the report, for example 4.a",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the recommendation's reference"), Length(max=20)],
    )
    group = StringField(
        "Objective or key issue",
        description="For example, Objective/Key Issue 2: Partnership Working",
        widget=GovTextInput(),
        validators=[Length(max=200)],
    )
    text = TextAreaField(
        "Recommendation",
        widget=GovTextArea(),
        validators=[InputRequired("Enter the recommendation"), Length(max=20000)],
    )
    addressee_ids = SelectMultipleField(
        "Addressed to",
        description="The executive of each partner it is addressed to. Choose none for the "
        "partnership as a whole",
        coerce=int,
        widget=GovCheckboxesInput(),
        validators=[Optional()],
    )
    lead_officer_id = SelectField(
        "Lead officer", widget=GovSelect(), coerce=coerce_optional_int, validators=[Optional()]
    )
    target_date = GovDateField("Target date")
    next_review_on = GovDateField(
        "Next review", description="Leave blank for six months after the report"
    )
    submit = SubmitField("Save recommendation", widget=GovSubmitInput())


def _add_rule_problems(form: FlaskForm, problems: dict[str, str | None]) -> bool:
    """Attach the service's rule failures to fields the form's own checks passed, so every
    problem shows in one round; False if there were any."""
    found = False
    for name, message in problems.items():
        field = getattr(form, name, None)
        if message and field is not None and not field.errors:
            field.errors = [*field.errors, message]
            found = True
    return not found


class ResponseForm(GovForm):
    """The view sets ``addressee_ids`` and ``earliest`` (the recommendation's) before
    validating."""

    addressee_ids: tuple[int, ...] = ()
    earliest: rules.Earliest | None = None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        decision = self.decision.data
        problems = rules.response_problems(
            partner_id=self.partner_id.data,
            addressee_ids=self.addressee_ids,
            decision=enums.ResponseDecision(decision)
            if decision in {d.value for d in enums.ResponseDecision}
            else None,
            responded_on=self.responded_on.data,
            reasons=self.reasons.data or "",
            today=today(),
            earliest=self.earliest,
        )
        return _add_rule_problems(self, problems) and valid

    partner_id = SelectField(
        "Partner",
        widget=GovRadioInput(),
        coerce=coerce_optional_int,
        validators=[InputRequired("Choose the partner whose response this is")],
    )
    decision = SelectField(
        "Decision",
        choices=enum_choices(enums.ResponseDecision),
        widget=GovRadioInput(),
        validators=[InputRequired("Choose the partner's decision")],
    )
    text = TextAreaField("Response", widget=GovTextArea(), validators=[Length(max=20000)])
    reasons = TextAreaField(
        "Reasons",
        description="Required unless the recommendation is accepted",
        widget=GovTextArea(),
        validators=[Length(max=20000)],
    )
    responded_on = GovDateField("Date of the response")
    submit = SubmitField("Record response", widget=GovSubmitInput())


class UpdateForm(GovForm):
    """The view sets ``current_status`` and ``earliest`` (the recommendation's) before
    validating."""

    current_status: enums.Status = enums.Status.NOT_STARTED
    earliest: rules.Earliest | None = None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        entry = rules.UpdateInput(
            on=self.on.data,
            text=self.text.data or "",
            assessment=_enum(enums.Assessment, self.assessment.data),
            status=_enum(enums.Status, self.status.data),
            new_target_date=self.new_target_date.data,
            slip_reason=self.slip_reason.data or "",
            rag_override=_enum(rag.RAG, self.rag_override.data),
            rag_reason=self.rag_reason.data or "",
            rag_override_until=self.rag_override_until.data,
        )
        problems = rules.update_problems(entry, self.current_status, today(), self.earliest)
        return _add_rule_problems(self, problems) and valid

    partner_id = SelectField(
        "Whose update", widget=GovSelect(), coerce=coerce_optional_int, validators=[Optional()]
    )
    on = GovDateField("Date of the update", description="Today or earlier")
    text = TextAreaField(
        "Progress",
        widget=GovTextArea(),
        validators=[InputRequired("Enter the update"), Length(max=20000)],
    )
    assessment = SelectField(
        "Assessment",
        choices=enum_choices(enums.Assessment, blank="No assessment"),
        widget=GovRadioInput(),
        validators=[Optional()],
    )
    new_target_date = GovDateField(
        "New target date", description="Required if the recommendation has slipped"
    )
    slip_reason = TextAreaField(
        "Why it has slipped",
        description="Required if the recommendation has slipped",
        widget=GovTextArea(),
        validators=[Length(max=5000)],
    )
    status = SelectField(
        "Status",
        choices=[SelectChoice("", "No change")]
        + [SelectChoice(s.value, s.label) for s in rules.UPDATE_STATUSES],
        widget=GovSelect(),
        validators=[Optional()],
    )
    rag_override = SelectField(
        "RAG",
        description="Normally derived from the target date and status. Override it only with "
        "a reason",
        choices=[SelectChoice("", "Derived from the target date and status")]
        + [SelectChoice(c.value, f"Override: {c.label}") for c in rag.OVERRIDABLE],
        widget=GovSelect(),
        validators=[Optional()],
    )
    rag_reason = StringField(
        "Reason for overriding the RAG", widget=GovTextInput(), validators=[Length(max=300)]
    )
    rag_override_until = GovDateField(
        "Override until",
        description="Required with an override: from this date the RAG is derived from the "
        "target date and status again",
    )
    evidence_links = TextAreaField(
        "Evidence links",
        description="Web addresses of reports or minutes, one a line",
        widget=GovTextArea(),
        validators=[Length(max=5000), WebLinks(lines=True)],
    )
    corrects_id = SelectField(
        "Corrects an earlier update",
        description="An update is never changed once submitted: a correction is a new update "
        "that names the one it corrects",
        widget=GovSelect(),
        coerce=coerce_optional_int,
        validators=[Optional()],
    )
    submit = SubmitField("Submit update", widget=GovSubmitInput())


class ReviewForm(GovForm):
    kind = SelectField(
        "Kind",
        choices=[
            SelectChoice(EventKind.CHALLENGE.value, "Challenge: the update needs more evidence"),
            SelectChoice(EventKind.COMMENT.value, "Comment"),
        ],
        default=EventKind.COMMENT.value,
        widget=GovRadioInput(),
        validators=[InputRequired("Choose challenge or comment")],
    )
    update_id = SelectField(
        "About the update", widget=GovSelect(), coerce=coerce_optional_int, validators=[Optional()]
    )
    text = TextAreaField(
        "Challenge or comment",
        widget=GovTextArea(),
        validators=[InputRequired("Enter the challenge or comment"), Length(max=20000)],
    )
    next_review_on = GovDateField(
        "Next review", description="Leave blank for six months from today"
    )
    submit = SubmitField("Record review", widget=GovSubmitInput())


class SignOffForm(GovForm):
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    text = TextAreaField("Comment", widget=GovTextArea(), validators=[Length(max=20000)])
    submit = SubmitField("Sign off as complete", widget=GovSubmitInput())


class ReopenForm(GovForm):
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    text = TextAreaField(
        "Why it is reopened",
        widget=GovTextArea(),
        validators=[InputRequired("Give the reason for reopening"), Length(max=20000)],
    )
    submit = SubmitField("Reopen", widget=GovSubmitInput())


class FinalReportForm(GovForm):
    file = FileField(
        "Final report",
        widget=GovFileInput(),
        validators=[FileRequired("Select the final report to upload")],
    )
    submit = SubmitField("Upload the final report", widget=GovSubmitInput())
