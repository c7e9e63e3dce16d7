"""Sign-in form, and the forms people use to look after their own account."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from govtrack.core.forms import GovForm


class SignInForm(GovForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[InputRequired("Enter your email address"), Length(max=254)],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your password"), Length(max=200)],
    )
    next = HiddenField()
    submit = SubmitField("Sign in", widget=GovSubmitInput())


def _new_password_field(label: str = "New password") -> PasswordField:
    return PasswordField(
        label,
        widget=GovPasswordInput(),
        description=(
            "At least 12 characters. A passphrase of three or four random words is long enough "
            "and easy to remember. Avoid common passwords and your name."
        ),
        validators=[InputRequired("Enter a new password")],
    )


def _confirm_field() -> PasswordField:
    return PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        # Whether the two match is checked with the password itself (own_account), so both
        # problems are named at once.
        validators=[InputRequired("Enter the new password again")],
    )


class NewPasswordForm(GovForm):
    """Setting a password from an e-mailed link: an invitation or a reset."""

    password = _new_password_field()
    confirm = _confirm_field()
    submit = SubmitField("Set password and sign in", widget=GovSubmitInput())


class ForgotPasswordForm(GovForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        description="The address your govtrack account uses. We will send a link to it.",
        validators=[InputRequired("Enter your email address"), Length(max=254)],
    )
    submit = SubmitField("Send the link", widget=GovSubmitInput())


class ChangePasswordForm(GovForm):
    current = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your current password")],
    )
    password = _new_password_field()
    confirm = _confirm_field()
    submit = SubmitField("Change password", widget=GovSubmitInput())
