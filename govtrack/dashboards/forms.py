"""The reporting period form."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextInput
from wtforms import SelectField, StringField
from wtforms.validators import Length

from govtrack.core.forms import GovDateField, VersionedForm, coerce_optional_int


class ReportingPeriodForm(VersionedForm):
    programme_id = SelectField(
        "Programme",
        coerce=coerce_optional_int,
        widget=GovSelect(),
        validate_choice=True,
    )
    title = StringField(
        "Title",
        description="For example, Quarter 1 2007/08 or Joint Committee, July 2007",
        validators=[Length(max=200)],
        widget=GovTextInput(),
    )
    starts_on = GovDateField("Starts on", description="For example, 1 4 2007")
    ends_on = GovDateField("Ends on", description="For example, 30 6 2007")
