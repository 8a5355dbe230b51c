"""`esakip-bot sop ...`: the SOP files the deployment runs (`sop dokumen` draws one as PDF)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

sop_app = typer.Typer(help="SOP yang dijalankan bot.", no_args_is_help=True)


@sop_app.command("dokumen")
def dokumen(
    sop: Annotated[str | None, typer.Option("--sop", help="nama SOP (lihat berkas SOP); wajib bila ada lebih dari satu")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="berkas SOP (YAML) di luar pengaturan")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="berkas PDF yang ditulis")] = None,
) -> None:
    """Dokumen SOP (format PermenPANRB 35/2012): identitas dan diagram alir, sebagai PDF."""
    from bot.cli import clear_errors, fail, settings
    from bot.documents.layout import lambang_data_url
    from bot.documents.sop_dokumen import read_tambahan, render_sop_pdf
    from bot.documents.sop_pilih import choose

    config = settings()
    with clear_errors():
        path, definition = choose(config, sop, file)
        pdf = render_sop_pdf(definition, read_tambahan(path), config.kertas, lambang_data_url(config.lambang))
    target = out or Path(f"SOP_{definition.name}.pdf")
    try:
        target.write_bytes(pdf)
    except OSError as exc:
        fail(f"berkas {target} tidak dapat ditulis: {exc.strerror}")
    typer.echo(f"Dokumen SOP {definition.identity.nomor} ({definition.identity.nama}) ditulis ke {target}.")
