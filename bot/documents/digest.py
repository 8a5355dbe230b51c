"""What the verification block vouches for, and the short code people type to check it.

The SHA-256 printed on a signed letter cannot be the hash of the PDF that contains it (the
hash would change the file). It is therefore the SHA-256 of the letter's *content*: a canonical
JSON serialization of the document dataclass (keys sorted, no whitespace, UTF-8, dates in ISO
8601, sequences as arrays), wrapped with the document kind and a format version::

    {"jenis": "SuratPemberitahuan", "versi": 1, "isi": {...every content field...}}

Fields that record the approval rather than the content (``verifikasi``, ``kode_verifikasi``,
marked with ``metadata={"digest": False}``) are left out, so the digest computed before signing
equals the one printed after. ``draft`` is left out too: the konsep that was approved and the
signed letter have the same content. The digest can be recomputed from the letter's stored
fields; the file itself is checked with the bot (``/verifikasi <kode>``), which keeps the
SHA-256 of the PDF it sent under that code. PDF bytes are not promised to be identical between
renders (font subsetting), which is why the printed digest is over the content.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import secrets
from datetime import date, datetime
from typing import Any

DIGEST_VERSION = 2  # 2: addressees with their jabatan, the body as paragraphs, selaku
#: Fields that never belong to the content, whatever their metadata says.
_NOT_CONTENT = frozenset({"draft"})
#: 32 symbols: no 0/O, no 1/I, so a code read aloud or typed from paper is unambiguous.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.metadata.get("digest", True) and f.name not in _NOT_CONTENT}
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("datetimes in a document must be timezone-aware")
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot serialize {type(value).__name__} in a document")


def canonical_content(document: Any) -> bytes:
    """The stable serialization that `content_digest` hashes."""
    payload = {"jenis": type(document).__name__, "versi": DIGEST_VERSION, "isi": _plain(document)}
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def content_digest(document: Any) -> str:
    """SHA-256 (hex) of the document's canonical content; see the module docstring."""
    return hashlib.sha256(canonical_content(document)).hexdigest()


def make_verification_code(length: int = CODE_LENGTH) -> str:
    """A random code such as 'K7QXM2D9PA' (50 bits at the default length)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalize_code(text: str) -> str:
    """What a person typed ('k7qx-m2d9 pa') as a code ('K7QXM2D9PA'): upper case, no separators."""
    return "".join(ch for ch in text.upper() if ch.isalnum())
