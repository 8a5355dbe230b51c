"""`esakip-bot opd import --replace [--force]`, `opd list`, `invite --peran opd --semua`."""

from __future__ import annotations

import csv
import re
import io
import subprocess
from datetime import datetime

from sqlalchemy import select

from bot.formatting import WIB
from bot.services.container import build_services
from bot.config import load_settings
from bot.storage import models as m
from tests.test_cli import env, one_error_line, run  # noqa: F401  (the fixture)

FOUR = "kode,nama,singkatan\nDISDIK,Dinas Pendidikan,Disdik\nDINSOS,Dinas Sosial,Dinsos\n" \
       "BAPPEDA,Badan Perencanaan,Bappeda\nORG,Bagian Organisasi,Org\n"


def services():
    return build_services(load_settings())


def start_cycle_with_open_tasks() -> None:
    """A cycle whose letter is distributed: every OPD of the list has an open receipt task."""
    svc = services()
    svc.directory.add_user(1001, "Sekda", "sekda")
    view = svc.cycles.start(1001)
    with svc.db.transaction() as s:
        row = s.get(m.Task, view.id)
        row.status = "done"  # the steps before distribution are not what this test is about
        cycle = s.get(m.Cycle, row.cycle_id)
        s.add(m.Task(cycle_id=cycle.id, seq=99, step=8, role="opd", opd_kode="KEC-DELANG", status="open",
                     started_at=datetime(2026, 11, 24, 9, 0, tzinfo=WIB)))
    svc.db.dispose()


def test_replace_makes_the_file_the_active_list_and_never_deletes(env):
    run("init")
    (env / "org.csv").write_text(FOUR, encoding="utf-8")
    result = run("opd", "import", "org.csv", "--replace")
    assert result.exit_code == 0, result.output
    assert "4 Perangkat Daerah aktif sesuai berkas; 31 Perangkat Daerah dinonaktifkan" in result.output
    assert "nonaktif: KEC-DELANG Kecamatan Delang" in result.output
    listing = run("opd", "list").output
    assert "Aktif: 4" in listing and "Nonaktif (tidak menerima surat; riwayatnya tetap tersimpan): 31" in listing
    assert "ORG" in listing.split("Nonaktif")[0] and "KEC-DELANG" in listing.split("Nonaktif")[1]
    assert "Aktif: 4" in run("opd", "list", "--aktif-saja").output
    assert "Nonaktif" not in run("opd", "list", "--aktif-saja").output
    svc = services()
    with svc.db.transaction(write=False) as s:
        assert s.query(m.PerangkatDaerah).count() == 35  # never deleted
        audit = s.scalars(select(m.AuditLog).where(m.AuditLog.action == "opd_replace")).one()
    assert len(audit.after["dinonaktifkan"]) == 31
    # importing the bundled names again (without --replace) re-activates them
    assert "--force hanya berlaku bersama --replace" in one_error_line(run("opd", "import", "org.csv", "--force"))


def test_replace_keeps_an_opd_with_an_open_task_unless_forced(env):
    run("init")
    start_cycle_with_open_tasks()
    (env / "org.csv").write_text(FOUR, encoding="utf-8")
    refused = one_error_line(run("opd", "import", "org.csv", "--replace"))
    assert "Tidak ada yang diubah" in refused and "KEC-DELANG Kecamatan Delang" in refused
    assert "--force" in refused
    assert "Aktif: 34" in run("opd", "list").output  # nothing changed
    forced = run("opd", "import", "org.csv", "--replace", "--force")
    assert forced.exit_code == 0, forced.output
    assert "nonaktif: KEC-DELANG Kecamatan Delang (masih memiliki tugas terbuka pada siklus berjalan)" in forced.output


