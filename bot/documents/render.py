"""jinja2 → HTML → PDF (WeasyPrint), with the expensive parts built once.

One `Renderer` per page setup (`Halaman`: paper and margins) owns the jinja2 environment
(autoescaped, StrictUndefined), the parsed print stylesheets (the bundled font, documents.css,
the page) and the WeasyPrint font configuration; they are reused for every document. Nothing is
fetched from the network: only data: URLs, files under templates/documents and the bundled fonts.
"""

from __future__ import annotations

import logging
import re
import threading
import warnings
from collections.abc import Mapping
from datetime import date, datetime, tzinfo
from functools import cache, partial
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment

with warnings.catch_warnings():
    # Without libharfbuzz-subset0 WeasyPrint warns at import (it then subsets fonts with
    # fontTools); harmless today, and fatal under pytest's filterwarnings = error.
    warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
    from weasyprint import CSS, HTML
    from weasyprint.document import Document
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

from markupsafe import Markup, escape

from bot import formatting
from bot.documents.alamat import pimpinan
from bot.documents.layout import Halaman, font_dir, font_face_css
from bot.templating import base_environment
from bot.documents.qr import qr_data_uri, verification_payload


class _DropHarfBuzzNotice(logging.Filter):
    """WeasyPrint logs the HarfBuzz-Subset notice twice per document; keep its other warnings."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "HarfBuzz-Subset" not in record.getMessage()


logging.getLogger("weasyprint").addFilter(_DropHarfBuzzNotice())

TEMPLATE_PACKAGE, TEMPLATE_FOLDER = "templates", "documents"
STYLESHEET = "documents.css"


def template_dir() -> Path:
    return Path(str(files(TEMPLATE_PACKAGE) / TEMPLATE_FOLDER))


def waktu(value: date | datetime, tz: tzinfo | None = None) -> str:
    """A date as '24 November 2026', an instant as '24 November 2026 pukul 10.30 WIB' (in `tz`)."""
    if isinstance(value, datetime):
        return formatting.tanggal_jam(value, tz)
    return formatting.tanggal(value)


def paragraf(text: str | None) -> list[str]:
    """Split free text into paragraphs on blank lines or line breaks (empty lines dropped)."""
    return [" ".join(p.split()) for p in (text or "").splitlines() if p.strip()]


#: Words that must never break at their hyphen, in any document (see `keep_whole`).
UNBREAKABLE = ("E-SAKIP",)
_TEXT = re.compile(r"(<style\b.*?</style>|<svg\b.*?</svg>|<[^>]*>)|([^<]+)", re.S)


def keep_whole(html: str) -> str:
    """Wrap every 'E-SAKIP' of the body's text (not of tags, style blocks or inline SVG, whose
    text is laid out by its author) in a no-wrap span,
    so it never breaks at its hyphen, wherever the text comes from (template or data)."""
    head, sep, body = html.partition("<body")

    def text(match: re.Match[str]) -> str:
        if match.group(1):
            return match.group(1)
        chunk = match.group(2)
        for word in UNBREAKABLE:
            chunk = chunk.replace(word, f'<span class="utuh">{word}</span>')
        return chunk

    return head + sep + _TEXT.sub(text, body) if sep else html


def tebal(text: str, *phrases: str) -> Markup:
    """The text escaped, with the first of `phrases` found (e.g. the deadline) in bold."""
    html = str(escape(text))
    for phrase in phrases:
        target = str(escape(phrase))
        if phrase and target in html:
            return Markup(html.replace(target, f"<strong>{target}</strong>", 1))
    return Markup(html)


def make_environment(tz: tzinfo | None = None) -> Environment:
    """The documents' environment; instants are shown in `tz`, the deployment's zone."""
    env = base_environment(TEMPLATE_FOLDER, tz)
    env.filters.update(waktu=partial(waktu, tz=tz), paragraf=paragraf, pimpinan=pimpinan, tebal=tebal)
    env.globals.update(qr_data_uri=qr_data_uri, verification_payload=verification_payload)
    return env


class _LocalOnlyFetcher(URLFetcher):
    """Loads data: URLs and files under the template folder (and the bundled fonts); refuses
    everything else."""

    def __init__(self, root: Path, *others: Path) -> None:
        super().__init__(allowed_protocols={"data", "file"})
        self._roots = tuple(folder.resolve().as_uri() + "/" for folder in (root, *others))

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not (url.startswith("data:") or url.startswith(self._roots)):
            raise ValueError(f"refusing to fetch {url!r}: documents load local resources only")
        return super().fetch(url, headers)


_LAYOUT_LOCK = threading.Lock()


class Renderer:
    """Renders templates/documents/<name> to HTML or PDF, instants in the zone `tz`; safe to
    share between threads."""

    def __init__(self, env: Environment | None = None, halaman: Halaman | None = None,
                 tz: tzinfo | None = None) -> None:
        self.env = env or make_environment(tz)
        self.halaman = halaman or Halaman()
        self.base_dir = template_dir()
        self.base_url = self.base_dir.as_uri() + "/"
        self._fetcher = _LocalOnlyFetcher(self.base_dir, font_dir())
        self._font_config = FontConfiguration()
        sources = (font_face_css(), (self.base_dir / STYLESHEET).read_text(encoding="utf-8"),
                   self.halaman.css())
        self._stylesheets = [CSS(string=text, base_url=self.base_url, font_config=self._font_config,
                                 url_fetcher=self._fetcher) for text in sources]
        # Pango's font map is shared by every renderer (one per page setup); WeasyPrint layout is
        # CPU-bound Python anyway.
        self._lock = _LAYOUT_LOCK

    def render_html(self, template_name: str, context: Mapping[str, Any]) -> str:
        return keep_whole(self.env.get_template(template_name).render(**context))

    def layout(self, template_name: str, context: Mapping[str, Any]) -> Document:
        """The laid-out pages (for tests and page counts); `render_pdf` writes them."""
        html = self._html(template_name, context)
        with self._lock:
            return html.render(stylesheets=self._stylesheets, font_config=self._font_config)

    def render_pdf(self, template_name: str, context: Mapping[str, Any]) -> bytes:
        html = self._html(template_name, context)
        with self._lock:
            return html.write_pdf(stylesheets=self._stylesheets, font_config=self._font_config)

    def _html(self, template_name: str, context: Mapping[str, Any]) -> HTML:
        return HTML(string=self.render_html(template_name, context), base_url=self.base_url,
                    url_fetcher=self._fetcher)


@cache
def renderer_for(halaman: Halaman, tz: tzinfo | None = None) -> Renderer:
    """One renderer per page setup and zone (a deployment has one; tests may use a few)."""
    return Renderer(halaman=halaman, tz=tz)


def default_renderer(tz: tzinfo | None = None) -> Renderer:
    return renderer_for(Halaman(), tz)


def render_html(template_name: str, context: Mapping[str, Any], tz: tzinfo | None = None) -> str:
    """The document as HTML (the print stylesheets are applied by `render_pdf`)."""
    return default_renderer(tz).render_html(template_name, context)


def render_pdf(template_name: str, context: Mapping[str, Any], halaman: Halaman | None = None,
               tz: tzinfo | None = None) -> bytes:
    """The document as PDF bytes, on the given page setup (A4 and the default margins if None),
    instants shown in `tz` (the deployment's zone; a document showing one fails without it)."""
    return renderer_for(halaman or Halaman(), tz).render_pdf(template_name, context)
