"""GET /papan/api/status and /papan/api/opd/{kode}: who may see what, and the same figures as /rekap."""

from __future__ import annotations

import re
from datetime import timedelta

import aiohttp
import pytest

from bot.reports import text
from bot.workflow import OpdStatus
from tests.reports.scenario import EXPECTED, EXPECTED_TERLAMBAT, OFFICIALS, OPD_COUNT, opd_rows, operator

from .conftest import Board

TIM = OFFICIALS["tim1"][0]
SEKDA = OFFICIALS["sekda"][0]


async def get(board: Board, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict, aiohttp.typedefs.LooseHeaders]:
    async with aiohttp.ClientSession() as http:
        async with http.get(board.url + path, headers=headers or {}) as response:
            return response.status, await response.json(), response.headers


async def test_missing_wrong_scheme_forged_and_expired_data_get_401(board: Board):
    good = board.init_data(TIM, "Rina")
    for headers in ({}, {"Authorization": ""}, {"Authorization": f"Bearer {good}"}, {"Authorization": "tma "},
                    {"Authorization": "tma " + good.replace("Rina", "Rini")},
                    {"Authorization": "tma " + board.init_data(TIM, at=board.clock.now() - timedelta(hours=1, minutes=1))}):
        status, body, response_headers = await get(board, "/api/status", headers)
        assert status == 401, headers
        assert "tidak sah" in body["error"] and "opd" not in body
        assert response_headers["Cache-Control"] == "no-store"


async def test_unregistered_and_inactive_users_get_403(board: Board):
    assert (await get(board, "/api/status", board.auth(777777)))[0] == 403
    assert (await get(board, "/api/status", board.auth(OFFICIALS["tim2"][0])))[0] == 200
    board.svc.directory.remove_user(OFFICIALS["tim2"][0])
    status, body, _ = await get(board, "/api/status", board.auth(OFFICIALS["tim2"][0]))
    assert status == 403 and "belum terdaftar" in body["error"]


async def test_tim_sakip_sees_every_opd_with_the_recaps_figures(board: Board):
    status, body, headers = await get(board, "/api/status", board.auth(TIM))
    assert status == 200 and headers["Cache-Control"] == "no-store" and "Authorization" in headers["Vary"]
    recap = board.svc.recap.current()
    assert recap is not None
    assert len(body["opd"]) == OPD_COUNT == recap.total
    # The same order and the same status as the recap, line by line.
    assert [(r["kode"], r["status"]) for r in body["opd"]] == [(line.kode, line.status.value) for line in recap.lines]
    total = body["total"]
    assert total["terverifikasi"] == EXPECTED["Terverifikasi"] == recap.count(OpdStatus.TERVERIFIKASI)
    assert total["terlambat"] == EXPECTED_TERLAMBAT == len(recap.late)
    assert total["diterima"] == OPD_COUNT - EXPECTED["Belum menerima surat"] - EXPECTED["Menunggu surat"]
    assert total["diisi"] == EXPECTED["Terverifikasi"] + EXPECTED["Menunggu verifikasi"]
    assert total["belum_ada_operator"] == 0
    # And the same numbers /rekap writes in chat.
    chat = text.recap_html(recap, with_lines=False)
    assert re.search(rf"Terverifikasi {total['terverifikasi']}\b", chat)
    assert f"(dari {OPD_COUNT})" in chat


async def test_late_opd_is_marked_at_its_step(board: Board):
    _, body, _ = await get(board, "/api/status", board.auth(SEKDA))
    never = {row.kode for row in opd_rows()[:5]}  # NEVER_RECEIVED: late at step 8 now
    for row in (r for r in body["opd"] if r["kode"] in never):
        assert row["terlambat"] and row["terlambat_kini"]
        assert [c["keadaan"] for c in row["langkah"]] == ["terlambat", "belum", "belum"]
        assert row["langkah"][0]["batas"]
    verified = next(r for r in body["opd"] if r["status"] == "terverifikasi" and not r["terlambat"])
    assert [c["keadaan"] for c in verified["langkah"]] == ["selesai", "selesai", "selesai"]
    assert all(c["waktu"] for c in verified["langkah"]) and all(d is not None for d in verified["hari"])


