"""One member of Congress at a time: the politician profile (``notebooks/12_politician``)."""

from workbench.member.findings import member_findings, member_recovery
from workbench.member.profile import LATE_DAYS, MemberProfile, member_profile

__all__ = ["LATE_DAYS", "MemberProfile", "member_profile", "member_findings", "member_recovery"]
