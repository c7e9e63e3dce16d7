"""The meetings blueprint; its routes live in views.py (agendas, attendance, minutes),
papers.py (uploaded reports), register.py (decision register) and calendar_feed.py (iCalendar)."""

from flask import Blueprint

bp = Blueprint("meetings", __name__)
