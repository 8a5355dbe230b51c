"""Builds the services from settings; the one place they are wired (besides bot/app.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.services.acting_orders import ActingOrders
from bot.services.alerts import Alerts
from bot.services.antrian_notifier import QueueingNotifier
from bot.services.antrian_pesan import Antrian
from bot.services.checklist import ChecklistService
from bot.services.cycles import Cycles
from bot.services.directory import Directory
from bot.services.documents import Documents
from bot.services.incoming import IncomingLetters
from bot.services.letters import Letters
from bot.services.outbox import OutboxStore
from bot.services.paperwork import Paperwork
from bot.services.reach import Reach
from bot.services.reach_behalf import OnBehalf
from bot.services.reach_roster import Roster
from bot.services.verification import Verification
from bot.services.reassign import Reassign
from bot.services.uploads import Uploads
from bot.services.recap import RecapService
from bot.services.sops import SopCatalog
from bot.services.teguran import Teguran
from bot.sop import SopDefinition, load_sops
from bot.storage import Database
from bot.working_calendar import DeadlineCalendar, build_calendar
from bot.workflow import Workflow


@dataclass
class Services:
    settings: Settings
    clock: Clock
    db: Database
    sop: SopDefinition
    calendar: DeadlineCalendar
    workflow: Workflow
    directory: Directory
    cycles: Cycles
    outbox: OutboxStore
    letters: Letters
    recap: RecapService
    alerts: Alerts
    verification: Verification
    incoming: IncomingLetters
    reach: Reach  # OPDs without an operator (issue 12): notices, the Kepala's copy, late registrants
    on_behalf: OnBehalf  # what Tim SAKIP records for such an OPD
    reach_roster: Roster  # invite --semua, opd import --replace
    acting: ActingOrders
    reassign: Reassign
    antrian: Antrian  # Tim SAKIP's queues of steps 8 and 10 (issue 13 item 7)
    checklist: ChecklistService  # step 10 verified item by item (bukti dukung)
    uploads: Uploads  # what a form accepts as a file, and where it is kept
    documents: Documents  # a sent document's file (for the outbox)
    #: Every SOP of the deployment (ESAKIP_SOP_FILE may name several); `sop` is the first.
    catalog: SopCatalog
    teguran: Teguran  # the Surat Teguran to a late OPD (issue 13 item 8)

    @property
    def sops(self) -> tuple[SopDefinition, ...]:
        """Every SOP of the deployment, the primary first."""
        return tuple(self.catalog.sops) if self.catalog is not None else (self.sop,)


def build_services(settings: Settings, clock: Clock | None = None, db: Database | None = None) -> Services:
    clock = clock or SystemClock()
    db = db or Database(settings.database_url)
    sops = load_sops(settings.sop_file)
    calendar = build_calendar(
        settings.calendar, settings.tz, cuti_bersama=settings.cuti_bersama,
        extra_days_off=settings.hari_libur_tambahan, extra_working_days=settings.hari_kerja_pengganti,
    )
    catalog = SopCatalog(sops, calendar)
    workflow = catalog.primary
    sop = workflow.sop
    reach = Reach(db, clock, catalog)
    antrian = Antrian(db, clock, catalog, settings.tz)
    notifier = QueueingNotifier(sop, workflow, reach)  # the Notifier, reach's reactions, the queues marked stale
    letters = Letters(settings, sop, db, clock, calendar, catalog=catalog)
    producers = {**letters.producers(), **Paperwork(sop, letters, catalog=catalog).producers()}
    cycles = Cycles(db, clock, catalog, notifier, producers=producers)
    return Services(
        settings=settings, clock=clock, db=db, sop=sop, calendar=calendar, workflow=workflow,
        directory=Directory(db, clock, settings.invite_days), cycles=cycles, outbox=OutboxStore(db),
        letters=letters, recap=RecapService(db, clock, sop, catalog=catalog, tz=settings.tz),
        alerts=Alerts(db, clock, sop, workflow, calendar, sweep_seconds=settings.sweep_seconds,
                      ack_pause=timedelta(hours=settings.ack_hours) if settings.ack_hours else None, catalog=catalog),
        verification=Verification(db), incoming=IncomingLetters(db, clock, settings.tz),
        reach=reach, on_behalf=OnBehalf(db, clock, cycles), reach_roster=Roster(db, clock, settings.bot_username,
                                                                               settings.invite_days),
        catalog=catalog, antrian=antrian, acting=ActingOrders(db, clock, catalog),
        reassign=Reassign(db, clock, catalog), checklist=ChecklistService(cycles, clock),
        uploads=Uploads(settings), documents=Documents(db),
        teguran=Teguran(settings, db, clock, calendar, letters),
    )
