"""`esakip-bot opd ...` and `esakip-bot invite ...`: the Perangkat Daerah list and the invites
that bring their operators onto the bot. Registered in bot/cli.py with `register(app)`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli_help import Cli
from bot.cli_words import say

opd_app = Cli(help="Perangkat Daerah.", no_args_is_help=True)

FORMATS = ("text", "csv", "pdf")


def register(app: typer.Typer) -> None:
    app.add_typer(opd_app, name="opd")
    app.command()(invite)


def _cli():  # type: ignore[no-untyped-def]
    from bot import cli_common  # the shared helpers (settings, services, clear errors)

    return cli_common


@opd_app.command("list")
def opd_list(
    aktif_saja: Annotated[bool, typer.Option("--aktif-saja", help="hanya yang aktif")] = False,
) -> None:
    """Tampilkan daftar Perangkat Daerah: yang aktif, lalu yang nonaktif, dengan jumlah operatornya."""
    from bot.documents.alamat import pimpinan

    rows = _cli().services().reach_roster.listing()
    if not rows:
        typer.echo(say("opd.none"))
        return
    groups = [("opd.active", [r for r in rows if r.aktif])]
    if not aktif_saja:
        groups.append(("opd.inactive", [r for r in rows if not r.aktif]))
    for title, group in groups:
        if not group:
            continue
        typer.echo(say("opd.group", title=say(title), count=len(group)))
        for row in group:
            operator = say("opd.operators", count=row.operators) if row.operators else say("opd.no_operator")
            typer.echo(say("opd.row", kode=row.kode, nama=row.nama, operator=operator,
                           singkatan=say("opd.singkatan", singkatan=row.singkatan) if row.singkatan else "",
                           pimpinan=row.jabatan_pimpinan or pimpinan(row.nama)))


@opd_app.command("import")
def opd_import(
    file: Annotated[Path, typer.Argument(metavar="BERKAS", help="CSV dengan kolom kode,nama,singkatan[,jabatan_pimpinan]")],
    replace: Annotated[bool, typer.Option("--replace", help="berkas ini menjadi daftar Perangkat Daerah aktif; "
                                                             "yang tidak tercantum dinonaktifkan (tidak dihapus)")] = False,
    force: Annotated[bool, typer.Option("--force", help="dengan --replace: nonaktifkan juga Perangkat Daerah "
                                                         "yang masih memiliki tugas terbuka")] = False,
) -> None:
    """Impor Perangkat Daerah dari CSV; bila ada baris salah, tidak ada yang diimpor."""
    from bot.services.opd_csv import parse_opd_csv

    cli = _cli()
    if force and not replace:
        cli.fail_as("opd.force_without_replace")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as exc:
        cli.fail_as("common.file_unreadable", path=file, reason=exc.strerror)
    except UnicodeDecodeError:
        cli.fail_as("opd.not_utf8", path=file)
    svc = cli.services()
    with cli.clear_errors():
        rows = parse_opd_csv(text)
        if not replace:
            typer.echo(say("opd.imported", count=svc.directory.import_opd(rows)))
            return
        result = svc.reach_roster.replace(rows, force=force)
    typer.echo(say("opd.replaced", imported=result.imported, deactivated=len(result.deactivated)))
    for line in result.deactivated:
        typer.echo(say("opd.deactivated_forced" if line in result.forced else "opd.deactivated", opd=line))


def invite(
    peran: Annotated[str, typer.Option("--peran", help="sekda, asisten, kabag, tim_sakip, opd, kepala_opd, admin")],
    opd: Annotated[str | None, typer.Option("--opd", help="kode Perangkat Daerah (peran opd/kepala_opd)")] = None,
    semua: Annotated[bool, typer.Option("--semua", help="dengan --peran opd: satu tautan untuk setiap Perangkat "
                                                         "Daerah aktif yang belum memiliki operator")] = False,
    format: Annotated[str, typer.Option("--format", help="dengan --semua: text, csv, atau pdf (satu halaman "
                                                          "berkode QR per Perangkat Daerah)")] = "text",
    out: Annotated[Path | None, typer.Option("--out", help="berkas tujuan (bawaan: ke layar untuk text/csv, "
                                                           "undangan-operator-opd.pdf untuk pdf)")] = None,
    hari: Annotated[int | None, typer.Option("--hari", help="masa berlaku (hari)")] = None,
) -> None:
    """Cetak tautan pendaftaran sekali pakai yang kedaluwarsa (satu, atau --semua untuk operator OPD)."""
    from bot import formatting

    cli = _cli()
    if not semua:
        if format != "text" or out is not None:
            cli.fail_as("invite.options_need_all")
        svc = cli.services()
        with cli.clear_errors():
            issued = svc.directory.create_invite(peran, opd, hari)
        typer.echo(f"https://t.me/{svc.settings.bot_username}?start={issued.token}")
        typer.echo(say("invite.valid_until", until=formatting.tanggal_jam(issued.expires_at, svc.settings.tz)),
                   err=True)
        return
    if peran.strip().lower() != "opd" or opd:
        cli.fail_as("invite.all_only_opd")
    if format not in FORMATS:
        cli.fail_as("invite.format_unknown", formats=list(FORMATS))
    svc = cli.services()
    with cli.clear_errors():
        invites = svc.reach_roster.invite_all(hari)
    if not invites:
        typer.echo(say("invite.none_needed"))
        return
    _write_invites(cli, svc, invites, format, out)


def _write_invites(cli, svc, invites, format: str, out: Path | None) -> None:  # type: ignore[no-untyped-def]
    from bot import formatting
    from bot.services.reach_roster import invites_csv

    until = formatting.tanggal_jam(invites[0].expires_at, svc.settings.tz)
    if format == "text" and out is None:
        for invite in invites:
            typer.echo(f"{invite.kode:<16} {invite.link}  {invite.nama}")
    else:
        if format == "pdf":
            from bot.documents.undangan import render_undangan

            content = render_undangan(invites, svc.letters.setup.kop(), svc.letters.setup.halaman, svc.settings.tz)
        elif format == "csv":
            content = invites_csv(invites, svc.settings.tz)
        else:
            content = "".join(f"{i.kode}\t{i.link}\t{i.nama}\n" for i in invites).encode()
        if out is None and format == "csv":
            typer.echo(content.decode("utf-8-sig"), nl=False)
        else:
            target = out or Path("undangan-operator-opd.pdf")
            try:
                target.write_bytes(content)
            except OSError as exc:
                cli.fail_as("common.file_unwritable", path=target, reason=exc.strerror)
            typer.echo(say("common.written", path=target))
    typer.echo(say("invite.created", count=len(invites), until=until), err=True)
