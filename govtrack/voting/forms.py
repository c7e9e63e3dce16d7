"""Forms for decision rules, motions, recording the vote, and an absent voter's vote."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from govtrack.core.forms import GovDateField, GovForm, VersionedForm, enum_choices
from govtrack.voting import enums, rules

THRESHOLDS = [
    SelectChoice("1/2", "Half"),
    SelectChoice("2/3", "Two-thirds"),
    SelectChoice("3/4", "Three-quarters"),
    SelectChoice("1/1", "All"),
]


class RuleVersionForm(GovForm):
    label = StringField(
        "Name of this version",
        description="For example, 'Revised constitution: majority vote, absent partners respond "
        "electronically'",
        widget=GovTextInput(),
        validators=[InputRequired("Name this version of the rules"), Length(max=200)],
    )
    effective_from = GovDateField(
        "In force from", description="Decisions on or after this date are judged by it"
    )
    voting_unit = SelectField(
        "Votes",
        choices=enum_choices(enums.VotingUnit),
        default=rules.LGA1972_DEFAULTS.voting_unit.value,
        widget=GovRadioInput(),
    )
    quorum_kind = SelectField(
        "Quorum",
        choices=[
            SelectChoice("none", "None set (the 1972 Act sets none for committees)"),
            SelectChoice("number", "A number"),
            SelectChoice("fraction", "A fraction, rounded up"),
        ],
        default="none",
        widget=GovRadioInput(),
    )
    quorum_number = IntegerField(
        "Quorum: number",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=0, max=1000)],
    )
    quorum_fraction = StringField(
        "Quorum: fraction",
        description="For example 1/3",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=10)],
    )
    quorum_of = SelectField(
        "Quorum counts",
        choices=enum_choices(enums.QuorumOf),
        default=rules.LGA1972_DEFAULTS.quorum_of.value,
        widget=GovRadioInput(),
    )
    quorum_minimum = IntegerField(
        "Quorum: at least",
        widget=GovTextInput(),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=1000)],
    )
    quorum_every_partner = BooleanField(
        "At least one representative of every partner must be present", widget=GovCheckboxInput()
    )
    majority = SelectField(
        "Majority",
        choices=[SelectChoice(p.key, p.label) for p in rules.majority_presets()]
        + [SelectChoice("custom", "Other: as set below")],
        default="simple",
        widget=GovSelect(),
    )
    threshold = SelectField("Threshold", choices=THRESHOLDS, default="1/2", widget=GovSelect())
    comparison = SelectField(
        "Comparison",
        choices=enum_choices(enums.Comparison),
        default=rules.LGA1972_DEFAULTS.comparison.value,
        widget=GovRadioInput(),
    )
    base = SelectField(
        "Of",
        choices=enum_choices(enums.MajorityBase),
        default=rules.LGA1972_DEFAULTS.base.value,
        widget=GovSelect(),
    )
    abstentions_in_base = BooleanField("Abstentions count in the base", widget=GovCheckboxInput())
    tie_rule = SelectField(
        "On an equality of votes",
        choices=enum_choices(enums.TieRule),
        default=rules.LGA1972_DEFAULTS.tie_rule.value,
        widget=GovRadioInput(),
    )
    electronic_mode = SelectField(
        "Electronic voting",
        choices=enum_choices(enums.ElectronicMode),
        default=rules.LGA1972_DEFAULTS.electronic_mode.value,
        widget=GovRadioInput(),
    )
    electronic_counts_for_quorum = BooleanField(
        "Counted electronic votes count towards the quorum", widget=GovCheckboxInput()
    )
    response_window_days = IntegerField(
        "Response window (working days)",
        default=5,
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=0, max=60)],
    )
    close_early = BooleanField(
        "Close early once every entitled voter has voted", widget=GovCheckboxInput()
    )
    hide_tally_until_closed = BooleanField(
        "Keep the running tally and electronic votes hidden until the decision closes",
        description="Otherwise (as recorded votes are public) everyone can follow the count",
        widget=GovCheckboxInput(),
    )
    note = TextAreaField(
        "Note",
        description="Where the rules come from, for example the constitution's clause",
        widget=GovTextArea(),
        validators=[Length(max=5000)],
    )
    submit = SubmitField("Add this version", widget=GovSubmitInput())

    # Fields that say nothing under the choice made above them (a preset majority sets its own
    # four; no quorum has no number or fraction; no electronic voting has no window), so what
    # they hold is ignored rather than refused.
    _APPLIES = {
        "quorum_number": lambda f: f.quorum_kind.data == "number",
        "quorum_fraction": lambda f: f.quorum_kind.data == "fraction",
        "threshold": lambda f: f.majority.data == "custom",
        "comparison": lambda f: f.majority.data == "custom",
        "base": lambda f: f.majority.data == "custom",
        "abstentions_in_base": lambda f: f.majority.data == "custom",
        "electronic_counts_for_quorum": lambda f: f.electronic_mode.data != "off",
        "response_window_days": lambda f: f.electronic_mode.data != "off",
        "close_early": lambda f: f.electronic_mode.data != "off",
        "hide_tally_until_closed": lambda f: f.electronic_mode.data != "off",
    }

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators=extra_validators)
        for name, applies in self._APPLIES.items():
            field = self[name]
            if not applies(self):
                field.errors = []
                field.data = field.default
        return not self.errors

    def validate_effective_from(self, field) -> None:
        if field.data is None and not field.errors:
            raise ValidationError("Enter the date this version is in force from")

    def validate_quorum_fraction(self, field) -> None:
        if self.quorum_kind.data == "fraction":
            from fractions import Fraction

            try:
                Fraction((field.data or "").strip())
            except (ValueError, ZeroDivisionError) as exc:
                raise ValidationError("Give the fraction like 1/3") from exc

    def validate_quorum_number(self, field) -> None:
        if self.quorum_kind.data == "number" and field.data is None:
            raise ValidationError("Give the quorum as a number")


class MotionForm(GovForm):
    text = TextAreaField(
        "Motion",
        description="As moved, for example 'That the alternative proposal be accepted'",
        widget=GovTextArea(),
        validators=[InputRequired("Enter the motion"), Length(max=5000)],
    )
    proposer_id = SelectField("Proposed by", widget=GovSelect(), validators=[Optional()])
    seconder_id = SelectField("Seconded by", widget=GovSelect(), validators=[Optional()])
    amends_id = SelectField(
        "Amends",
        description="Only for an amendment, which is voted on before the motion",
        widget=GovSelect(),
        validators=[Optional()],
    )
    submit = SubmitField("Record the motion", widget=GovSubmitInput())


class MotionCorrectionForm(VersionedForm):
    text = TextAreaField(
        "Motion",
        description="As moved",
        widget=GovTextArea(),
        validators=[InputRequired("Enter the motion"), Length(max=5000)],
    )
    proposer_id = SelectField("Proposed by", widget=GovSelect(), validators=[Optional()])
    seconder_id = SelectField("Seconded by", widget=GovSelect(), validators=[Optional()])
    submit = SubmitField("Save the correction", widget=GovSubmitInput())


class RecordVoteForm(GovForm):
    """The clerk's form; one radio group per voter present is read from the request."""

    method = SelectField(
        "How the vote was taken",
        choices=[
            SelectChoice("counts", "Show of hands: record the counts"),
            SelectChoice("recorded", "Recorded (named) vote: record each member's vote"),
        ],
        default="counts",
        widget=GovRadioInput(),
    )
    meeting_for = IntegerField(
        "For",
        default=0,
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=0, max=1000)],
    )
    meeting_against = IntegerField(
        "Against",
        default=0,
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=0, max=1000)],
    )
    meeting_abstain = IntegerField(
        "Abstentions",
        default=0,
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=0, max=1000)],
    )
    presiding_id = SelectField("Presiding", widget=GovSelect(), validators=[Optional()])
    casting_vote = SelectField(
        "Casting vote (only on an equality of votes)",
        choices=[SelectChoice("", "None given"), *enum_choices(enums.Choice)],
        widget=GovSelect(),
        validators=[Optional()],
    )
    electronic = BooleanField(
        "Put the decision to absent voters electronically (where the rules allow)",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Record the vote", widget=GovSubmitInput())


class CastVoteForm(GovForm):
    choice = SelectField(
        "Your vote",
        choices=enum_choices(enums.Choice),
        widget=GovRadioInput(),
        validate_choice=False,  # AnyOf says it, with the same message, for any other value
        validators=[
            InputRequired("Choose For, Against or Abstain"),
            AnyOf([c.value for c in enums.Choice], "Choose For, Against or Abstain"),
        ],
    )
    submit = SubmitField("Cast my vote", widget=GovSubmitInput())


def word_cast_form(form: CastVoteForm, consultation: bool) -> None:
    """Where responses are consultation only, the form asks for a response, not a vote."""
    if consultation:
        form.choice.label.text = "Your response (consultation: it does not count)"
        form.submit.label.text = "Send my response"