async def test_officials_open_tasks_say_who_since_when(board: Board):
    _, body, _ = await get(board, "/api/status", board.auth(SEKDA))
    verification = next(t for t in body["tugas"] if t["langkah"] == 10)
    assert verification["peran_singkat"] == "Tim SAKIP" and verification["jumlah"] == EXPECTED["Menunggu verifikasi"]
    assert verification["nama"] == ["Rina Wulandari", "Agus Prasetyo"]
    assert re.fullmatch(r"\d{1,2} \w{3} \d\d\.\d\d", verification["sejak"])  # another day: with its date
    assert body["siklus"]["diperbarui"] == "10.00" and body["zona"] == "WIB"


async def test_opd_operator_sees_only_their_own_opd(board: Board):
    rows = opd_rows()
    own = rows[20]  # RETURNED
    status, body, _ = await get(board, "/api/status", board.auth(operator(20)))
    assert status == 200 and not body["pengguna"]["semua"]
    assert [r["kode"] for r in body["opd"]] == [own.kode]
    assert body["total"]["opd"] == 1 and body["opd"][0]["status"] == "dikembalikan"
    assert all(own.nama in t["opd"] for t in body["tugas"])  # no other OPD's task
    # Its own history, not another's (as if the other did not exist).
    status, history, _ = await get(board, f"/api/opd/{own.kode}", board.auth(operator(20)))
    assert status == 200 and history["kode"] == own.kode
    assert any("tidak sesuai" in e["teks"] for e in history["peristiwa"])
    assert any(e["catatan"] for e in history["peristiwa"])
    status, _, _ = await get(board, f"/api/opd/{rows[0].kode}", board.auth(operator(20)))
    assert status == 404


async def test_nothing_is_cached_across_users(board: Board):
    first = (await get(board, "/api/status", board.auth(operator(3))))[1]
    second = (await get(board, "/api/status", board.auth(TIM)))[1]
    third = (await get(board, "/api/status", board.auth(operator(30))))[1]
    assert [len(b["opd"]) for b in (first, second, third)] == [1, OPD_COUNT, 1]
    assert first["opd"][0]["kode"] != third["opd"][0]["kode"]


async def test_an_opd_without_operator_is_counted(board: Board):
    board.svc.directory.remove_user(operator(7))
    _, body, _ = await get(board, "/api/status", board.auth(TIM))
    assert body["total"]["belum_ada_operator"] == 1
    assert [r["kode"] for r in body["opd"] if not r["operator"]] == [opd_rows()[7].kode]


async def test_history_of_unknown_opd_is_404_and_the_page_is_served(board: Board):
    assert (await get(board, "/api/opd/TIDAKADA", board.auth(TIM)))[0] == 404
    async with aiohttp.ClientSession() as http:
        async with http.get(board.url) as page:
            html = await page.text()
            assert page.status == 200 and "Pengisian E-SAKIP" in html
            assert "default-src 'self'" in page.headers["Content-Security-Policy"]
        for name in ("papan.js", "papan.css"):
            async with http.get(f"{board.url}/static/{name}") as asset:
                assert asset.status == 200
        async with http.get(f"{board.url}/static/..%2Fserver.py") as asset:
            assert asset.status == 404


@pytest.mark.parametrize("peran", ["kepala_opd"])
async def test_kepala_opd_is_limited_like_the_operator(board: Board, peran: str):
    rows = opd_rows()
    board.svc.directory.add_user(555001, "Kepala Dinas", peran, rows[30].kode)
    _, body, _ = await get(board, "/api/status", board.auth(555001))
    assert [r["kode"] for r in body["opd"]] == [rows[30].kode]
