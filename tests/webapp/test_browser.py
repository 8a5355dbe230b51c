"""The board in a real browser (Debian's headless Chromium through Playwright): as Tim SAKIP, as
an OPD operator and with forged data; the figures of /rekap; the late OPD marked; the filters; a
press in chat showing on the open board; no request leaves the page's origin.

Set ESAKIP_PAPAN_PREVIEWS=docs/previews to write the 360-px screenshots there as well."""

from __future__ import annotations

import os
import re
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.reports import text
from bot.simulation import Simulation
from bot.webapp import hooks
from bot.webapp.demo import launch_link
from bot.workflow import ActionKind as A
from tests.e2e.conftest import OPDS
from tests.reports.scenario import EXPECTED, EXPECTED_TERLAMBAT, OFFICIALS, OPD_COUNT, Driver, opd_rows, operator

from .conftest import Board

LIGHT = {"bg_color": "#ffffff", "text_color": "#000000", "hint_color": "#707579", "link_color": "#3390ec",
         "button_color": "#3390ec", "button_text_color": "#ffffff", "secondary_bg_color": "#f4f4f5"}
DARK = {"bg_color": "#212121", "text_color": "#ffffff", "hint_color": "#aaaaaa", "link_color": "#8774e1",
        "button_color": "#8774e1", "button_text_color": "#ffffff", "secondary_bg_color": "#181818"}
PHONE = {"width": 360, "height": 780}


def link(url: str, init_data: str, theme: dict[str, str] | None = None) -> str:
    """The address Telegram opens: initData and the theme in the fragment."""
    return launch_link(url, init_data, theme)


async def open_page(browser: Any, url: str) -> tuple[Any, list[str]]:
    page = await browser.new_page(viewport=PHONE, device_scale_factor=2)
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(url)
    page.errors = errors  # type: ignore[attr-defined]
    return page, requests


def same_origin(requests: list[str], origin: str) -> list[str]:
    """Requests that left the page's origin (data: URLs never reach the network)."""
    return [u for u in requests if not u.startswith(origin + "/") and not u.startswith("data:")]


async def shown_rows(page: Any) -> list[str]:
    return await page.locator("#opd button.baris").evaluate_all("els => els.map(e => e.dataset.kode)")


async def save_previews(page: Any, name: str, selector: str | None = None) -> None:
    folder = os.environ.get("ESAKIP_PAPAN_PREVIEWS")
    if folder:
        if selector:  # the phone's screen scrolled to that part
            await page.eval_on_selector(selector, "e => e.scrollIntoView()")
        await page.screenshot(path=str(Path(folder) / f"papan-{name}.png"))


async def test_tim_sakip_sees_the_whole_board(board: Board, browser: Any, tmp_path: Path):
    origin = board.url.rsplit("/papan", 1)[0]
    page, requests = await open_page(browser, link(board.url, board.init_data(OFFICIALS["tim1"][0]), LIGHT))
    await page.wait_for_selector("#opd button.baris")
    # The totals are /rekap's.
    recap = board.svc.recap.current()
    chat = text.recap_html(recap, with_lines=False)
    assert await page.inner_text('[data-total="terverifikasi"] b') == f"{EXPECTED['Terverifikasi']}/{OPD_COUNT}"
    assert re.search(rf"Terverifikasi {EXPECTED['Terverifikasi']}\b", chat)
    assert await page.inner_text('[data-total="terlambat"] b') == str(EXPECTED_TERLAMBAT) == str(len(recap.late))
    assert await page.inner_text('[data-total="diterima"] b') == f"{OPD_COUNT - EXPECTED['Belum menerima surat']}/{OPD_COUNT}"
    assert re.fullmatch(r"Diperbarui pukul 10\.00 WIB.*", await page.inner_text("#diperbarui"))
    assert len(await shown_rows(page)) == OPD_COUNT
    # The late OPD is marked, in words and not by colour alone.
    late = page.locator(f'button.baris[data-kode="{opd_rows()[0].kode}"]')
    assert "lambat" in (await late.get_attribute("class") or "")
    assert "Terlambat 12 hari" in await late.inner_text()
    assert (await late.locator(".sel").first.inner_text()).startswith("! Terlambat")
    # The officials' open work.
    assert "Menunggu Tim SAKIP sejak 30 Nov 10.10" in await page.inner_text("#tugas")
    # The chart: one bar group per OPD that was sent the letter.
    assert await page.locator("#grafik svg text.nilai").count() == OPD_COUNT
    await page.screenshot(path=str(tmp_path / "papan-terang.png"), full_page=True)
    await save_previews(page, "terang")
    await save_previews(page, "daftar", "#bagian-opd .judul-langkah")
    await save_previews(page, "grafik", "#bagian-grafik")
    await page.evaluate("window.scrollTo(0, 0)")
    # Filters: status, late only, a name.
    await page.select_option("#status", "dikembalikan")
    assert len(await shown_rows(page)) == EXPECTED["Dikembalikan"]
    await page.select_option("#status", "")
    await page.check("#terlambat")
    assert len(await shown_rows(page)) == EXPECTED_TERLAMBAT
    assert "20 dari 40 Perangkat Daerah" in await page.inner_text("#jumlah")
    await page.uncheck("#terlambat")
    await page.fill("#cari", "kecamatan")
    names = await page.locator("#opd .nama").all_inner_texts()
    assert names and all("kecamatan" in n.lower() for n in names)
    assert len(names) == sum(1 for r in opd_rows() if "kecamatan" in r.nama.lower())
    await page.fill("#cari", "")
    # One OPD's history on tap.
    returned = opd_rows()[20]
    await page.click(f'button.baris[data-kode="{returned.kode}"]')
    await page.wait_for_selector("#riwayat-isi li")
    history = await page.inner_text("#riwayat")
    assert returned.nama in history and "tidak sesuai" in history and "Target IKU" in history
    await save_previews(page, "riwayat")
    await page.click("#tutup")
    assert await page.is_hidden("#riwayat")
    assert same_origin(requests, origin) == [] and page.errors == []

    dark, dark_requests = await open_page(browser, link(board.url, board.init_data(OFFICIALS["sekda"][0]), DARK))
    await dark.wait_for_selector("#opd button.baris")
    assert await dark.evaluate("document.documentElement.dataset.scheme") == "dark"
    background = await dark.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(33, 33, 33)"
    await save_previews(dark, "gelap")
    # The client switches theme (Telegram Web posts theme_changed to the frame).
    await dark.evaluate("t => window.postMessage(JSON.stringify({eventType: 'theme_changed', "
                        "eventData: {theme_params: t}}), '*')", LIGHT)
    await dark.wait_for_function("document.documentElement.dataset.scheme === 'light'")
    assert same_origin(dark_requests, origin) == [] and dark.errors == []


