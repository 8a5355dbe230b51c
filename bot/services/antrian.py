"""The Tim SAKIP queue (issue 13 item 7), the pure part: which Perangkat Daerah are waiting, in
what order, on which page, and the buttons of a page. No database, no Telegram: the messages and
the takes are in bot.services.antrian_pesan.

Two queues per cycle, one message each per Tim SAKIP member:
- "verifikasi": the OPDs whose submission waits at the verification step, oldest first, with who
  has taken which; a button per OPD opens its submission;
- "penerimaan": the OPDs that have not yet confirmed receipt of the letter (step 8).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from bot import callbacks, formatting
from bot.presentation import labels
from bot.services.errors import Conflict
from bot.sop.definition import StepKind

if TYPE_CHECKING:
    from bot.services.views import TaskView

VERIFIKASI, PENERIMAAN = "verifikasi", "penerimaan"
JENIS = (VERIFIKASI, PENERIMAAN)
#: OPDs on one page of a queue message.
PAGE_SIZE = 10
#: Callback namespace and actions: "aq:pg:<page>" (the queue is the pressed message's),
#: "aq:op:<task id>" (open that OPD's submission).
NS, PAGE, OPEN = "aq", "pg", "op"
#: Page numbers a button may carry (more is forged data, shown as the last page).
MAX_PAGE = 999


@dataclass(frozen=True)
class QueueItem:
    task_id: int
    opd_kode: str
    opd_nama: str
    since: datetime  # when it entered the queue (the submission, or the distribution)
    opd_singkatan: str = ""
    taken_by: int | None = None  # the member (user id) who opened it
    taken_by_nama: str | None = None
    taken_at: datetime | None = None

    @property
    def short_name(self) -> str:
        return self.opd_singkatan or self.opd_nama

    @property
    def taker_short(self) -> str:
        """The taker's first name, for a button ("Rina")."""
        return (self.taken_by_nama or "").split(",")[0].split(" ")[0]


@dataclass(frozen=True)
class Page:
    items: tuple[QueueItem, ...]
    number: int  # 0-based
    pages: int
    total: int
    first: int  # the 1-based position of the page's first item in the whole queue

    @property
    def has_prev(self) -> bool:
        return self.number > 0

    @property
    def has_next(self) -> bool:
        return self.number + 1 < self.pages

    def numbered(self) -> list[tuple[int, QueueItem]]:
        return list(enumerate(self.items, start=self.first))


def ordered(items: Iterable[QueueItem]) -> list[QueueItem]:
    """Oldest first; the same instant in task order (the order the engine opened them)."""
    return sorted(items, key=lambda item: (item.since, item.task_id))


def page_count(total: int, size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // size))


def paginate(items: Sequence[QueueItem], page: int, size: int = PAGE_SIZE) -> Page:
    """Page `page` (0-based) of the ordered queue; a page past the end (the queue shrank since
    the button was made) is the last one, a negative one the first."""
    queue = ordered(items)
    pages = page_count(len(queue), size)
    number = min(max(page, 0), pages - 1)
    start = number * size
    return Page(tuple(queue[start:start + size]), number, pages, len(queue), start + 1)


def keyboard(page: Page, jenis: str, viewer_id: int) -> list[list[dict[str, str]]]:
    """The buttons under a queue message (plain Bot API data): one per OPD of the page (the
    verification queue only: it opens the submission), then Sebelumnya / Berikutnya."""
    rows: list[list[dict[str, str]]] = []
    if jenis == VERIFIKASI:
        for no, item in page.numbered():
            if item.taken_by is None:
                text = labels.button("antrian_opd", no=str(no), nama=item.short_name)
            elif item.taken_by == viewer_id:
                text = labels.button("antrian_opd_saya", no=str(no), nama=item.short_name)
            else:
                text = labels.button("antrian_opd_diambil", no=str(no), nama=item.short_name,
                                     oleh=item.taker_short)
            rows.append([_button(text, OPEN, item.task_id)])
    nav = []
    if page.has_prev:
        nav.append(_button(labels.button("antrian_sebelumnya"), PAGE, page.number - 1))
    if page.has_next:
        nav.append(_button(labels.button("antrian_berikutnya"), PAGE, page.number + 1))
    if nav:
        rows.append(nav)
    return rows


def _button(text: str, action: str, id: int) -> dict[str, str]:
    return {"text": text, "callback_data": callbacks.encode(NS, action, id)}


def reply_markup(page: Page, jenis: str, viewer_id: int) -> dict[str, Any]:
    return {"inline_keyboard": keyboard(page, jenis, viewer_id)}


def queued_kind(kind: StepKind, opd_kode: str | None) -> str | None:
    """The queue a task of this kind belongs to, for Tim SAKIP (None: it is sent one by one)."""
    if opd_kode is None:
        return None
    if kind is StepKind.VERIFICATION:
        return VERIFIKASI
    if kind is StepKind.DISTRIBUTION:
        return PENERIMAAN
    return None


def split_tugas(views: Sequence[TaskView]) -> tuple[list[TaskView], list[TaskView]]:
    """/tugas: (the tasks listed one by one, the per-OPD verifications the queue shows)."""
    listed = [v for v in views if queued_kind(v.kind, v.opd_kode) != VERIFIKASI]
    queued = [v for v in views if queued_kind(v.kind, v.opd_kode) == VERIFIKASI]
    return listed, queued


def done_refusal(view: TaskView, tz: tzinfo) -> Conflict:
    """The refusal of an OPD's button once its verification is over: what came of it, by whom
    (`tz`: the deployment's zone, for when)."""
    hasil = view.outcome_label.lower()
    if view.actor_nama and view.completed_at:
        return Conflict("antrian.done", opd_nama=view.opd_nama, hasil=hasil, oleh=view.actor_nama,
                        at=formatting.tanggal_jam(view.completed_at, tz))
    return Conflict("antrian.closed", opd_nama=view.opd_nama, hasil=hasil)


def digest(payload: dict[str, Any]) -> str:
    """What a queue message shows, in 64 characters."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
