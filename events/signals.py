"""Indicators computed from events follow attendance, whatever path changed it (pages, admin, import)."""

from . import services


def attendance_changed(sender, **kwargs):
    if not kwargs.get("raw"):
        services.indicators_recompute()