def test_invite_all_skips_opds_with_an_operator_csv(env):
    run("init")
    (env / "org.csv").write_text(FOUR, encoding="utf-8")
    run("opd", "import", "org.csv", "--replace")
    run("user", "add", "--telegram-id", "2001", "--nama", "Operator Disdik", "--peran", "opd", "--opd", "DISDIK")
    run("user", "add", "--telegram-id", "2002", "--nama", "Kepala Dinsos", "--peran", "kepala_opd", "--opd", "DINSOS")
    result = run("invite", "--peran", "opd", "--semua", "--format", "csv", "--out", "undangan.csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO((env / "undangan.csv").read_text(encoding="utf-8-sig"))))
    assert [r["kode"] for r in rows] == ["BAPPEDA", "DINSOS", "ORG"]  # a Kepala is not an operator
    assert all(r["tautan"].startswith("https://t.me/esakip_lamandau_bot?start=") for r in rows)
    assert len({r["tautan"] for r in rows}) == 3
    # each link registers an operator of its OPD, once
    svc = services()
    user = svc.directory.redeem_invite(rows[2]["tautan"].split("=", 1)[1], 7001, "Operator Org")
    assert user.opd_kode == "ORG" and user.peran.value == "opd"
    again = run("invite", "--peran", "opd", "--semua", "--format", "csv")
    assert [r["kode"] for r in csv.DictReader(io.StringIO(again.stdout.lstrip("\ufeff")))] == ["BAPPEDA", "DINSOS"]
    for bad, reason in ((("--peran", "kabag", "--semua"), "hanya untuk --peran opd"),
                        (("--peran", "opd", "--semua", "--opd", "ORG"), "tanpa --opd"),
                        (("--peran", "opd", "--semua", "--format", "docx"), "--format harus"),
                        (("--peran", "opd", "--opd", "ORG", "--format", "pdf"), "hanya berlaku bersama --semua")):
        assert reason in one_error_line(run("invite", *bad)), bad


def test_invite_all_pdf_has_one_page_per_opd_with_name_qr_and_expiry(env):
    run("init")
    (env / "org.csv").write_text(FOUR, encoding="utf-8")
    run("opd", "import", "org.csv", "--replace")
    run("user", "add", "--telegram-id", "2001", "--nama", "Operator Disdik", "--peran", "opd", "--opd", "DISDIK")
    result = run("invite", "--peran", "opd", "--semua", "--format", "pdf", "--out", "undangan.pdf", "--hari", "14")
    assert result.exit_code == 0, result.output
    pdf = env / "undangan.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+3$", info, re.M), info
    pages = [subprocess.run(["pdftotext", "-layout", "-f", str(i), "-l", str(i), str(pdf), "-"], capture_output=True,
                            text=True, check=True).stdout for i in (1, 2, 3)]
    for page, (kode, nama) in zip(pages, [("BAPPEDA", "Badan Perencanaan"), ("DINSOS", "Dinas Sosial"),
                                          ("ORG", "Bagian Organisasi")]):
        assert "UNDANGAN PENDAFTARAN OPERATOR" in page and nama in page and f"Kode Perangkat Daerah: {kode}" in page
        assert "Berlaku sampai" in page and "satu kali" in page and "https://t.me/esakip_lamandau_bot?start=" in page
        assert "Pindai kode QR" in page
    assert "Yth. Kepala Dinas Sosial" in pages[1]
    decode_qr_if_possible(env)


def decode_qr_if_possible(env) -> None:
    """Decode the first page's QR when zbarimg is installed (optional)."""
    import shutil

    if shutil.which("zbarimg") is None:
        return
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(env / "undangan.pdf"), str(env / "p")],
                   check=True)
    png = next(env.glob("p*.png"))
    out = subprocess.run(["zbarimg", "-q", str(png)], capture_output=True, text=True).stdout
    assert "https://t.me/esakip_lamandau_bot?start=" in out


def test_an_operator_added_mid_cycle_is_sent_the_open_task(env):
    run("init")
    start_cycle_with_open_tasks()
    added = run("user", "add", "--telegram-id", "2003", "--nama", "Operator Delang", "--peran", "opd",
                "--opd", "KEC-DELANG")
    assert added.exit_code == 0, added.output
    assert "1 tugas terbuka Perangkat Daerah ini dikirimkan kepadanya melalui bot" in added.output
    svc = services()
    with svc.db.transaction(write=False) as s:
        row = s.scalars(select(m.Outbox).where(m.Outbox.chat_id == 2003, m.Outbox.purpose == "task")).one()
    assert "Kecamatan Delang" in row.payload["text"]
    again = run("user", "add", "--telegram-id", "2004", "--nama", "Kepala Disdik", "--peran", "kepala_opd",
                "--opd", "DISDIK")
    assert "tugas terbuka" not in again.output
    head = run("user", "add", "--telegram-id", "2005", "--nama", "Camat Delang", "--peran", "kepala_opd",
               "--opd", "KEC-DELANG")
    assert head.exit_code == 0 and "tugas terbuka" not in head.output  # the operator has it
