"""`esakip-bot opd ...` and `esakip-bot invite ...`: the Perangkat Daerah list and the invites
that bring their operators onto the bot. Registered in bot/cli.py with `register(app)`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli_help import Cli

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
        typer.echo("Belum ada Perangkat Daerah. Jalankan `esakip-bot init` atau `esakip-bot opd import`.")
        return
    groups = [("Aktif", [r for r in rows if r.aktif])]
    if not aktif_saja:
        groups.append(("Nonaktif (tidak menerima surat; riwayatnya tetap tersimpan)", [r for r in rows if not r.aktif]))
    for title, group in groups:
        if not group:
            continue
        typer.echo(f"{title}: {len(group)}")
        for row in group:
            operator = f"{row.operators} operator" if row.operators else "belum ada operator"
            typer.echo(f"  {row.kode:<16} {row.nama}" + (f" ({row.singkatan})" if row.singkatan else "")
                       + f" — Yth. {row.jabatan_pimpinan or pimpinan(row.nama)}; {operator}")


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
        cli.fail("--force hanya berlaku bersama --replace.")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as exc:
        cli.fail(f"berkas {file} tidak dapat dibaca: {exc.strerror}")
    except UnicodeDecodeError:
        cli.fail(f"berkas {file} bukan teks UTF-8; simpan ulang sebagai CSV UTF-8.")
    svc = cli.services()
    with cli.clear_errors():
        rows = parse_opd_csv(text)
        if not replace:
            typer.echo(f"{svc.directory.import_opd(rows)} Perangkat Daerah diimpor.")
            return
        result = svc.reach_roster.replace(rows, force=force)
    typer.echo(f"{result.imported} Perangkat Daerah aktif sesuai berkas; "
               f"{len(result.deactivated)} Perangkat Daerah dinonaktifkan (riwayatnya tetap tersimpan).")
    for line in result.deactivated:
        typer.echo(f"  nonaktif: {line}" + (" (masih memiliki tugas terbuka pada siklus berjalan)"
                                            if line in result.forced else ""))


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
            cli.fail("--format dan --out hanya berlaku bersama --semua.")
        svc = cli.services()
        with cli.clear_errors():
            issued = svc.directory.create_invite(peran, opd, hari)
        typer.echo(f"https://t.me/{svc.settings.bot_username}?start={issued.token}")
        typer.echo(f"Berlaku sampai {formatting.tanggal_jam(issued.expires_at, svc.settings.tz)}; "
                   "hanya dapat digunakan satu kali.", err=True)
        return
    if peran.strip().lower() != "opd" or opd:
        cli.fail("--semua hanya untuk --peran opd, tanpa --opd (satu tautan per Perangkat Daerah).")
    if format not in FORMATS:
        cli.fail(f"--format harus salah satu dari: {', '.join(FORMATS)}.")
    svc = cli.services()
    with cli.clear_errors():
        invites = svc.reach_roster.invite_all(hari)
    if not invites:
        typer.echo("Semua Perangkat Daerah aktif sudah memiliki operator terdaftar; tidak ada tautan yang dibuat.")
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
                cli.fail(f"berkas {target} tidak dapat ditulis: {exc.strerror}")
            typer.echo(f"Ditulis ke {target}.")
    typer.echo(f"{len(invites)} tautan pendaftaran operator dibuat (Perangkat Daerah yang belum memiliki "
               f"operator); berlaku sampai {until}, masing-masing hanya dapat digunakan satu kali.", err=True)
