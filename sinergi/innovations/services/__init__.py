"""Writes of the innovation registry (split by topic: the innovation itself, and its parts)."""

from sinergi.innovations.services.parts import (
    EVIDENCE_RULE,
    entry_add,
    entry_remove,
    entry_update,
    evidence_add,
    evidence_remove,
    indicator_add,
    indicator_remove,
    indicator_update,
)
from sinergi.innovations.services.registry import innovation_publish, innovation_save

__all__ = [
    "EVIDENCE_RULE",
    "entry_add",
    "entry_remove",
    "entry_update",
    "evidence_add",
    "evidence_remove",
    "indicator_add",
    "indicator_remove",
    "indicator_update",
    "innovation_publish",
    "innovation_save",
]
