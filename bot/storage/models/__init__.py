"""The tables, one module per concern. Instants are UTC; the scheduler's queries have indexes of
their own. Import the models from here: `from bot.storage import models as m`."""

from bot.storage.models.people import ActingOrder, Invite, InviteAttempt, PerangkatDaerah, User
from bot.storage.models.cycles import Cycle, CycleOpd, SopSnapshot, SuratMasuk, Task, TaskAssignment
from bot.storage.models.records import AuditLog, Document, NumberSequence
from bot.storage.models.delivery import Outbox, ProcessLease
from bot.storage.models.antrian import QueueMessage, QueueRefresh, QueueTake
from bot.storage.models.checklist import VerificationItem
from bot.storage.models.teguran import Teguran
from bot.storage.base import Base
from bot.storage.types import coerce_enum_attributes

coerce_enum_attributes(Base)  # a string given to an enum column reads as its member at once

__all__ = [
    "ActingOrder",
    "AuditLog",
    "Cycle",
    "CycleOpd",
    "Document",
    "Invite",
    "InviteAttempt",
    "NumberSequence",
    "Outbox",
    "PerangkatDaerah",
    "ProcessLease",
    "QueueMessage",
    "QueueRefresh",
    "QueueTake",
    "SopSnapshot",
    "SuratMasuk",
    "Task",
    "TaskAssignment",
    "Teguran",
    "User",
    "VerificationItem",
]
