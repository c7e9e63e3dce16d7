"""The closed sets of the service-integration pipeline: stages and delivery mechanisms."""

from __future__ import annotations

import enum

from govtrack.core.enums import LabelledEnum


class Stage(enum.IntEnum):
    """The project stages of Appendix A's key, in order."""

    MANDATE = 1
    BUSINESS_CASE = 2
    START_UP = 3
    PROJECT_PLANNING = 4
    PRODUCT_DELIVERY = 5
    INTEGRATION = 6
    OPERATIONAL = 7

    @property
    def label(self) -> str:
        return _STAGE_LABELS[self]

    @property
    def numbered(self) -> str:
        """As the paper prints it: "7 - Operational"."""
        return f"{self.value} - {self.label}"

    @classmethod
    def parse(cls, text: str | int | None) -> Stage | None:
        """A stage from its number, its label or "7 - Operational"; None if unknown."""
        if text is None:
            return None
        if isinstance(text, int):
            return cls(text) if 1 <= text <= 7 else None
        cleaned = str(text).strip().lower().replace("\u2013", "-")
        if not cleaned:
            return None
        head = cleaned.split("-", 1)[0].strip()
        if head.isdigit():
            number = int(head)
            return cls(number) if 1 <= number <= 7 else None
        for stage in cls:
            if stage.label.lower() == cleaned or stage.name.lower() == cleaned.replace(" ", "_"):
                return stage
        return None


_STAGE_LABELS = {
    Stage.MANDATE: "Mandate",
    Stage.BUSINESS_CASE: "Business Case",
    Stage.START_UP: "Start up",
    Stage.PROJECT_PLANNING: "Project Planning",
    Stage.PRODUCT_DELIVERY: "Product Delivery",
    Stage.INTEGRATION: "Integration",
    Stage.OPERATIONAL: "Operational",
}


class Mechanism(LabelledEnum):
    """The "identified service delivery mechanisms" columns of Appendix A, in its order."""

    TELEPHONE = ("telephone", "Telephone enquiries")
    EMAIL = ("email", "E-mail enquiries")
    COMPLAINTS = ("complaints", "Complaints")
    APPOINTMENTS = ("appointments", "Appointment bookings")
    PAYMENTS = ("payments", "Payment processing")
    OUTBOUND = ("outbound", "Outbound calls and surveys")
    LONE_WORKER = ("lone_worker", "Lone worker controls")
    ADMIN_FULFILMENT = ("admin_fulfilment", "Admin/fulfilment")
    CONTINGENCY = ("contingency", "Ad-hoc/contingency provision")
    OUT_OF_HOURS = ("out_of_hours", "Out of hours (24/7)")
    EFORMS = ("eforms", "E-forms")
    FACE_TO_FACE = ("face_to_face", "Face-to-face gateways/outreach")


class MechanismStatus(LabelledEnum):
    """The paper's key: black tick, red tick, "potential future"."""

    PROPOSED = ("proposed", "Part of the proposed integration")
    POTENTIAL = ("potential", "Potential future")
    IN_PLACE = ("in_place", "In place")
