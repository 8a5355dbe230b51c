"""The invitation sheets of `esakip-bot invite --peran opd --semua --format pdf`: one page per
Perangkat Daerah with its name, a QR code of its single-use link, how to use it, the expiry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

from bot.documents.layout import Halaman
from bot.documents.models import KOP_SETDA_LAMANDAU, Kop


def render_undangan(invites: Sequence[Any], kop: Kop = KOP_SETDA_LAMANDAU, halaman: Halaman | None = None,
                    tz: tzinfo | None = None) -> bytes:
    """`invites`: objects with kode, nama, link and expires_at (bot.services.reach_roster.OpdInvite),
    shown in the deployment's zone `tz`."""
    from bot.documents.render import render_pdf

    return render_pdf("undangan_opd.html", {"undangan": list(invites), "k": kop}, halaman, tz)
