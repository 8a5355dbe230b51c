"""jinja2 → HTML → PDF (WeasyPrint), with the expensive parts built once.

One `Renderer` owns the jinja2 environment (autoescaped, StrictUndefined), the parsed print
stylesheet and the WeasyPrint font configuration; they are reused for every document. Nothing is
fetched from the network: only data: URLs and files under templates/documents are loaded.
"""

from __future__ import annotations

import logging
import threading
import warnings
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
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

from bot import formatting
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


def waktu(value: date | datetime) -> str:
    """A date as '24 November 2026', a datetime as '24 November 2026 pukul 10.30 WIB'."""
    if isinstance(value, datetime):
        return formatting.tanggal_jam(value)
    return formatting.tanggal(value)


def paragraf(text: str | None) -> list[str]:
    """Split free text into paragraphs on blank lines or line breaks (empty lines dropped)."""
    return [" ".join(p.split()) for p in (text or "").splitlines() if p.strip()]


def pimpinan(opd: str) -> str:
    """The head of a Perangkat Daerah as an addressee: 'Dinas Sosial' → 'Kepala Dinas Sosial'."""
    name = " ".join(opd.split())
    if name.startswith(("Kepala ", "Camat ", "Sekretaris ", "Inspektur", "Direktur ")):
        return name
    if name.startswith("Kecamatan "):
        return "Camat " + name.removeprefix("Kecamatan ")
    if name == "Sekretariat DPRD":
        return "Sekretaris DPRD"
    if name == "Inspektorat":
        return "Inspektur"
    return "Kepala " + name


def make_environment() -> Environment:
    env = base_environment(TEMPLATE_FOLDER)
    env.filters.update(waktu=waktu, paragraf=paragraf, pimpinan=pimpinan)
    env.globals.update(qr_data_uri=qr_data_uri, verification_payload=verification_payload)
    return env


class _LocalOnlyFetcher(URLFetcher):
    """Loads data: URLs and files under the template folder; refuses everything else."""

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols={"data", "file"})
        self._root = root.resolve().as_uri() + "/"

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not (url.startswith("data:") or url.startswith(self._root)):
            raise ValueError(f"refusing to fetch {url!r}: documents load local resources only")
        return super().fetch(url, headers)


class Renderer:
    """Renders templates/documents/<name> to HTML or PDF; safe to share between threads."""

    def __init__(self, env: Environment | None = None) -> None:
        self.env = env or make_environment()
        self.base_dir = template_dir()
        self.base_url = self.base_dir.as_uri() + "/"
        self._fetcher = _LocalOnlyFetcher(self.base_dir)
        self._font_config = FontConfiguration()
        self._stylesheet = CSS(string=(self.base_dir / STYLESHEET).read_text(encoding="utf-8"),
                               base_url=self.base_url, font_config=self._font_config,
                               url_fetcher=self._fetcher)
        # Pango's font map is shared; WeasyPrint layout is CPU-bound Python anyway.
        self._lock = threading.Lock()

    def render_html(self, template_name: str, context: Mapping[str, Any]) -> str:
        return self.env.get_template(template_name).render(**context)

    def layout(self, template_name: str, context: Mapping[str, Any]) -> Document:
        """The laid-out pages (for tests and page counts); `render_pdf` writes them."""
        html = self._html(template_name, context)
        with self._lock:
            return html.render(stylesheets=[self._stylesheet], font_config=self._font_config)

    def render_pdf(self, template_name: str, context: Mapping[str, Any]) -> bytes:
        html = self._html(template_name, context)
        with self._lock:
            return html.write_pdf(stylesheets=[self._stylesheet], font_config=self._font_config)

    def _html(self, template_name: str, context: Mapping[str, Any]) -> HTML:
        return HTML(string=self.render_html(template_name, context), base_url=self.base_url,
                    url_fetcher=self._fetcher)


@cache
def default_renderer() -> Renderer:
    return Renderer()


def render_html(template_name: str, context: Mapping[str, Any]) -> str:
    """The document as HTML (the print stylesheet is applied by `render_pdf`)."""
    return default_renderer().render_html(template_name, context)


def render_pdf(template_name: str, context: Mapping[str, Any]) -> bytes:
    """The document as PDF bytes."""
    return default_renderer().render_pdf(template_name, context)
