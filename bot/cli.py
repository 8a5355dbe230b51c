"""The command line (typer), as in DESIGN.md. Bad input gets one clear line and exit code 1."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from bot import cli_opd
from bot.cli_help import Cli
from bot.cli_common import call, clear_errors, fail, fail_as, services, settings  # noqa: F401 (the sub-commands' helpers)
from bot.cli_people import acting_app, task_app
from bot.cli_words import say
from bot.cli_sop import sop_app
from bot.config import Settings, SettingsError, load_settings  # noqa: F401
from bot.workflow import DomainError  # noqa: F401

app = Cli(help="Bot Telegram SOP Pengisian Portal E-SAKIP Kabupaten Lamandau.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
user_app = Cli(help="Pengguna bot.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(sop_app, name="sop")
app.add_typer(acting_app, name="acting")
app.add_typer(task_app, name="task")



@app.command()
def init() -> None:
    """Buat atau migrasikan basis data; muat daftar Perangkat Daerah Lamandau bila masih kosong."""
    from bot.services.opd_csv import bundled_opd

    svc = services()
    with clear_errors():
        loaded = svc.directory.import_opd(bundled_opd(), only_if_empty=True)
    typer.echo(say("init.ready", url=svc.db.engine.url.render_as_string(hide_password=True)))
    if loaded:
        typer.echo(say("init.opd_loaded", count=loaded))


cli_opd.register(app)  # opd list/import, invite (bot/cli_opd.py)


@user_app.command("add")
def user_add(
    telegram_id: Annotated[int, typer.Option("--telegram-id", help="ID Telegram pengguna")],
    nama: Annotated[str, typer.Option("--nama")],
    peran: Annotated[str, typer.Option("--peran", help="sekda, asisten, kabag, tim_sakip, opd, kepala_opd, admin, tata_usaha, pelaksana")],
    opd: Annotated[str | None, typer.Option("--opd", help="kode Perangkat Daerah (peran opd/kepala_opd)")] = None,
    jabatan: Annotated[str | None, typer.Option("--jabatan")] = None,
    nip: Annotated[str | None, typer.Option("--nip", help="18 angka; dicetak di bawah nama penanda tangan")] = None,
    pangkat: Annotated[str | None, typer.Option("--pangkat", help='misalnya "Pembina Utama Muda (IV/c)"')] = None,
) -> None:
    """Daftarkan pengguna."""
    svc = services()
    with clear_errors():
        user = svc.directory.add_user(telegram_id, nama, peran, opd, jabatan, nip, pangkat)
    typer.echo(say("user.added", label=user.label, telegram_id=user.telegram_id))
    if sent := svc.reach.deliver_open_tasks(user.telegram_id):  # an OPD's open tasks reach a new operator (issue 12)
        typer.echo(say("user.open_tasks_sent", count=sent))


@user_app.command("list")
def user_list() -> None:
    """Tampilkan pengguna."""
    for user in services().directory.list_users():
        typer.echo(say("user.row", telegram_id=user.telegram_id, peran=user.peran.value, opd=user.opd_kode or "-",
                       nama=user.nama, status="" if user.aktif else say("user.inactive")))


@user_app.command("update")
def user_update(
    telegram_id: Annotated[int, typer.Option("--telegram-id")],
    nama: Annotated[str | None, typer.Option("--nama")] = None,
    jabatan: Annotated[str | None, typer.Option("--jabatan")] = None,
    nip: Annotated[str | None, typer.Option("--nip", help="18 angka")] = None,
    pangkat: Annotated[str | None, typer.Option("--pangkat")] = None,
) -> None:
    """Lengkapi atau perbaiki nama, jabatan, NIP, pangkat pengguna (yang tercetak pada surat)."""
    user = call(lambda svc: svc.directory.update_user(telegram_id, nama=nama, jabatan=jabatan, nip=nip,
                                                      pangkat=pangkat))
    typer.echo(say("user.updated", label=user.label, pangkat=user.pangkat or "-", nip=user.nip or "-"))


@user_app.command("remove")
def user_remove(telegram_id: Annotated[int, typer.Option("--telegram-id")]) -> None:
    """Nonaktifkan pengguna (riwayatnya tetap tersimpan)."""
    svc = services()
    with clear_errors():
        user = svc.directory.remove_user(telegram_id)
    typer.echo(say("user.removed", label=user.label))
    from bot.cli_people import report_handover

    report_handover(svc.reassign.after_removal(telegram_id))


def main(argv: list[str] | None = None) -> Any:
    return app(args=argv if argv is not None else sys.argv[1:], prog_name="esakip-bot")


def _token() -> str:
    token = settings().bot_token
    if not token:
        fail_as("run.token_missing")
    return token  # type: ignore[return-value]


@app.command()
def run() -> None:
    """Terima pembaruan (long polling) dan jalankan penjadwal; berhenti dengan Ctrl+C."""
    import asyncio

    from bot.app import StopRunning, run as run_bot
    from bot.logs import configure_logging

    token = _token()
    configure_logging(token)
    svc = services()
    try:
        asyncio.run(run_bot(svc, token))
    except StopRunning as exc:
        fail(str(exc))


@app.command()
def worker() -> None:
    """Jalankan hanya pemeriksaan batas waktu dan pengiriman pesan (outbox)."""
    import asyncio

    from bot.logs import configure_logging
    from scheduler.worker import run_worker

    token = _token()
    configure_logging(token)
    asyncio.run(run_worker(services(), token))


@app.command()
def backup(out: Annotated[Path, typer.Option("--out", help="berkas cadangan yang ditulis")]) -> None:
    """Cadangkan basis data saat bot berjalan (SQLite: salinan berkas; PostgreSQL: pg_dump)."""
    from bot.storage.backup import BackupError, backup as take_backup

    svc = services(migrate=False)
    try:
        typer.echo(take_backup(svc.db, out))
    except BackupError as exc:
        fail(str(exc))
    except OSError as exc:
        fail_as("common.file_unwritable", path=out, reason=exc.strerror)


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="folder tempat dokumen demo ditulis")] = Path("demo-output"),
    db: Annotated[str | None, typer.Option("--db", help="URL SQLAlchemy atau lokasi berkas SQLite (bawaan: SQLite "
                                                         "di folder sementara)")] = None,
    papan: Annotated[bool, typer.Option("--papan", help="setelah siklus, buka papan status di 127.0.0.1 "
                                                        "sampai Ctrl+C")] = False,
    port: Annotated[int, typer.Option("--port", help="port papan status (bawaan: port bebas)", show_default=False)] = 0,
) -> None:
    """Jalankan satu siklus lengkap secara luring dan cetak transkrip setiap peran."""
    import asyncio
    import functools
    import logging

    from bot.demo import run_demo
    from bot.urls import database_url
    from bot.webapp.demo import keep_board_open

    logging.basicConfig(level=logging.WARNING)
    if out.exists() and not out.is_dir():
        fail_as("demo.out_is_file", out=out)
    after = functools.partial(keep_board_open, echo=typer.echo, port=port) if papan else None
    with clear_errors():
        db = database_url(db) if db is not None else None
        result = asyncio.run(run_demo(out, db, after=after))
    typer.echo(result.transcript)
    typer.echo("")
    typer.echo(say("demo.documents", out=out, names=[p.name for p in result.documents]))
    if result.violations:
        typer.echo(say("demo.violations", count=len(result.violations)), err=True)
        for v in result.violations:
            typer.echo(f"  {v}", err=True)
    if not result.closed or result.violations:
        fail_as("demo.not_closed" if not result.closed else "demo.violated")
    typer.echo(say("demo.closed", cycle_id=result.cycle_id))


# -- reports (issue 6) ------------------------------------------------------------------------

SiklusOption = Annotated[int | None, typer.Option("--siklus", help="nomor siklus (bawaan: siklus berjalan, "
                                                                  "atau yang terakhir)")]
OutOption = Annotated[Path | None, typer.Option("--out", help="berkas tujuan (bawaan: teks ke layar, berkas "
                                                               "lain dengan nama baku di folder ini)")]


def _report(build: Any, siklus: int | None, fmt: str, out: Path | None) -> None:
    """Build a report file with `build(recap_service, cycle_id, fmt)` and print or write it."""
    svc = services()
    with clear_errors():
        cycle_id = siklus or svc.recap.current_cycle_id()
        if cycle_id is None:
            fail_as("report.no_cycle")
        file = build(svc.recap, cycle_id, fmt)
    if fmt == "text" and out is None:
        typer.echo(file.content.decode())
        return
    target = out or Path(file.filename)
    try:
        target.write_bytes(file.content)
    except OSError as exc:
        fail_as("common.file_unwritable", path=target, reason=exc.strerror)
    typer.echo(say("common.written_size", path=target, size=f"{len(file.content):,}".replace(",", ".")))


FormatOption = Annotated[str, typer.Option("--format", help="text, xlsx atau pdf; rekap juga png (grafik)")]


def _report_command(name: str, build: str, doc: str) -> None:
    """`esakip-bot <name>`: the report bot.reports.exports.<build> as text or a file."""
    def command(siklus: SiklusOption = None, format: FormatOption = "text", out: OutOption = None) -> None:
        from bot.reports import exports

        _report(getattr(exports, build), siklus, format, out)

    command.__doc__ = doc
    app.command(name)(command)


_report_command("rekap", "recap_file", "Rekap pengisian per Perangkat Daerah: teks, XLSX, PDF, atau grafik PNG.")
_report_command("monitoring", "monitoring_file",
                "Formulir Monitoring Pelaksanaan SOP sebuah siklus: teks, XLSX, atau PDF.")


if __name__ == "__main__":
    main()
