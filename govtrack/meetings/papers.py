"""Reports attached to agenda items: the clerk's upload form, and the download, which follows
the item's visibility (an exempt item's papers only for those who may see exempt items)."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput, GovTextInput
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length

from govtrack.core.blueprints import BlueprintParts
from govtrack.core.dates import long_date, today
from govtrack.core.downloads import send_stored_file
from govtrack.core.errors import render_error
from govtrack.core.forms import GovForm
from govtrack.core.permissions import anyone, permitted, require
from govtrack.core.views import form_page, found, locked_page
from govtrack.meetings import paper_store, queries, rules
from govtrack.meetings.permissions import can_manage_meetings

routes = BlueprintParts()

# Room for the title, the CSRF token and the multipart framing around the file itself.
FORM_OVERHEAD = 64 * 1024

routes.add_app_template_filter(paper_store.format_size, "file_size")
routes.add_app_template_filter(paper_store.kind_label, "file_kind")


class PaperForm(GovForm):
    title = StringField(
        "Title",
        description="As on the report's cover, for example 'Budget monitoring: quarter 2'",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the report's title"),
            Length(
                max=paper_store.MAX_TITLE,
                message=f"Title must be {paper_store.MAX_TITLE} characters or fewer",
            ),
        ],
    )
    file = FileField(
        "Report", widget=GovFileInput(), validators=[FileRequired("Select a report to upload")]
    )
    submit = SubmitField("Upload report", widget=GovSubmitInput())


@routes.url_value_preprocessor
def limit_upload_size(endpoint: str | None, _values: dict | None) -> None:
    # URL value preprocessors run before every before_request function, so this limit is in
    # place before CSRF protection reads the form: an upload far over the limit is refused
    # without being read (see upload_too_large for the message).
    if endpoint == "meetings.new_paper":
        request.max_content_length = paper_store.max_paper_bytes() + FORM_OVERHEAD


@routes.errorhandler(RequestEntityTooLarge)
def upload_too_large(_exc: RequestEntityTooLarge):
    if request.endpoint != "meetings.new_paper":
        return render_error(413)
    limit = paper_store.format_size(paper_store.max_paper_bytes())
    return render_error(
        413,
        f"A report can be up to {limit}. Nothing has been saved. Go back and choose a smaller "
        "file: save a PDF with a smaller file size, or split the report into parts.",
    )


@routes.route("/items/<int:item_id>/papers/new", methods=["GET", "POST"])
@require(can_manage_meetings)
def new_paper(item_id: int):
    item = permitted(found(queries.load_item(item_id)), can_manage_meetings)
    meeting = item.meeting
    back = url_for(".meeting", meeting_id=meeting.id, _anchor=f"item-{item.id}")
    if not rules.agenda_is_editable(meeting.held_on, today()):
        return locked_page(queries.agenda_locked(), back)
    form = PaperForm()
    form.file.description = (
        "A PDF, Word document (DOC, DOCX or ODT), spreadsheet (XLS, XLSX, ODS or CSV) or "
        f"image (PNG, JPEG or GIF), up to {paper_store.format_size(paper_store.max_paper_bytes())}"
    )
    return form_page(
        form,
        "meetings/paper_form.html",
        lambda: paper_store.attach_paper(
            current_user, item, form.title.data, form.file.data, today()
        ),
        lambda paper: (f"Report added to item {item.number}: {paper.title}.", back),
        title=f"Add a report to item {item.number}",
        caption=f"{meeting.body.name}, {long_date(meeting.held_on)}",
        item=item,
        accept=paper_store.ACCEPT,
        cancel_url=back,
    )


@routes.route("/papers/<int:paper_id>")
@require(anyone)
def paper(paper_id: int):
    found = paper_store.load_paper(paper_id)
    if found is None or not queries.meeting_visible(found.meeting, current_user):
        abort(404)
    if not paper_store.may_download(current_user, found, today()):
        # The public is not told that an exempt paper exists.
        abort(403 if current_user.is_authenticated else 404)
    record = found.paper
    return send_stored_file(
        paper_store.stored_path(record.sha256),
        content_type=record.content_type,
        filename=record.filename,
        sha256=record.sha256,
        public=found.public,
        what=f"Paper {record.id}",
    )
