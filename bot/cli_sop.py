"""`esakip-bot sop ...`: the SOP files the deployment runs (`sop list`, `sop check`, `sop dokumen`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli_help import Cli
from bot.cli_words import say

sop_app = Cli(help="SOP yang dijalankan bot.", no_args_is_help=True)


@sop_app.command("list")
def sop_list() -> None:
    """Tampilkan SOP yang dimuat (ESAKIP_SOP_FILE) dan siklus terbuka yang berjalan dengan versi lain."""
    from bot.cli_common import clear_errors, services

    svc = services()
    with clear_errors():
        for sop in svc.catalog.sops:
            typer.echo(say("sop.loaded", name=sop.name, nama=sop.identity.nama, nomor=sop.identity.nomor,
                           version=sop.version, steps=sop.total_steps, contoh=say("sop.contoh") if sop.contoh else ""))
            typer.echo(say("sop.source", source=sop.source, digest=sop.digest[:12]))
        with svc.db.transaction(write=False) as s:
            drift = svc.catalog.drift(s)
    for line in drift:
        typer.echo(line)


@sop_app.command("check")
def sop_check(
    file: Annotated[Path, typer.Argument(metavar="BERKAS", help="berkas SOP (YAML) yang diperiksa")],
    db: Annotated[bool, typer.Option("--db", help="periksa juga bahwa setiap peran SOP dipegang pengguna terdaftar")] = False,
) -> None:
    """Periksa berkas SOP: setiap kesalahan satu baris (berkas, langkah, isian); kode keluar 1 bila ada."""
    from bot.cli_common import clear_errors, services
    from bot.sop import SopFileError, load_sop
    from bot.services.sop_roles import unheld_roles

    try:
        sop = load_sop(file)
    except SopFileError as exc:
        for line in exc.errors:
            typer.secho(line, err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from None
    typer.echo(say("sop.valid", file=file, nama=sop.identity.nama, name=sop.name, version=sop.version,
                   steps=sop.total_steps))
    if not db:
        return
    svc = services()
    with clear_errors():
        missing = unheld_roles(svc.db, sop)
    for role, label in missing:
        typer.secho(say("sop.role_unheld", file=file, role=role, label=label), err=True, fg=typer.colors.RED)
    if missing:
        raise typer.Exit(1)
    typer.echo(say("sop.roles_held"))


@sop_app.command("dokumen")
def dokumen(
    sop: Annotated[str | None, typer.Option("--sop", help="nama SOP (lihat berkas SOP); wajib bila ada lebih dari satu")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="berkas SOP (YAML) di luar pengaturan")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="berkas PDF yang ditulis")] = None,
) -> None:
    """Dokumen SOP (format PermenPANRB 35/2012): identitas dan diagram alir, sebagai PDF."""
    from bot.cli_common import clear_errors, fail_as, settings
    from bot.documents.layout import lambang_data_url
    from bot.documents.sop_dokumen import render_sop_pdf, tambahan
    from bot.documents.sop_pilih import choose

    config = settings()
    with clear_errors():
        path, definition = choose(config, sop, file)
        pdf = render_sop_pdf(definition, tambahan(definition), config.kertas, lambang_data_url(config.lambang))
    target = out or Path(f"SOP_{definition.name}.pdf")
    try:
        target.write_bytes(pdf)
    except OSError as exc:
        fail_as("common.file_unwritable", path=target, reason=exc.strerror)
    typer.echo(say("sop.document_written", nomor=definition.identity.nomor, nama=definition.identity.nama,
                   path=target))
