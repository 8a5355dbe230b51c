"""A whole bot, offline: the real Application against the Bot API double, a real database and an
injected clock. The demo and the end-to-end tests drive people through it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from telegram.ext import Application

from bot.clock import FrozenClock
from bot.config import Settings
from bot.fakegram import FakeTelegram, RateLimits
from bot.fakegram.records import RecordedMessage
from bot.services.container import Services, build_services
from bot.services.opd_csv import OpdRow, bundled_opd
from bot.storage import Database
from bot.storage.migrate import upgrade

TOKEN = "123456:SIMULASI-ESAKIP"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Person:
    """A simulated official or operator, registered as `esakip-bot add-user` would."""

    key: str  # how a test names them: "sekda", "tim1", or an OPD's kode in lower case
    telegram_id: int
    nama: str
    peran: str  # as the CLI takes it: "sekda", "tim_sakip", "opd" …
    opd: str | None = None  # the kode of their Perangkat Daerah
    jabatan: str | None = None
    nip: str | None = None
    pangkat: str | None = None


def default_people(opds: list[OpdRow]) -> list[Person]:
    people = [
        Person("sekda", 1001, "Dr. MUHAMAD IRWANSYAH, SP., MP", "sekda", jabatan="Sekretaris Daerah",
               nip="197710272003121005", pangkat="Pembina Utama Muda (IV/c)"),
        Person("asisten", 1002, "Drs. Budi Santoso, M.Si.", "asisten", jabatan="Asisten Administrasi Umum"),
        Person("kabag", 1003, "Siti Rahmah, S.Sos., M.AP", "kabag", jabatan="Kepala Bagian Organisasi",
               nip="198203152006042003", pangkat="Pembina (IV/a)"),
        Person("tim1", 1004, "Rina Wulandari, S.E.", "tim_sakip", jabatan="Analis Kebijakan"),
        Person("tim2", 1005, "Agus Prasetyo, S.Kom.", "tim_sakip", jabatan="Pranata Komputer"),
    ]
    for index, opd in enumerate(opds):
        people.append(Person(opd.kode.lower(), 2001 + index, f"Operator {opd.singkatan or opd.kode}", "opd", opd.kode))
    return people


class Simulation:
    """Start with `async with Simulation(...) as sim:`; then `await sim.press(...)` and friends."""

    def __init__(self, data_dir: Path, *, db_url: str | None = None, opds: list[OpdRow] | None = None,
                 clock: FrozenClock | None = None, people: list[Person] | None = None,
                 rate_limits: RateLimits | None = None, **settings: object) -> None:
        from datetime import datetime
        from zoneinfo import ZoneInfo

        self.data_dir = Path(data_dir)
        self.db_url = db_url or f"sqlite:///{self.data_dir / 'esakip.db'}"
        self.opds = opds if opds is not None else bundled_opd()[:3]
        # By default 09.00 on a Tuesday in the deployment's zone (ESAKIP_TIMEZONE: `timezone=`).
        zone = ZoneInfo(str(settings.get("timezone", Settings.model_fields["timezone"].default)))
        self.clock = clock or FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=zone))
        self.people = {p.key: p for p in (people or default_people(self.opds))}
        self.overrides = settings
        # Telegram tolerates short bursts in a private chat (a document and its task message);
        # the overall 30/s limit stays as Telegram enforces it.
        self.double = FakeTelegram(token=TOKEN, rate_limits=rate_limits or RateLimits(chat_burst=8),
                                   quiet_period=0.02,
                                   clock=self.clock)
        self.svc: Services
        self.app: Application

    async def __aenter__(self) -> Simulation:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        await self.double.start()
        try:
            await self._open()
        except BaseException:
            await self.double.stop()  # a database that cannot be opened: leave no server behind
            raise
        return self

    async def _open(self) -> None:
        # `_env_file=None` (pydantic-settings' own keyword): no .env file is read.
        values: dict[str, Any] = dict(_env_file=None, bot_token=TOKEN, bot_api_url=self.double.base_url,
                                      bot_file_url=self.double.base_file_url, database_url=self.db_url,
                                      data_dir=self.data_dir / "data", calendar="kerja", **self.overrides)
        settings = Settings(**values)
        db = Database(self.db_url)
        upgrade(db)
        self.svc = build_services(settings, clock=self.clock, db=db)
        self.svc.directory.import_opd(self.opds)
        for p in self.people.values():
            self.double.add_user(p.telegram_id, first_name=p.nama)
            if self.svc.directory.find_user(p.telegram_id) is None:
                self.svc.directory.add_user(p.telegram_id, p.nama, p.peran, p.opd, p.jabatan, p.nip, p.pangkat)
        await self._start_app()

    async def _start_app(self) -> None:
        from bot.app import build_application, open_application, updater

        # Queues refreshed at each settle: a test sees each press in them (the gap is tested apart).
        self.app = build_application(self.svc, token=TOKEN, jobs=False, queue_gap=timedelta(0))
        await open_application(self.app)
        await self.app.start()
        await updater(self.app).start_polling(poll_interval=0, timeout=timedelta(seconds=1))
        self.double.watch(self.app)  # wait_idle also waits for the handlers to finish

    async def _stop_app(self) -> None:
        from bot.app import close_application, updater

        if updater(self.app).running:
            await updater(self.app).stop()
        if self.app.running:
            await self.app.stop()
        await close_application(self.app)

    async def restart(self) -> None:
        """Stop the bot process and start a new one on the same database (forms in memory are lost)."""
        await self.settle()
        await self._stop_app()
        await self._start_app()

    async def reload(self) -> None:
        """A new bot process: the services are built again from the same settings (the SOP files
        are read again), on the same database."""
        await self.settle()
        await self._stop_app()
        settings, db = self.svc.settings, self.svc.db
        self.svc = build_services(settings, clock=self.clock, db=db)
        await self._start_app()

    async def __aexit__(self, *exc: object) -> None:
        try:
            await self._stop_app()
        finally:
            await self.double.stop()
            self.svc.db.dispose()

    # -- acting as people ---------------------------------------------------------------------

    def tg(self, who: str) -> int:
        return self.people[who].telegram_id

    async def settle(self, timeout: float = 30.0) -> None:
        """Let the bot finish every update it was handed, then deliver the outbox, until quiet."""
        for _ in range(50):
            await self.double.wait_idle(timeout=timeout)
            dispatcher = self.app.bot_data["dispatcher"]
            if not await dispatcher.run_once(dispatcher.bot):
                await self.double.wait_idle(timeout=timeout)
                return

    async def say(self, who: str, text: str) -> None:
        await self.double.send_text(self.tg(who), text)
        await self.settle()

    async def press(self, who: str, button: str, *, contains: str | None = None) -> str:
        """Press `button` on the newest message of `who` that shows it (and contains `contains`)."""
        message = self.find_message(who, button, contains)
        query_id = await self.double.press(self.tg(who), message, button=button)
        await self.settle()
        return query_id

    async def upload(self, who: str, filename: str, content: bytes, mime_type: str) -> None:
        await self.double.upload(self.tg(who), filename, content, mime_type)
        await self.settle()

    def messages(self, who: str) -> list[RecordedMessage]:
        return list(self.double.chat(self.tg(who)).messages)

    def last_text(self, who: str) -> str:
        last = self.double.last_message(self.tg(who))
        if last is None:
            raise LookupError(f"{who} has no message")
        return last.plain_text

    def find_message(self, who: str, button: str, contains: str | None = None) -> RecordedMessage:
        for message in reversed(self.messages(who)):
            labels = [b.text for row in message.buttons for b in row]
            if button in labels and (contains is None or contains in (message.plain_text or "")):
                return message
        raise LookupError(f"{who} has no message with button {button!r}"
                          + (f" containing {contains!r}" if contains else ""))

    def advance(self, **kwargs: float) -> None:
        self.clock.advance(timedelta(**kwargs))
