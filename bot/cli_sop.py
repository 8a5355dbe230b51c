"""`esakip-bot sop ...`: the SOP files the deployment runs (`sop list`, `sop check`, `sop dokumen`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli_help import Cli

sop_app = Cli(help="SOP yang dijalankan bot.", no_args_is_help=True)


@sop_app.command("list")
def sop_list() -> None:
    """Tampilkan SOP yang dimuat (ESAKIP_SOP_FILE) dan siklus terbuka yang berjalan dengan versi lain."""
    from bot.cli_common import clear_errors, services

    svc = services()
    with clear_errors():
        for sop in svc.catalog.sops:
            contoh = " — CONTOH, untuk diganti SOP milik daerah" if sop.contoh else ""
            typer.echo(f"{sop.name}: {sop.identity.nama} (nomor {sop.identity.nomor}), versi {sop.version}, "
                       f"{sop.total_steps} langkah{contoh}")
            typer.echo(f"    berkas {sop.source}, sha256 {sop.digest[:12]}")
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
    typer.echo(f"Berkas SOP {file} sah: {sop.identity.nama} ({sop.name}), versi {sop.version}, "
               f"{sop.total_steps} langkah.")
    if not db:
        return
    svc = services()
    with clear_errors():
        missing = unheld_roles(svc.db, sop)
    for role, label in missing:
        typer.secho(f"Berkas SOP {file}: peran '{role}' ({label}) belum dipegang pengguna terdaftar mana pun.",
                    err=True, fg=typer.colors.RED)
    if missing:
        raise typer.Exit(1)
    typer.echo("Setiap peran dalam SOP dipegang sedikitnya satu pengguna terdaftar.")


@sop_app.command("dokumen")
def dokumen(
    sop: Annotated[str | None, typer.Option("--sop", help="nama SOP (lihat berkas SOP); wajib bila ada lebih dari satu")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="berkas SOP (YAML) di luar pengaturan")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="berkas PDF yang ditulis")] = None,
) -> None:
    """Dokumen SOP (format PermenPANRB 35/2012): identitas dan diagram alir, sebagai PDF."""
    from bot.cli_common import clear_errors, fail, settings
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
        fail(f"berkas {target} tidak dapat ditulis: {exc.strerror}")
    typer.echo(f"Dokumen SOP {definition.identity.nomor} ({definition.identity.nama}) ditulis ke {target}.")
