"""The audit trail of a cycle as people read it: each record of the audit log with its step,
its Perangkat Daerah and the few values its line shows (/riwayat, the archive, /rekap KODE)."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.reports.audit import AuditEvent, AuditTrail
from bot.services.errors import NotFound
from bot.storage import models as m


def load_trail(s: Session, cycle_id: int, now: datetime, *, tz: tzinfo | None = None) -> AuditTrail:
    cycle = s.get(m.Cycle, cycle_id)
    if cycle is None:
        raise NotFound("cycle.cycle_unknown", cycle_id=cycle_id)
    task_at = {str(i): (step, opd) for i, step, opd in s.execute(
        select(m.Task.id, m.Task.step, m.Task.opd_kode).where(m.Task.cycle_id == cycle_id))}
    opd_names = {kode: nama for kode, nama in s.execute(select(m.PerangkatDaerah.kode, m.PerangkatDaerah.nama))}
    rows = s.scalars(select(m.AuditLog).where(m.AuditLog.cycle_id == cycle_id).order_by(m.AuditLog.id)).all()
    events = []
    for row in rows:
        step, opd = task_at.get(row.entity_id or "", (None, None)) if row.entity == "task" else (None, None)
        after: dict[str, Any] = row.after or {}
        if row.action == "escalation":
            step, opd = after.get("langkah", step), after.get("opd", opd)
        task = after.get("task")
        events.append(AuditEvent(
            id=row.id, at=row.at, actor=row.actor_label, action=row.action, step=step, opd_kode=opd,
            opd_nama=opd_names.get(opd) if opd else None,
            note=task.get("note") if isinstance(task, dict) else None, detail=_detail(row.action, after)))
    return AuditTrail(cycle.id, cycle.tahun, now, tuple(events), tz=tz)


def _detail(action: str, after: dict[str, Any]) -> dict[str, Any]:
    """The few values the readable line of an event shows."""
    if action == "cycle_start":
        return {"jumlah_opd": len(after.get("opd", []))}
    if action == "window_close":
        return {"tidak_selesai": len(after.get("tidak_selesai", []))}
    if action == "escalation":
        return {"tingkat": after.get("tingkat")}
    if action == "acknowledge" and after.get("sampai"):
        return {"sampai": datetime.fromisoformat(after["sampai"])}
    if action == "nudge":
        return {"penerima": after.get("penerima", 0)}
    if action == "letter_official":
        return {"nomor": after.get("nomor")}
    if action == "task_sign":
        return {"nomor": (after.get("payload") or {}).get("nomor")}
    return {}
