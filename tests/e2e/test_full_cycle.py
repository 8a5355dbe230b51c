"""A whole cycle through the real Application and the Bot API double, over HTTP.

The cycle is run once for this module (about 13 s) and each test reads what it left: the
database, the chats and the archive; none of them changes anything."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from sqlalchemy import select

from bot.demo import run_cycle
from bot.simulation import Simulation
from bot.storage import models as m
from tests.e2e.conftest import OPDS

# Under xdist the three tests go to one worker, so the cycle is run once, not once per worker.
pytestmark = pytest.mark.xdist_group("full_cycle")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def cycle(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Simulation]:
    """One whole cycle, Dinsos returned once, run to its archive."""
    async with Simulation(tmp_path_factory.mktemp("full_cycle"), opds=OPDS) as simulation:
        await run_cycle(simulation, returned_opd="dinsos")
        yield simulation
        simulation.double.assert_no_violations()


def test_a_whole_cycle_closes_with_a_complete_audit_trail(cycle):
    sim = cycle
    with sim.svc.db.transaction(write=False) as s:
        cycle = s.scalar(select(m.Cycle))
        assert cycle.status == "closed"
        progress = {p.opd_kode: p for p in s.scalars(select(m.CycleOpd))}
        actions = s.scalars(select(m.AuditLog.action).where(m.AuditLog.cycle_id == cycle.id)
                            .order_by(m.AuditLog.id)).all()
        letter = s.scalar(select(m.Document).where(m.Document.kind == "surat_pemberitahuan"))
        attachments = s.scalars(select(m.Document).where(m.Document.kind == "lampiran_opd")).all()
    assert all(p.status == "terverifikasi" for p in progress.values())
    assert progress["DINSOS"].returns == 1 and progress["DISDIK"].returns == 0
    assert actions[0] == "cycle_start" and actions[-1] == "task_archive"
    for action, count in {"task_forward": 3, "task_submit_draft": 2, "task_return": 1, "task_approve": 2,
                          "task_sign": 1, "task_distribute": 1, "task_confirm_receipt": 3,
                          "task_submit": 4, "task_tidak_sesuai": 1, "task_sesuai": 3,
                          "task_confirm_recap": 1}.items():
        assert actions.count(action) == count, action
    assert letter.verification_code and letter.signed_at is not None
    assert sorted(a.opd_kode for a in attachments) == ["DINSOS", "DISDIK", "KEC-DELANG"]


def test_what_each_person_saw(cycle):
    sim = cycle
    # every operator received the signed letter as a PDF document, then confirmed receipt
    for who in ("disdik", "dinsos", "kec-delang"):
        docs = [msg for msg in sim.messages(who) if msg.file is not None and msg.direction == "bot→user"]
        assert any(d.file.file_name.startswith("Surat_Pengisian_E-SAKIP") for d in docs), who
        assert any("Surat diterima oleh" in msg.plain_text for msg in sim.messages(who)), who
    # the redrafting member saw the Kabag's correction note
    texts = [msg.plain_text for msg in sim.messages("tim2")]
    assert any("Catatan perbaikan dari Siti Rahmah" in t and "narahubung Bagian Organisasi" in t for t in texts)
    # the returned OPD saw Tim SAKIP's note
    assert any("Catatan perbaikan" in t and "Target IKU" in t for t in (m.plain_text for m in sim.messages("dinsos")))
    # a verification taken by one member is shown as taken to the other, in their queue message
    assert any(e.chat_id == sim.tg("tim2") and "diambil oleh Rina Wulandari" in (e.text or "")
               for e in sim.double.transcript())
    # the Sekda was told the cycle closed, and no finished task keeps live buttons
    assert "selesai" in sim.last_text("sekda")
    for person in sim.people:
        for msg in sim.messages(person):
            if msg.plain_text.startswith("✅ Langkah"):
                assert not msg.buttons, (person, msg.plain_text)


def test_the_paper_trail_and_the_archive(cycle):
    sim = cycle
    import hashlib
    import io
    import json
    import zipfile
    from collections import Counter

    with sim.svc.db.transaction(write=False) as s:
        kinds = Counter(s.scalars(select(m.Document.kind)))
        archive = s.scalar(select(m.Document).where(m.Document.kind == "arsip"))
    assert kinds["lembar_disposisi"] == 3 and kinds["tanda_terima"] == 3
    assert kinds["rekap_tanda_terima"] == 1 and kinds["surat_pemberitahuan"] == 1
    from pathlib import Path

    zf = zipfile.ZipFile(io.BytesIO(Path(archive.file_path).read_bytes()))
    manifest = json.loads(zf.read("manifest.json"))
    assert len(manifest["berkas"]) == len(zf.namelist()) - 1
    for entry in manifest["berkas"]:
        assert hashlib.sha256(zf.read(entry["berkas"])).hexdigest() == entry["sha256"]
    assert {"rekap.xlsx", "monitoring_sop.pdf", "riwayat.csv"} <= set(zf.namelist())
    # the scan of the incoming letter the Sekda attached at /mulai is kept with the documents
    assert kinds["surat_masuk"] == 1
    assert [n for n in zf.namelist() if "-surat_masuk-" in n] == [
        "dokumen/001-surat_masuk-Surat_Biro_Organisasi_Provinsi.pdf"]
    assert kinds["rekap"] == 1
    # the Kabag received the recapitulation (step 11's kelengkapan) with the task
    assert any(msg.file is not None and msg.file.file_name.startswith("Rekapitulasi_E-SAKIP")
               for msg in sim.messages("kabag"))
    history = zf.read("riwayat.csv").decode("utf-8-sig")
    assert "task_archive" not in history  # the archive is built before its own record
    assert history.count("task_sesuai") == 3 and "task_tidak_sesuai" in history
    # the documents as the Inspektorat reads them (issue 11, items 8 and 9)
    from pypdf import PdfReader

    def text_of(data: bytes) -> str:
        return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)

    monitoring = text_of(zf.read("monitoring_sop.pdf"))
    assert "4 dari 3" not in monitoring and monitoring.count("3 dari 3 Perangkat Daerah selesai") == 3
    assert "Operator" not in monitoring.split("8. Mendistribusikan")[1].split("9. Menerima")[0]
    assert "Penilai, Kepala Bagian Organisasi, Siti Rahmah, S.Sos., M.AP NIP." in monitoring
    with sim.svc.db.transaction(write=False) as s:
        paths = {kind: path for kind, path in s.execute(select(m.Document.kind, m.Document.file_path))}
    receipts = text_of(Path(paths["rekap_tanda_terima"]).read_bytes())
    assert "Mengetahui, Kepala Bagian Organisasi, Siti Rahmah, S.Sos., M.AP NIP." in receipts
    assert "Bot Telegram E-SAKIP Kabupaten Lamandau" in text_of(Path(paths["tanda_terima"]).read_bytes())
    # Tim SAKIP received the archive as a document
    archived = [msg for msg in sim.messages("tim1")
                if msg.file is not None and msg.file.file_name.startswith("Arsip_E-SAKIP")]
    assert archived and "daftar sidik berkas (SHA-256)" in archived[0].plain_text  # not "manifest"
