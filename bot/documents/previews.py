"""Realistic example documents and their PNG previews in docs/previews/.

Run ``.venv/bin/python -m bot.documents.previews`` (needs ``pdftoppm`` from poppler-utils).
The examples are also what bench/bench_documents.py renders. With ``--demo`` it also runs the
offline demo (``esakip-bot demo``) and writes every page of every PDF the demo produced, and of
the demo cycle's SOP monitoring form, to docs/previews/demo/: what a user of the demo sees.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import date, datetime, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

from bot import documents as d
from bot.documents import wording
from bot.formatting import WIB
from bot.sop.definition import Pejabat

OUT = Path(__file__).resolve().parents[2] / "docs" / "previews"
NOMOR = "000.8/123/SETDA-ORG/XI/2026"
HAL = "Pengisian Data Kinerja Perangkat Daerah pada Aplikasi E-SAKIP"
SEKDA = d.Penandatangan(
    jabatan="SEKRETARIS DAERAH", nama="Dr. MUHAMAD IRWANSYAH, SP., MP",
    pangkat="Pembina Utama Muda (IV/c)", nip="197710272003121005", atas_nama="BUPATI LAMANDAU",
)
SIGNED_AT = datetime(2026, 11, 24, 14, 5, tzinfo=WIB)
OPERATOR = ("Rina Marlina, S.E.", "Agus Setiawan", "Dewi Lestari, S.Kom.", "Hendra Gunawan",
            "Siti Aminah, S.AP.", "Yohanes Dami", "Nur Hidayah", "Bambang Sutrisno, S.T.")


def _opd_rows() -> list[dict[str, str]]:
    text = (files("bot") / "data" / "opd-lamandau.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


def opd_names() -> list[str]:
    """The bundled list of Lamandau Perangkat Daerah (editable seed data, see DOMAIN.md)."""
    return [row["nama"] for row in _opd_rows()]


def penerima() -> list[d.Penerima]:
    """The bundled list as addressees (its jabatan_pimpinan column, else the default rule)."""
    from bot.documents.alamat import pimpinan

    return [d.Penerima(nama=row["nama"], jabatan=row.get("jabatan_pimpinan") or pimpinan(row["nama"]))
            for row in _opd_rows()]


def contoh_isi() -> list[str]:
    from bot.documents.isi import KonteksIsi, teks_isi

    return teks_isi(KonteksIsi(tahun_kinerja=2026, batas_waktu_pengisian=date(2026, 12, 31),
                               narahubung_nama="Rina Wulandari, S.E. (Bagian Organisasi)",
                               narahubung_telepon="0812 5000 1234"))


def signed(surat: Any, kode: str, at: datetime) -> Any:
    """The letter as signed by the Sekda in the bot: its verification block over its content."""
    digest = d.content_digest(surat)
    return replace(surat, draft=False, verifikasi=d.Verifikasi(
        kode=kode, sha256=digest, url_or_text_for_qr=d.verification_payload(kode, digest),
        ditandatangani_pada=at, oleh=SEKDA.nama))


def contoh_surat(*, draft: bool, kepada: list[str] | None = None) -> d.SuratPemberitahuan:
    surat = d.SuratPemberitahuan(
        nomor=NOMOR, tanggal=date(2026, 11, 24), sifat="Penting", lampiran="1 (satu) berkas",
        hal=HAL, kepada=kepada or penerima(), batas_waktu_pengisian=date(2026, 12, 31),
        tahun_kinerja=2026, penandatangan=SEKDA, isi=contoh_isi(),
        tembusan=list(wording.tembusan("surat_pemberitahuan")), draft=True,
    )
    return surat if draft else signed(surat, "K7QXM2D9PA", SIGNED_AT)


def contoh_disposisi() -> d.LembarDisposisi:
    return d.LembarDisposisi(
        surat_dari="Kepala Biro Organisasi Sekretariat Daerah Provinsi Kalimantan Tengah",
        nomor_surat="000.8/412/Org/XI/2026", tanggal_surat=date(2026, 11, 20),
        diterima_tanggal=date(2026, 11, 24), nomor_agenda="412/ORG/XI/2026", sifat="Segera",
        hal="Pengisian data kinerja Perangkat Daerah pada aplikasi E-SAKIP Tahun 2026",
        diteruskan_kepada=["Asisten Administrasi Umum"], harap="Proses lebih lanjut",
        catatan="Mohon ditugaskan Kepala Bagian Organisasi untuk menyiapkan surat pemberitahuan "
                "kepada seluruh Perangkat Daerah.\nSurat ditandatangani paling lambat hari ini.",
        batas_waktu=datetime(2026, 11, 24, 10, 30, tzinfo=WIB),
        oleh_nama=SEKDA.nama, oleh_jabatan="Sekretaris Daerah",
        tanggal=datetime(2026, 11, 24, 10, 12, tzinfo=WIB), kode_verifikasi="D4SPZ8WQ3M",
    )


def contoh_tanda_terima(opd: str = "Dinas Pendidikan", i: int = 0) -> d.TandaTerima:
    return d.TandaTerima(
        nomor_surat=NOMOR, tanggal_surat=date(2026, 11, 24), hal=HAL, opd=opd,
        diterima_oleh_nama=OPERATOR[i % len(OPERATOR)], diterima_oleh_jabatan="Operator E-SAKIP",
        diterima_pada=datetime(2026, 11, 25, 8, 14, tzinfo=WIB) + timedelta(minutes=7 * i),
        kode_verifikasi="T3RM9K2HXA",
    )


def contoh_rekap(opds: list[str] | None = None) -> d.RekapTandaTerima:
    names = opds or opd_names()
    start = datetime(2026, 11, 25, 7, 41, tzinfo=WIB)
    baris = [
        d.BarisTandaTerima(opd=name) if i % 9 == 4 else
        d.BarisTandaTerima(opd=name, diterima_oleh=OPERATOR[i % len(OPERATOR)],
                           jabatan="Operator E-SAKIP", diterima_pada=start + timedelta(minutes=11 * i))
        for i, name in enumerate(names)
    ]
    return d.RekapTandaTerima(
        nomor_surat=NOMOR, tanggal_surat=date(2026, 11, 24), hal=HAL, baris=baris,
        dibuat_pada=datetime(2026, 11, 25, 16, 0, tzinfo=WIB),
        mengetahui=Pejabat(jabatan="Kepala Bagian Organisasi", nama="Siti Rahmah, S.Sos., M.AP", pangkat="",
                           nip="198001012005012003"),
    )


def contoh_teguran(*, draft: bool = False) -> Any:
    """A Surat Teguran to Dinas Sosial, three working days after the batas waktu of NOMOR."""
    from bot.documents.teguran import SuratTeguran

    surat = SuratTeguran(
        nomor="000.8/131/SETDA-ORG/I/2027", tanggal=date(2027, 1, 6),
        hal=wording.hal("surat_teguran", 2026),
        kepada=d.Penerima(nama="Dinas Sosial", jabatan="Kepala Dinas Sosial Kabupaten Lamandau"),
        tahun_kinerja=2026, surat_nomor=NOMOR, surat_tanggal=date(2026, 11, 24), surat_hal=HAL,
        batas_waktu_semula=date(2026, 12, 31), kekurangan="mengisi", terlambat_hari_kerja=3,
        batas_waktu_baru=date(2027, 1, 13), penandatangan=SEKDA,
        tembusan=list(wording.tembusan("surat_teguran")))
    return surat if draft else signed(surat, "T9GRN4KX2B", datetime(2027, 1, 6, 10, 20, tzinfo=WIB))


def documents() -> dict[str, tuple[bytes, tuple[int, ...]]]:
    """name → (PDF, pages to preview)."""
    from bot.documents.teguran import render_surat_teguran

    # The samples are of Kabupaten Lamandau, in its zone (WIB).
    draft = d.render_surat_pemberitahuan(contoh_surat(draft=True), tz=WIB)
    signed = d.render_surat_pemberitahuan(contoh_surat(draft=False), tz=WIB)
    return {
        "surat_konsep": (draft, (1, 2)),
        "surat_ditandatangani": (signed, (1,)),
        "lembar_disposisi": (d.render_lembar_disposisi(contoh_disposisi(), tz=WIB), (1,)),
        "tanda_terima": (d.render_tanda_terima(contoh_tanda_terima(), tz=WIB), (1,)),
        "rekap_tanda_terima": (d.render_rekap_tanda_terima(contoh_rekap(), tz=WIB), (1,)),
        "surat_teguran": (render_surat_teguran(contoh_teguran(), tz=WIB), (1,)),
    }


def to_png(pdf: bytes, page: int, target: Path, dpi: int = 60) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page),
                        "-singlefile", str(src), str(target.with_suffix(""))], check=True)


#: Document kinds the demo's people upload (placeholder PDFs), left out of the demo previews.
UPLOADED = ("surat_masuk", "lampiran_opd")


def demo_previews(target: Path = OUT / "demo") -> list[Path]:
    """Run the demo on a scratch SQLite file, export its monitoring form, and turn every page
    of every PDF into a PNG under `target` (emptied first)."""
    cli = [sys.executable, "-m", "bot.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = f"sqlite:///{work / 'demo.db'}"
        subprocess.run([*cli, "demo", "--db", url, "--out", str(work / "out")], check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run([*cli, "monitoring", "--format", "pdf", "--out", str(work / "out" / "99-monitoring_sop.pdf")],
                       check=True, stdout=subprocess.DEVNULL, env={**os.environ, "ESAKIP_DATABASE_URL": url})
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for pdf in sorted((work / "out").glob("*.pdf")):
            if any(f"-{kind}-" in pdf.name for kind in UPLOADED):
                continue  # the demo users' stand-in uploads, not documents the bot renders
            subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(target / pdf.stem)], check=True)
    return sorted(target.glob("*.png"))


def main() -> int:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found: install poppler-utils", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    if "--demo" in sys.argv[1:]:
        for png in demo_previews():
            print(f"{png.relative_to(OUT.parents[1])} ({png.stat().st_size // 1024} KB)")
    for name, (pdf, pages) in documents().items():
        for page in pages:
            target = OUT / f"{name}-{page}.png"
            to_png(pdf, page, target)
            print(f"{target.relative_to(OUT.parents[1])} ({target.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
