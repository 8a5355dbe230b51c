"""A user's file name is made safe once, in one function, for everywhere it goes."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.demo import run_cycle
from bot.filenames import MAX_LENGTH, safe_filename
from bot.storage import models as m


@pytest.mark.parametrize(("name", "safe"), [
    ("../../../x.pdf", "x.pdf"),
    ("..\\..\\Windows\\x.pdf", "x.pdf"),
    ("/etc/passwd", "passwd"),
    ("Rancangan LKj  Disdik 2026 .pdf", "Rancangan LKj Disdik 2026.pdf"),
    ("laporan\u202efdp.exe", "laporanfdp.exe"),      # right-to-left override
    ("a\x00b\r\nc.pdf", "abc.pdf"),
    ('nama:"jahat"?<>|*.docx', "nama__jahat______.docx"),
    ("CON.pdf", "_CON.pdf"),
    ("", "berkas"), (None, "berkas"), ("..", "berkas"), (".pdf", "berkas.pdf"), ("   ", "berkas"),
])
def test_safe_filename(name, safe):
    assert safe_filename(name) == safe


def test_long_names_are_bounded_and_keep_their_extension():
    name = safe_filename("x" * 500 + ".xlsx")
    assert len(name) == MAX_LENGTH and name.endswith(".xlsx")
    assert safe_filename("Laporan" + "é" * 300 + ".pdf").endswith(".pdf")


def inside(root: Path, member: str) -> bool:
    target = (root / member).resolve()
    return target == root or root in target.parents


async def test_an_upload_named_with_folders_stays_inside_the_archive(sim, tmp_path):
    await run_cycle(sim, returned_opd="dinsos", upload_name="../../../x.pdf")
    with sim.svc.db.transaction(write=False) as s:
        archive = s.scalar(select(m.Document).where(m.Document.kind == "arsip"))
        names = s.scalars(select(m.Document.filename).where(m.Document.kind == "lampiran_opd")).all()
        audit = json.dumps([a.after for a in s.scalars(select(m.AuditLog))], ensure_ascii=False)
    assert names and set(names) == {"x.pdf"}
    assert "../" not in audit
    root = (tmp_path / "ekstrak" / "arsip").resolve()
    root.mkdir(parents=True)
    with zipfile.ZipFile(io.BytesIO(Path(archive.file_path).read_bytes())) as zf:
        members = zf.namelist()
        assert any(name.endswith("-x.pdf") for name in members)
        for member in members:  # as a naive unzip would write them
            assert inside(root, member), member
            (root / member).parent.mkdir(parents=True, exist_ok=True)
            (root / member).write_bytes(zf.read(member))
    assert not list((tmp_path / "ekstrak").glob("*.pdf")) and not list(tmp_path.glob("x.pdf"))
    # every document Telegram was sent carries a plain name
    sent = [msg.file.file_name for who in sim.people for msg in sim.messages(who)
            if msg.file is not None and msg.direction == "bot→user"]
    assert sent and not any("/" in n or "\\" in n for n in sent)


def test_an_unsafe_name_stored_before_is_made_safe_in_the_archive(sim, tmp_path):
    from bot.demo import SAMPLE_PDF
    from bot.services.paperwork import build_archive

    pdf = tmp_path / "lama.pdf"
    pdf.write_bytes(SAMPLE_PDF)
    sim.svc.cycles.start(sim.tg("sekda"))
    with sim.svc.db.transaction() as s:
        cycle = s.scalar(select(m.Cycle))
        doc = m.Document(cycle_id=cycle.id, kind="lampiran_opd", filename="x.pdf", mime_type="application/pdf",
                         file_path=str(pdf), size=1, sha256="0" * 64,
                         created_at=sim.clock.now())
        s.add(doc)
        doc.filename = "../../../../tmp/evil.pdf"
        s.flush()
        data = build_archive(s, sim.svc.sop, cycle, sim.clock.now(), sim.svc.settings.tz)
    members = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert not any(".." in Path(name).parts for name in members), members
