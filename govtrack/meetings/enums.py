"""The closed sets of meetings: kinds, agenda and minutes states, outcomes, attendance and
declarations."""

from __future__ import annotations

from govtrack.core.enums import LabelledEnum


class MeetingKind(LabelledEnum):
    FORMAL = ("formal", "Formal meeting")
    SITE_VISIT = ("site_visit", "Site visit")
    EVIDENCE_SESSION = ("evidence_session", "Witness or evidence session")


class AgendaStatus(LabelledEnum):
    DRAFT = ("draft", "Draft")
    PUBLISHED = ("published", "Published")


class MinutesStatus(LabelledEnum):
    NONE = ("none", "Not yet written")
    DRAFT = ("draft", "Draft")
    PUBLISHED = ("published", "Published: draft, not yet confirmed")
    CONFIRMED = ("confirmed", "Confirmed as a correct record")


class Outcome(LabelledEnum):
    RESOLVED = ("resolved", "RESOLVED")
    AGREED = ("agreed", "AGREED")
    NOTED = ("noted", "NOTED")
    DEFERRED = ("deferred", "DEFERRED")
    WITHDRAWN = ("withdrawn", "WITHDRAWN")


class AttendanceStatus(LabelledEnum):
    PRESENT = ("present", "Present")
    APOLOGIES = ("apologies", "Apologies")
    ABSENT = ("absent", "Absent")
    SUBSTITUTE = ("substitute", "Present as substitute")


class GuestCapacity(LabelledEnum):
    OFFICER = ("officer", "Officer")
    WITNESS = ("witness", "Witness")
    VISITOR = ("visitor", "Visitor")


class DeclarationKind(LabelledEnum):
    DISCLOSABLE_PECUNIARY = ("disclosable_pecuniary", "Disclosable pecuniary interest")
    OTHER_REGISTRABLE = ("other_registrable", "Other registrable interest")
    NON_REGISTRABLE = ("non_registrable", "Non-registrable interest")
