"""Forms for the registry; server-side validation with GOV.UK messages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextArea, GovTextInput
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp

from govtrack.core.forms import (
    GovDateField,
    GovForm,
    VersionedForm,
    coerce_optional_int,
    enum_choices,
    record_choices,
)
from govtrack.registry.enums import BodyKind, Jurisdiction, LegalForm, MembershipRole, PartnerKind


class NamedPartner(Protocol):
    """A partner as a choice needs it: a ``Partner`` or the registry's ``PartnerSummary``."""

    id: int
    name: str
    code: str


def partner_label(partner: NamedPartner) -> str:
    """A partner as every choice of partner names it: "Name (CODE)"."""
    return f"{partner.name} ({partner.code})"


def partner_choices(
    partners: Iterable[NamedPartner], blank: str | None = None
) -> list[SelectChoice]:
    """The options of a select of partners, ``blank`` (none chosen) first if given."""
    return record_choices(partners, partner_label, blank=blank)


class PartnerForm(VersionedForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the partner's name"),
            Length(max=120),
        ],
    )
    code = StringField(
        "Short code",
        description="2 to 10 letters, like LCC or CBC",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter a short code"),
            Regexp(
                r"^\s*[A-Za-z]{2,10}\s*$",
                message="Short code must be 2 to 10 letters, like LCC",
            ),
        ],
    )
    kind = SelectField(
        "Kind",
        choices=enum_choices(PartnerKind, blank="Choose a kind"),
        widget=GovSelect(),
        validators=[InputRequired("Select the kind of partner")],
    )
    joined_on = GovDateField("Date joined", description="For example, 1 4 2005")
    left_on = GovDateField("Date left", description="Leave blank if still a partner")


class PersonForm(VersionedForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the person's name"),
            Length(max=120),
        ],
    )
    title = StringField(
        "Title",
        description="For example, Councillor, or Head of Customer Services",
        widget=GovTextInput(),
        validators=[Length(max=120)],
    )
    partner_id = SelectField(
        "Partner",
        widget=GovSelect(),
        validators=[InputRequired("Select the partner this person belongs to")],
    )
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=254),
            Email(
                "Enter an email address in the correct format, like name@example.org",
                check_deliverability=False,
            ),
        ],
    )
    user_id = SelectField(
        "User account",
        description="Link the person to the account they sign in with, if they have one",
        widget=GovSelect(),
        coerce=coerce_optional_int,
        validators=[Optional()],
    )


class BodyForm(VersionedForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the body's name"),
            Length(max=160),
        ],
    )
    kind = SelectField(
        "Kind",
        choices=enum_choices(BodyKind, blank="Choose a kind"),
        widget=GovSelect(),
        validators=[InputRequired("Select the kind of body")],
    )
    legal_form = SelectField(
        "Legal form",
        choices=enum_choices(LegalForm, blank="Choose a legal form"),
        widget=GovSelect(),
        validators=[InputRequired("Select the body's legal form")],
    )
    jurisdiction = SelectField(
        "Jurisdiction",
        description="The law on meetings differs between England and Wales",
        choices=enum_choices(Jurisdiction, blank="Choose England or Wales"),
        widget=GovSelect(),
        validators=[InputRequired("Select England or Wales")],
    )
    host_partner_id = SelectField(
        "Host partner",
        widget=GovSelect(),
        coerce=coerce_optional_int,
        validators=[Optional()],
    )
    parent_id = SelectField(
        "Parent body",
        description="For a sub-group or task group, the body it reports to",
        widget=GovSelect(),
        coerce=coerce_optional_int,
        validators=[Optional()],
    )
    terms_of_reference = TextAreaField(
        "Terms of reference",
        widget=GovTextArea(),
        validators=[Length(max=20000)],
    )


class MembershipForm(VersionedForm):
    person_id = SelectField(
        "Person",
        widget=GovSelect(),
        validators=[InputRequired("Select the person")],
    )
    body_id = SelectField(
        "Body",
        widget=GovSelect(),
        validators=[InputRequired("Select the body")],
    )
    partner_id = SelectField(
        "Representing",
        description="The partner this person represents on the body",
        widget=GovSelect(),
        validators=[InputRequired("Select the partner the person represents")],
    )
    role = SelectField(
        "Role",
        choices=enum_choices(MembershipRole, blank="Choose a role"),
        widget=GovSelect(),
        validators=[InputRequired("Select the role")],
    )
    start_on = GovDateField("From")
    end_on = GovDateField("To", description="Leave blank while the membership continues")


class FilterForm(GovForm):
    """List filters travel in the query string; nothing is written, so no CSRF token."""

    class Meta:
        csrf = False
