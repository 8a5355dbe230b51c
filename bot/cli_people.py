"""`esakip-bot acting ...` (Plh./Plt.) and `esakip-bot task reassign` (people as they really are)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from bot.cli_help import Cli

acting_app = Cli(help="Pelaksana Harian (Plh.) dan Pelaksana Tugas (Plt.).", no_args_is_help=True)
task_app = Cli(help="Tugas pada siklus yang berjalan.", no_args_is_help=True)


def _date(value: str | None, option: str) -> date | None:
    from bot.cli_common import fail
    from bot.formatting import parse_tanggal

    if value is None:
        return None
    try:
        return parse_tanggal(value)
    except ValueError:
        fail(f"{option} {value!r} bukan tanggal; tulis YYYY-MM-DD, misalnya 2026-12-11.")
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
    typer.echo(f"Tercatat: {info.acting_nama} sebagai {info.label}, {info.periode}"
               + (f", menggantikan {info.absent_nama}" if info.absent_nama else "") + ".")


@acting_app.command("list")
def acting_list(
    semua: Annotated[bool, typer.Option("--semua", help="termasuk yang sudah berakhir")] = False,
) -> None:
    """Tampilkan penunjukan Plh./Plt. yang berjalan dan yang akan datang."""
    from bot.cli_common import services

    orders = services().acting.list_orders(include_past=semua)
    if not orders:
        typer.echo("Tidak ada penunjukan Plh./Plt. yang berjalan atau akan datang.")
    for o in orders:
        status = "  [diakhiri]" if o.ended_at else ""
        typer.echo(f"{o.acting_telegram_id:<14} {o.label:<36} {o.periode:<40} {o.acting_nama}"
                   f"{' (menggantikan ' + o.absent_nama + ')' if o.absent_nama else ''}{status}")
        if o.dasar:
            typer.echo(f"{'':<14} Dasar: {o.dasar}")


@acting_app.command("end")
def acting_end(telegram_id: Annotated[int, typer.Option("--telegram-id")]) -> None:
    """Akhiri penunjukan Plh./Plt. orang ini sekarang (keduanya diberi tahu)."""
    from bot.cli_common import call

    info = call(lambda svc: svc.acting.end(telegram_id))
    typer.echo(f"Diakhiri: {info.acting_nama} sebagai {info.label}.")


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
    typer.echo(f"Tugas {result.task_id} (Langkah {result.step} — {result.nama}) dialihkan kepada "
               f"{result.to_nama}.")


@task_app.command("list")
def task_list() -> None:
    """Tampilkan tugas yang terbuka (nomor tugas, langkah, peran, penerima)."""
    from bot.cli_common import services

    rows = services().reassign.open_tasks()
    if not rows:
        typer.echo("Tidak ada tugas yang terbuka.")
    for row in rows:
        typer.echo(f"{row.task_id:<6} Langkah {row.step:<3} {row.nama:<40} {row.holders}")


def report_handover(handovers) -> None:  # type: ignore[no-untyped-def]
    """What `user remove` prints about the open tasks the person held."""
    if not handovers:
        typer.echo("Tidak ada tugas terbuka yang dipegangnya.")
        return
    typer.echo(f"Tugas terbuka yang dipegangnya ({len(handovers)}):")
    for h in handovers:
        who = ("kini diterima " + ", ".join(h.receivers)) if h.receivers else \
            "TIDAK ADA PENERIMA; administrator telah diberi tahu melalui chat"
        typer.echo(f"  - tugas {h.task_id}, Langkah {h.step} — {h.nama}: {who}.")