async def test_opd_operator_sees_only_their_own_opd(board: Board, browser: Any):
    own = opd_rows()[20]
    page, _ = await open_page(browser, link(board.url, board.init_data(operator(20))))
    await page.wait_for_selector("#opd button.baris")
    assert await shown_rows(page) == [own.kode]
    assert own.nama in await page.inner_text("#lingkup")
    assert await page.inner_text('[data-total="diterima"] b') == "1/1"
    assert "Dikembalikan" in await page.inner_text("#opd")
    assert page.errors == []


async def test_forged_data_is_refused(board: Board, browser: Any):
    forged = board.init_data(OFFICIALS["tim1"][0], "Rina").replace("Rina", "Rini")
    page, _ = await open_page(browser, link(board.url, forged))
    statuses: list[int] = []
    page.on("response", lambda response: statuses.append(response.status) if "/api/" in response.url else None)
    await page.reload()
    await page.wait_for_selector("#pesan:not([hidden])")
    assert "tidak sah" in await page.inner_text("#pesan")
    assert statuses and set(statuses) == {401}
    assert await shown_rows(page) == [] and await page.is_hidden("#ringkasan")
    unopened, _ = await open_page(browser, board.url)  # no initData at all: how to open it
    await unopened.wait_for_selector("#pesan:not([hidden])")
    assert "Buka papan ini dari bot" in await unopened.inner_text("#pesan")


async def test_a_press_in_chat_shows_on_the_open_board(tmp_path: Path, browser: Any):
    refresh = 0.3
    async with Simulation(tmp_path, opds=OPDS, webapp_refresh_seconds=refresh) as sim:
        await distribute(sim)
        async with hooks.running(sim.app, sim.svc, "unused") as none:
            assert none is None
        server = await hooks.board_server(sim.svc, sim.double.token, port=0).start()
        try:
            page, requests = await open_page(browser, link(server.url, sim.double.web_app_init_data(sim.tg("tim1"))))
            row = page.locator('button.baris[data-kode="DISDIK"]')
            await row.wait_for()
            assert (await row.locator(".sel").first.inner_text()).startswith("• Belum diterima")
            await sim.press("disdik", "Terima surat")
            pressed = time.monotonic()
            await page.wait_for_function(
                """() => { const b = document.querySelector('button.baris[data-kode="DISDIK"] .sel');
                           return b && b.textContent.startsWith('✓ Diterima'); }""", timeout=5000)
            assert time.monotonic() - pressed < refresh + 1.5
            assert await page.inner_text('[data-total="diterima"] b') == f"1/{len(OPDS)}"
            assert same_origin(requests, server.url.rsplit("/papan", 1)[0]) == []
        finally:
            await server.stop()
        sim.double.assert_no_violations()


async def distribute(sim: Simulation) -> None:
    """Steps 1-8 through the services (as in tests/reports), then deliver the letters in chat."""
    d = Driver(sim.svc, sim.clock)
    sim.svc.cycles.start(OFFICIALS["sekda"][0])
    letter = sim.svc.letters.payload(replace(sim.svc.letters.defaults(2026)))
    for who, action, kw in [("sekda", A.FORWARD, {}), ("asisten", A.FORWARD, {}), ("kabag", A.FORWARD, {}),
                            ("tim1", A.SUBMIT_DRAFT, {"payload": letter}), ("kabag", A.APPROVE, {}),
                            ("asisten", A.APPROVE, {}), ("sekda", A.SIGN, {}), ("tim1", A.DISTRIBUTE, {})]:
        sim.advance(minutes=5)
        d.act(who, action, **kw)
    await sim.settle()
