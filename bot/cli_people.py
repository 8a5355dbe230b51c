"""`esakip-bot acting ...` (Plh./Plt.) and `esakip-bot task reassign` (people as they really are)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from bot.cli_help import Cli
from bot.cli_words import say

acting_app = Cli(help="Pelaksana Harian (Plh.) dan Pelaksana Tugas (Plt.).", no_args_is_help=True)
task_app = Cli(help="Tugas pada siklus yang berjalan.", no_args_is_help=True)


def _date(value: str | None, option: str) -> date | None:
    from bot.cli_common import fail_as
    from bot.formatting import parse_tanggal

    if value is None:
        return None
    try:
        return parse_tanggal(value)
    except ValueError:
        fail_as("acting.not_a_date", option=option, value=value)
    return None


@acting_app.command("add")
def acting_add(
    peran: Annotated[str, typer.Option("--peran", help="sekda, asisten atau kabag")],
    telegram_id: Annotated[int, typer.Option("--telegram-id", help="ID Telegram pejabat yang ditunjuk")],
    sampai: Annotated[str, typer.Option("--sampai", help="tanggal terakhir, YYYY-MM-DD")],
    mulai: Annotated[str | None, typer.Option("--mulai", help="tanggal mulai, YYYY-MM-DD (bawaan: hari ini)")] = None,
    jenis: Annotated[str, typer.Option("--jenis", help="plh (Pelaksana Harian) atau plt (Pelaksana Tugas)")] = "plh",
    dasar: Annotated[str | None, typer.Option("--dasar", help='misalnya "Surat Perintah Nomor 800/12/SETDA/XII/2026"')] = None,
) -> None:
    """Tunjuk Plh./Plt. untuk suatu jabatan selama suatu periode."""
    from bot.cli_common import clear_errors, services

    svc = services()
    with clear_errors():
        info = svc.acting.add(peran, telegram_id, _date(sampai, "--sampai"), _date(mulai, "--mulai"), jenis, dasar)
    typer.echo(say("acting.added_instead_of" if info.absent_nama else "acting.added", acting=info.acting_nama,
                   label=info.label, periode=info.periode, absent=info.absent_nama))


@acting_app.command("list")
def acting_list(
    semua: Annotated[bool, typer.Option("--semua", help="termasuk yang sudah berakhir")] = False,
) -> None:
    """Tampilkan penunjukan Plh./Plt. yang berjalan dan yang akan datang."""
    from bot.cli_common import services

    orders = services().acting.list_orders(include_past=semua)
    if not orders:
        typer.echo(say("acting.none"))
    for o in orders:
        typer.echo(say("acting.row", telegram_id=o.acting_telegram_id, label=o.label, periode=o.periode,
                       acting=o.acting_nama, status=say("acting.ended_mark") if o.ended_at else "",
                       instead_of=say("acting.instead_of", absent=o.absent_nama) if o.absent_nama else ""))
        if o.dasar:
            typer.echo(say("acting.basis", dasar=o.dasar))


@acting_app.command("end")
def acting_end(telegram_id: Annotated[int, typer.Option("--telegram-id")]) -> None:
    """Akhiri penunjukan Plh./Plt. orang ini sekarang (keduanya diberi tahu)."""
    from bot.cli_common import call

    info = call(lambda svc: svc.acting.end(telegram_id))
    typer.echo(say("acting.ended", acting=info.acting_nama, label=info.label))


@task_app.command("reassign")
def task_reassign(
    task: Annotated[int, typer.Option("--task", help="nomor tugas (lihat esakip-bot task list)")],
    telegram_id: Annotated[int, typer.Option("--telegram-id", help="ID Telegram penerima tugas")],
    alasan: Annotated[str, typer.Option("--alasan", help="alasan pengalihan (tercatat pada riwayat)")],
) -> None:
    """Alihkan tugas yang terbuka kepada orang lain dengan peran yang sama."""
    from bot.cli_common import clear_errors, services

    svc = services()
    with clear_errors():
        result = svc.reassign.reassign(None, task, telegram_id, alasan)
    typer.echo(say("task.reassigned", task_id=result.task_id, step=result.step, nama=result.nama, to=result.to_nama))


@task_app.command("list")
def task_list() -> None:
    """Tampilkan tugas yang terbuka (nomor tugas, langkah, peran, penerima)."""
    from bot.cli_common import services

    rows = services().reassign.open_tasks()
    if not rows:
        typer.echo(say("task.none_open"))
    for row in rows:
        typer.echo(say("task.row", task_id=row.task_id, step=row.step, nama=row.nama, holders=row.holders))


def report_handover(handovers) -> None:  # type: ignore[no-untyped-def]
    """What `user remove` prints about the open tasks the person held."""
    if not handovers:
        typer.echo(say("task.no_handover"))
        return
    typer.echo(say("task.handovers", count=len(handovers)))
    for h in handovers:
        who = say("task.received_by", receivers=list(h.receivers)) if h.receivers else say("task.no_receiver")
        typer.echo(say("task.handover", task_id=h.task_id, step=h.step, nama=h.nama, who=who))
