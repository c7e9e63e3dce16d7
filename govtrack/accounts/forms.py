"""Forms of the accounts pages: invite a person, grant a right. Choices of rights, bodies,
partners and people are set by the view; a value not among them is refused."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import Email, InputRequired, Length, Optional

from govtrack.auth.enums import Role
from govtrack.core.forms import ChoiceField, GovForm, coerce_optional_int


def coerce_right(value) -> Role | None:
    if value in (None, "", "None"):
        return None
    return value if isinstance(value, Role) else Role(value)


def _stripped(value):
    """An address pasted with spaces around it is still the address."""
    return value.strip() if isinstance(value, str) else value


class _Invitee(GovForm):
    """Who is invited (declared first: WTForms shows fields in the order they were made)."""

    email = StringField(
        "Email address",
        widget=GovTextInput(),
        filters=[_stripped],
        validators=[
            InputRequired("Enter the person's email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(
                "Enter an email address in the correct format, like name@example.org",
                check_deliverability=False,
            ),
        ],
    )
    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the person's name"),
            Length(max=120, message="Name must be 120 characters or fewer"),
        ],
    )
    person_id = ChoiceField(
        "Person in the registry (optional)",
        invalid="Choose a person who has no account yet",
        coerce=coerce_optional_int,
        widget=GovSelect(),
        validators=[Optional()],
        description="Link the account to the person it is for, so their seats give them rights.",
    )


class RightFields(GovForm):
    """A right, and the body or partner it is for (none named: every body, or the partner of
    the linked person). Whether a right is needed is the command's to say."""

    right = ChoiceField(
        "Right",
        invalid="Choose a right from the list",
        coerce=coerce_right,
        widget=GovSelect(),
        validators=[Optional()],
    )
    body_id = ChoiceField(
        "For which body (clerk and scrutiny rights)",
        invalid="Choose a body from the list",
        coerce=coerce_optional_int,
        widget=GovSelect(),
        validators=[Optional()],
        description="Leave as 'Every body' for a clerk or scrutiny right over every body.",
    )
    partner_id = ChoiceField(
        "For which partner (officer rights)",
        invalid="Choose a partner from the list",
        coerce=coerce_optional_int,
        widget=GovSelect(),
        validators=[Optional()],
        description="Leave as the linked person's partner unless the officer acts for another.",
    )


class GrantForm(RightFields):
    submit = SubmitField("Grant right", widget=GovSubmitInput())


class InviteForm(_Invitee, RightFields):
    submit = SubmitField("Send invitation", widget=GovSubmitInput())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.right.label.text = "First right (optional: more can be granted later)"
