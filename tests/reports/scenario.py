"""A cycle of 40 Perangkat Daerah in mixed states, driven through the services as people would.

Timeline (WIB): steps 1-8 on Tuesday 24 November 2026 (step 6 ran 45 minutes against 30, and
the Kabag returned the first draft once); filling deadline Friday 4 December 2026 16.00. At
`HALF_WAY` (Tuesday 8 December 10.00) the cycle stands as `EXPECTED` says.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from bot.formatting import WIB
from bot.services.container import Services
from bot.services.directory import OpdRow, bundled_opd
from bot.workflow import ActionKind as A

OPD_COUNT = 40
DEADLINE = date(2026, 12, 4)
HALF_WAY = datetime(2026, 12, 8, 10, 0, tzinfo=WIB)

OFFICIALS = {
    "sekda": (1001, "Dr. Muhamad Irwansyah", "sekda"),
    "asisten": (1002, "Drs. Budi Santoso", "asisten"),
    "kabag": (1003, "Siti Rahmah, S.Sos.", "kabag"),
    "tim1": (1004, "Rina Wulandari", "tim_sakip"),
    "tim2": (1005, "Agus Prasetyo", "tim_sakip"),
    "admin": (9001, "Admin Organisasi", "admin"),
}

# Which Perangkat Daerah (by index) does what.
NEVER_RECEIVED = range(0, 5)
RECEIVED_LATE = range(5, 8)
ONLY_RECEIVED = range(5, 15)
SUBMITTED_LATE = range(15, 17)
AWAITING = range(15, 20)
RETURNED = range(20, 23)
RETURNED_THEN_VERIFIED = range(23, 25)
VERIFIED = range(25, 40)

#: The totals at HALF_WAY, by status label.
EXPECTED = {"Terverifikasi": 17, "Menunggu verifikasi": 5, "Dikembalikan": 3, "Belum melapor": 10,
            "Belum menerima surat": 5, "Menunggu surat": 0, "Tidak selesai": 0}
EXPECTED_BELUM = 18  # not received 5 + filling 10 + returned 3
EXPECTED_TERLAMBAT = 20  # late now 18 + submitted after the deadline 2


def opd_rows(count: int = OPD_COUNT) -> list[OpdRow]:
    rows = bundled_opd()[:count]
    for n in range(len(rows), count):
        rows.append(OpdRow(f"UPT{n:02d}", f"UPT Uji Coba {n:02d}", f"UPT {n:02d}"))
    return rows


def operator(index: int) -> int:
    return 2000 + index


def register(svc: Services, count: int = OPD_COUNT) -> list[OpdRow]:
    rows = opd_rows(count)
    svc.directory.import_opd(rows)
    for telegram_id, nama, peran in OFFICIALS.values():
        svc.directory.add_user(telegram_id, nama, peran)
    for index, row in enumerate(rows):
        svc.directory.add_user(operator(index), f"Operator {row.singkatan or row.kode}", "opd", row.kode)
    return rows


class Driver:
    def __init__(self, svc: Services, clock) -> None:  # type: ignore[no-untyped-def]
        self.svc = svc
        self.clock = clock

    def at(self, when: datetime) -> None:
        self.clock.set(when)

    def after(self, **kw: float) -> None:
        self.clock.advance(timedelta(**kw))

    def open_task(self, telegram_id: int, step: int | None = None, opd: str | None = None):  # type: ignore[no-untyped-def]
        tasks = [t for t in self.svc.cycles.open_tasks_for(telegram_id)
                 if (step is None or t.step == step) and (opd is None or t.opd_kode == opd)]
        assert tasks, (telegram_id, step, opd)
        return tasks[0]

    def act(self, who: str | int, action: A, step: int | None = None, opd: str | None = None, **kw):  # type: ignore[no-untyped-def]
        telegram_id = OFFICIALS[who][0] if isinstance(who, str) else who
        return self.svc.cycles.act(telegram_id, self.open_task(telegram_id, step, opd).id, action, **kw)


def drive_to_half_way(svc: Services, clock, count: int = OPD_COUNT) -> int:  # type: ignore[no-untyped-def]
    """Seed the people and run the cycle to HALF_WAY; returns the cycle id."""
    rows = register(svc, count)
    d = Driver(svc, clock)
    d.at(datetime(2026, 11, 24, 10, 0, tzinfo=WIB))
    cycle_id = svc.cycles.start(OFFICIALS["sekda"][0]).cycle_id
    fields = replace(svc.letters.defaults(2026), batas_waktu_pengisian=DEADLINE)
    letter = svc.letters.payload(fields)
    for minutes, who, action, kw in [(7, "sekda", A.FORWARD, {}), (12, "asisten", A.FORWARD, {}),
                                     (20, "kabag", A.FORWARD, {}), (5, "tim1", A.SUBMIT_DRAFT, {"payload": letter}),
                                     (8, "kabag", A.RETURN, {"note": "Mohon lengkapi paragraf penilaian."}),
                                     (6, "tim2", A.SUBMIT_DRAFT, {"payload": letter}),
                                     (9, "kabag", A.APPROVE, {}), (45, "asisten", A.APPROVE, {}),
                                     (25, "sekda", A.SIGN, {}), (10, "tim1", A.DISTRIBUTE, {})]:
        d.after(minutes=minutes)
        d.act(who, action, **kw)
    kode = [row.kode for row in rows]

    def each(indexes: range, action: A, step: int, minutes: float = 3, who: str | None = None, **kw) -> None:  # type: ignore[no-untyped-def]
        for i in indexes:
            if i < count:
                d.after(minutes=minutes)
                d.act(who or operator(i), action, step=step, opd=kode[i], **kw)

    each(range(8, count), A.CONFIRM_RECEIPT, 8)
    d.at(datetime(2026, 11, 25, 10, 0, tzinfo=WIB))
    each(VERIFIED, A.SUBMIT, 9, minutes=10, note="Data kinerja telah diisi.")
    d.at(datetime(2026, 11, 25, 14, 0, tzinfo=WIB))
    svc.alerts.sweep()
    d.at(datetime(2026, 11, 26, 9, 0, tzinfo=WIB))
    each(RECEIVED_LATE, A.CONFIRM_RECEIPT, 8)
    d.at(datetime(2026, 11, 30, 10, 0, tzinfo=WIB))
    each(range(17, 25), A.SUBMIT, 9, minutes=10)
    d.at(datetime(2026, 12, 1, 10, 0, tzinfo=WIB))
    each(VERIFIED, A.VERIFY_SESUAI, 10, minutes=5, who="tim1")
    each(range(RETURNED.start, RETURNED_THEN_VERIFIED.stop), A.VERIFY_TIDAK_SESUAI, 10,
         minutes=5, who="tim2", note="Target IKU belum sesuai dengan Perjanjian Kinerja.")
    d.at(datetime(2026, 12, 2, 10, 0, tzinfo=WIB))
    each(RETURNED_THEN_VERIFIED, A.SUBMIT, 9, note="Target IKU telah diperbaiki.")
    d.at(datetime(2026, 12, 3, 10, 0, tzinfo=WIB))
    each(RETURNED_THEN_VERIFIED, A.VERIFY_SESUAI, 10, who="tim1")
    d.at(datetime(2026, 12, 7, 10, 0, tzinfo=WIB))
    each(SUBMITTED_LATE, A.SUBMIT, 9)
    svc.alerts.sweep()
    d.at(HALF_WAY)
    return cycle_id


def close(svc: Services, clock, cycle_id: int) -> None:  # type: ignore[no-untyped-def]
    """Let the verification window close, then take steps 11 and 12."""
    d = Driver(svc, clock)
    with svc.db.transaction(write=False) as s:
        from bot.storage import models as m

        window = s.get(m.Cycle, cycle_id).window_closes_at
    d.at(window + timedelta(minutes=1))
    assert svc.cycles.close_due_windows() == [cycle_id]
    d.after(minutes=20)
    d.act("kabag", A.CONFIRM_RECAP)
    d.after(minutes=15)
    d.act("tim1", A.ARCHIVE)
