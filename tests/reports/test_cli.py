"""`esakip-bot rekap` and `esakip-bot monitoring` on a copy of the scenario's database."""

from __future__ import annotations

import io
import shutil

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()


@pytest.fixture(params=["half", "closed"])
def env(request, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    seeded = request.getfixturevalue(f"seeded_{request.param}")
    shutil.copy(seeded.path, tmp_path / "cli.db")
    monkeypatch.chdir(tmp_path)
    for key in ("ESAKIP_CALENDAR", "ESAKIP_SOP_FILE", "ESAKIP_TIMEZONE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ESAKIP_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("ESAKIP_DATA_DIR", str(tmp_path / "data"))
    return request.param, seeded.cycle_id, tmp_path


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_rekap_as_text_xlsx_and_pdf(env):
    state, cycle_id, folder = env
    shown = run("rekap", "--siklus", str(cycle_id))
    assert shown.exit_code == 0, shown.output
    assert "Rekap Pengisian E-SAKIP Tahun Kinerja 2026" in shown.output and "<b>" not in shown.output
    assert "Terverifikasi 17" in shown.output and "\n40. " in shown.output
    assert ("Tidak selesai 23" in shown.output) == (state == "closed")
    written = run("rekap", "--format", "xlsx", "--out", "rekap.xlsx")  # the current cycle by default
    assert written.exit_code == 0 and "Ditulis ke rekap.xlsx" in written.output
    wb = load_workbook(folder / "rekap.xlsx")
    assert wb["Ringkasan"]["B2"].value == 17 and wb["Per Perangkat Daerah"].max_row == 41
    default = run("rekap", "--format", "pdf")
    assert default.exit_code == 0, default.output
    (pdf,) = folder.glob("Rekap_E-SAKIP_2026_*.pdf")
    assert "REKAPITULASI PENGISIAN" in PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text()
    assert run("rekap", "--format", "png", "--out", "grafik.png").exit_code == 0
    assert (folder / "grafik.png").read_bytes().startswith(b"\x89PNG")


def test_monitoring_as_text_xlsx_and_pdf(env):
    state, cycle_id, folder = env
    shown = run("monitoring", "--siklus", str(cycle_id), "--format", "text")
    assert shown.exit_code == 0, shown.output
    assert "Monitoring Pelaksanaan SOP" in shown.output and "SOP/17/1/ORG/2015" in shown.output
    assert run("monitoring", "--format", "xlsx", "--out", "m.xlsx").exit_code == 0
    assert load_workbook(folder / "m.xlsx")["Monitoring SOP"].max_row == 13
    assert run("monitoring", "--format", "pdf", "--out", "m.pdf").exit_code == 0
    assert (folder / "m.pdf").read_bytes().startswith(b"%PDF")
    assert run("monitoring", "--format", "text", "--out", "m.txt").exit_code == 0
    assert "Tidak berjalan dengan baik" in (folder / "m.txt").read_text()


def test_bad_input_gets_one_line(env):
    _, cycle_id, folder = env
    for args in (("rekap", "--siklus", "999"), ("rekap", "--format", "docx"), ("monitoring", "--format", "png"),
                 ("rekap", "--format", "xlsx", "--out", str(folder / "tidak-ada" / "r.xlsx"))):
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
        assert result.output.startswith("Galat: ") and "Traceback" not in result.output, result.output


def test_without_any_cycle(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ESAKIP_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.setenv("ESAKIP_DATA_DIR", str(tmp_path / "data"))
    result = run("rekap")
    assert result.exit_code == 1 and "belum ada siklus" in result.output
