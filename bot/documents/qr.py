"""QR codes as SVG data URIs, drawn locally (nothing is fetched)."""

from __future__ import annotations

import base64
from functools import lru_cache

import qrcode
import qrcode.constants
from qrcode.image.svg import SvgPathImage

#: What a verification QR holds: "ESAKIP-LMD:<kode>" or "ESAKIP-LMD:<kode>:<sha256 prefix>".
QR_PREFIX = "ESAKIP-LMD"


def verification_payload(kode: str, sha256: str | None = None, prefix_len: int = 16) -> str:
    return f"{QR_PREFIX}:{kode}:{sha256[:prefix_len]}" if sha256 else f"{QR_PREFIX}:{kode}"


@lru_cache(maxsize=256)
def qr_data_uri(text: str) -> str:
    """A QR code of `text` as a data:image/svg+xml URI (scale it with CSS)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0,
                       image_factory=SvgPathImage)
    qr.add_data(text)
    qr.make(fit=True)
    svg = qr.make_image().to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
