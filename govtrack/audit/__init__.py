"""The audit log, for administrators."""

from govtrack.audit.views import bp
from govtrack.auth.permissions import can_view_audit_log
from govtrack.core.capabilities import Capability, NavItem

capability = Capability(
    name="audit",
    blueprint=bp,
    navigation=[NavItem("audit.log", "Audit log", can_view_audit_log)],
)
