"""Inline keyboards as plain data ({"text", "callback_data"} rows), built in one place."""

from __future__ import annotations

from bot import callbacks
from bot.services.views import TaskView
from bot.workflow import ActionKind

Keyboard = list[list[dict[str, str]]]

#: Short action codes used in callback data ("t:<code>:<task id>").
ACTION_CODE: dict[ActionKind, str] = {
    ActionKind.FORWARD: "fw",
    ActionKind.SUBMIT_DRAFT: "dr",
    ActionKind.APPROVE: "ap",
    ActionKind.RETURN: "rt",
    ActionKind.SIGN: "sg",
    ActionKind.DISTRIBUTE: "ds",
    ActionKind.CONFIRM_RECEIPT: "rc",
    ActionKind.SUBMIT: "sb",
    ActionKind.VERIFY_SESUAI: "ok",
    ActionKind.VERIFY_TIDAK_SESUAI: "no",
    ActionKind.CONFIRM_RECAP: "rk",
    ActionKind.ARCHIVE: "ar",
}
CODE_ACTION = {code: action for action, code in ACTION_CODE.items()}

#: Extra codes: forward with a typed arahan; confirm a signature.
FORWARD_WITH_NOTE = "fn"
CONFIRM_SIGN = "sy"
CANCEL = "bt"
OFFICIAL_LETTER = "tt"


def button(text: str, action: str, task_id: int, ns: str = "t") -> dict[str, str]:
    return {"text": text, "callback_data": callbacks.encode(ns, action, task_id)}


def task_keyboard(view: TaskView) -> Keyboard:
    if not view.is_open:
        return []
    rows: Keyboard = []
    for action in view.actions:
        code = ACTION_CODE[action]
        if action is ActionKind.DISTRIBUTE:
            rows.append([button(LABELS[action], code, view.id)])
            rows.append([button("Unggah surat ber-TTE (SRIKANDI)", OFFICIAL_LETTER, view.id)])
            continue
        if action is ActionKind.FORWARD:
            target = view.next_role_label or "langkah berikutnya"
            rows.append([button(f"Disposisikan ke {_short(target)}", code, view.id)])
            rows.append([button("Tambah arahan", FORWARD_WITH_NOTE, view.id)])
        else:
            rows.append([button(LABELS[action], code, view.id)])
    if len(rows) == 2 and all(len(r) == 1 for r in rows) and view.actions and \
            view.actions[0] is not ActionKind.FORWARD:
        rows = [rows[0] + rows[1]]  # a decision's two answers side by side
    return rows


def confirm_sign_keyboard(task_id: int) -> Keyboard:
    return [[button("Ya, tandatangani", CONFIRM_SIGN, task_id), button("Batal", CANCEL, task_id)]]


LABELS: dict[ActionKind, str] = {
    ActionKind.SUBMIT_DRAFT: "Isi konsep surat",
    ActionKind.APPROVE: "Setujui",
    ActionKind.RETURN: "Kembalikan",
    ActionKind.SIGN: "Tandatangani",
    ActionKind.DISTRIBUTE: "Distribusikan surat",
    ActionKind.CONFIRM_RECEIPT: "Terima surat",
    ActionKind.SUBMIT: "Laporkan selesai",
    ActionKind.VERIFY_SESUAI: "Sesuai",
    ActionKind.VERIFY_TIDAK_SESUAI: "Tidak sesuai",
    ActionKind.CONFIRM_RECAP: "Terima rekapitulasi",
    ActionKind.ARCHIVE: "Arsipkan",
}


def _short(label: str) -> str:
    return {"Asisten Administrasi Umum": "Asisten", "Kepala Bagian Organisasi": "Kabag",
            "Tim SAKIP Kabupaten": "Tim SAKIP"}.get(label, label)
