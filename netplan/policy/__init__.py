"""Policy: the documents' dated targets judged against the plans and the recorded progress."""

from netplan.policy.timeline import (
    TIMELINE_COLUMNS,
    TargetStatus,
    Timeline,
    TimelineEntry,
    evaluate_timeline,
)

__all__ = ["evaluate_timeline", "Timeline", "TimelineEntry", "TargetStatus", "TIMELINE_COLUMNS"]
