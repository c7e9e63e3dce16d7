"""The reporting period form."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import StringField
from wtforms.validators import Length

from govtrack.core.forms import GovDateField, VersionedForm


class ReportingPeriodForm(VersionedForm):
    title = StringField(
        "Title",
        description="For example, Quarter 1 2007/08 or Joint Committee, July 2007",
        validators=[Length(max=200)],
        widget=GovTextInput(),
    )
    starts_on = GovDateField("Starts on", description="For example, 1 4 2007")
    ends_on = GovDateField("Ends on", description="For example, 30 6 2007")
