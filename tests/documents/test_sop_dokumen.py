"""`esakip-bot sop dokumen`: the SOP document of PermenPANRB 35/2012 drawn from the SOP file.

The bundled SOP is rendered once (module fixture); the flowchart's geometry is checked on the
SVG of small SOPs written here, without WeasyPrint."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from typer.testing import CliRunner

from bot.cli import app
from bot.documents.sop_alur import PAD
from bot.documents.sop_dokumen import table_area, tambahan
from bot.documents.sop_rute import layout
from bot.documents.sop_svg import page_svg
from bot.documents.sop_teks import text_width
from bot.sop import load_sop, parse_sop

runner = CliRunner()
SVG = "{http://www.w3.org/2000/svg}"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _sop_yaml(steps: list[dict], roles: dict[str, str] | None = None) -> str:
    data = {
        "name": "uji", "version": 1,
        "identity": {"nomor": "SOP/UJI/1", "nama": "SOP Uji", "unit": "Bagian Umum, Sekretariat Daerah",
                     "disahkan_oleh": {"jabatan": "Sekretaris Daerah", "nama": "Nama", "pangkat": "Pembina",
                                       "nip": "197710272003121005"},
                     "dasar_hukum": ["Peraturan Uji"]},
        "roles": roles or {"sekda": "Sekretaris Daerah", "kabag": "Kepala Bagian", "tim_sakip": "Tim SAKIP"},
        "steps": steps,
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _step(no: int, pelaksana: str, kind: str = "disposition", **flow: object) -> dict:
    step = {"no": no, "nama": f"Langkah {no}", "kegiatan": f"Kegiatan nomor {no} dikerjakan",
            "pelaksana": pelaksana, "kelengkapan": f"Kelengkapan {no}", "waktu": "30 menit",
            "output": f"Output {no}", "kind": kind}
    step.update(flow or {"next": no + 1})
    return step


SMALL = [
    _step(1, "sekda"),
    _step(2, "tim_sakip", "drafting"),
    _step(3, "kabag", "decision", branches={"ya": 4, "tidak": 2}),
    _step(4, "tim_sakip", "archive", next=None),
]


@pytest.fixture(scope="module")
def bundled_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, int]:
    out = tmp_path_factory.mktemp("sop") / "sop.pdf"
    result = runner.invoke(app, ["sop", "dokumen", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"ditulis ke {out}" in result.output
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_the_identity_page_has_every_field(bundled_pdf: tuple[str, int]) -> None:
    text = _flat(bundled_pdf[0])
    sop = load_sop()
    for label in ("PEMERINTAH KABUPATEN LAMANDAU", "SEKRETARIAT DAERAH", "BAGIAN ORGANISASI", "Nomor SOP",
                  "Tanggal Pembuatan", "Tanggal Revisi", "Tanggal Efektif", "Disahkan oleh", "Nama SOP",
                  "Dasar Hukum:", "Kualifikasi Pelaksana:", "Keterkaitan:", "Peralatan/Perlengkapan:",
                  "Peringatan:", "Pencatatan dan Pendataan:", "SOP/17/1/ORG/2015",
                  "Dr. MUHAMAD IRWANSYAH, SP., MP", "Pembina Utama Muda (IV/c)", "NIP. 19771027 200312 1 005",
                  "Menguasai Pengoperasian Komputer", "Komputer dan Printer"):
        assert label in text, label
    ident = sop.identity
    for item in ident.dasar_hukum + ident.keterkaitan + ident.peringatan + ident.pencatatan:
        assert _flat(item) in text, item


def test_the_flowchart_pages_have_every_step_and_the_mutu_baku(bundled_pdf: tuple[str, int]) -> None:
    raw, pages = bundled_pdf
    text = _flat(raw)
    assert pages == 3  # identity, then the 12 steps on two landscape pages (as in the seed: 8 + 4)
    for header in ("Kegiatan", "Pelaksana", "Mutu Baku", "Kelengkapan", "Waktu", "Output", "Keterangan"):
        assert header in text
    for step in load_sop().steps:
        assert _flat(step.kegiatan) in text, step.no
        assert _flat(step.output) in text, step.no
        if step.kelengkapan:
            assert _flat(step.kelengkapan) in text, step.no
    assert "30 Hari" in text and "1 Jam" in text


def _symbols(svg: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    return [el for el in root.iter() if el.get("data-shape")]


def test_one_symbol_per_step_in_its_pelaksana_column() -> None:
    sop = parse_sop(_sop_yaml(SMALL))
    (page,) = layout(sop, *table_area("A4"))
    svg = page_svg(page)
    shapes = {int(el.get("data-step")): el for el in _symbols(svg) if el.get("data-step")}
    assert sorted(shapes) == [1, 2, 3, 4]
    columns = {k.role: k for k in page.pelaksana}
    assert [k.role for k in page.pelaksana] == ["sekda", "tim_sakip", "kabag"]  # first-appearance order
    for sym in page.simbol:
        k = columns[sym.role]
        assert k.x < sym.cx - sym.w / 2 and sym.cx + sym.w / 2 < k.x + k.lebar
        assert sym.role == str(sop.step(sym.step).pelaksana)
    assert [shapes[n].get("data-shape") for n in (1, 2, 3, 4)] == ["terminator", "proses", "keputusan", "terminator"]
    assert shapes[1].tag == f"{SVG}rect" and float(shapes[1].get("rx")) > 0  # a capsule
    assert shapes[3].tag == f"{SVG}polygon" and len(shapes[3].get("points").split()) == 4  # a diamond
    labels = [el.text for el in ET.fromstring(svg).iter(f"{SVG}text") if el.get("class") == "cabang"]
    assert sorted(labels) == ["Tidak", "Ya"]
    # "Tidak" goes back up to step 2, entering it from the side; "Ya" goes down into step 4's top.
    back = next(a for a in page.panah if a.label == "Tidak")
    assert back.points[-1][1] < back.points[0][1]
    ahead = next(a for a in page.panah if a.label == "Ya")
    assert ahead.points[-1] == page.simbol[3].top


def _long_sop():  # type: ignore[no-untyped-def]
    roles = ["sekda", "asisten", "kabag", "tim_sakip"]
    steps = [_step(n, roles[n % 4]) for n in range(1, 30)]
    steps[14] = _step(15, "kabag", "decision", branches={"ya": 16, "tidak": 3})
    steps[20] = _step(21, "tim_sakip", "decision", branches={"ya": 22, "tidak": 19})
    steps[25] = _step(26, "sekda", "decision", branches={"ya": 29, "tidak": 27})  # rightmost column
    steps.append(_step(30, "tim_sakip", "archive", next=None))
    return parse_sop(_sop_yaml(steps, {r: r.title() for r in roles}))


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("which", ["bundled", "small", "long"])
def test_arrows_and_labels_stay_in_the_pelaksana_columns_and_text_fits_its_cell(which: str) -> None:
    sop = {"bundled": load_sop, "small": lambda: parse_sop(_sop_yaml(SMALL)), "long": _long_sop}[which]()
    pages = layout(sop, *table_area("A4"))
    width, height = table_area("A4")
    for page in pages:
        area = (page.pelaksana[0].x, page.pelaksana[-1].x + page.pelaksana[-1].lebar)
        assert page.tinggi <= height and sum(k.lebar for k in page.kolom) <= width + 0.01
        boxes = [(s.cx - s.w / 2, s.cy - s.h / 2, s.cx + s.w / 2, s.cy + s.h / 2) for s in page.simbol]
        for arrow in page.panah:
            assert all(area[0] < x < area[1] for x, _ in arrow.points)
            if arrow.label and arrow.label_at:
                x, y, anchor = arrow.label_at
                w = text_width(arrow.label, 6.5)
                box = (x, y - 6, x + w, y) if anchor == "start" else (x - w, y - 6, x, y)
                assert area[0] < box[0] and box[2] < area[1], (which, arrow.label, box)
                assert not any(_overlap(box, b) for b in boxes), (which, arrow.label, box)
        by_key = {k.key: k for k in page.kolom}
        for row in page.baris:
            for key, lines in row.teks.items():
                assert all(text_width(line, 7.5) <= by_key[key].lebar - 2 * PAD for line in lines)
                assert len(lines) * 9.0 + 2 * PAD <= row.tinggi


def test_a_long_sop_breaks_across_pages_with_matching_connectors() -> None:
    pages = layout(_long_sop(), *table_area("A4"))
    assert len(pages) >= 3
    rows = [row.step for page in pages for row in page.baris]
    assert rows == list(range(1, 31))  # every step once, in order, none split
    seen: dict[str, list[tuple[int, int]]] = {}
    for page in pages:
        ET.fromstring(page_svg(page))  # well-formed
        for sym in page.simbol:
            if sym.bentuk == "penghubung":
                seen.setdefault(sym.label, []).append((page.nomor, sym.baris))
    forward = [pages_ for pages_ in seen.values() if pages_[0][0] + 1 == pages_[1][0]]
    assert len(forward) >= len(pages) - 1
    for where in seen.values():
        assert len(where) == 2 and where[0][0] != where[1][0]
    for (p1, r1), (p2, r2) in forward:
        assert r1 == len(pages[p1 - 1].baris) and r2 == -1  # bottom of one page, top of the next
    from bot.documents.sop_dokumen import IdentitasTambahan, render_sop_pdf

    pdf = PdfReader(io.BytesIO(render_sop_pdf(_long_sop(), IdentitasTambahan())))
    assert len(pdf.pages) == 1 + len(pages)  # each computed page is one printed page
    # step 15's "Tidak" goes back to step 3 on the first page: a connector on each of both pages.
    first, last = (pages[0], next(p for p in pages if 15 in [r.step for r in p.baris]))
    assert first is not last
    assert any(a.label == "Tidak" for a in last.panah)


def test_unknown_sop_is_refused_in_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sop", "dokumen", "--sop", "tidak-ada", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert line.startswith("Galat: SOP 'tidak-ada' tidak dikenal; SOP yang tersedia: esakip")
    assert not (tmp_path / "x.pdf").exists()


def test_missing_identity_fields_print_a_dash_and_the_sop_file_fills_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    Image.new("RGB", (8, 8), (200, 0, 0)).save(tmp_path / "lambang.png")
    monkeypatch.setenv("ESAKIP_LAMBANG", str(tmp_path / "lambang.png"))
    monkeypatch.setenv("ESAKIP_KERTAS", "F4")
    sop_file = tmp_path / "sop-uji.yaml"
    sop_file.write_text(_sop_yaml(SMALL), encoding="utf-8")
    bare = tambahan(load_sop(sop_file))
    assert (bare.tanggal_pembuatan, bare.tanggal_efektif, bare.kualifikasi_pelaksana) == ("-", "-", ())
    text = sop_file.read_text(encoding="utf-8")
    assert "\nidentity:\n" in text
    sop_file.write_text(text.replace("\nidentity:\n", "\nidentity:\n  tanggal_efektif: 2 Januari 2027\n"
                                     "  peralatan_perlengkapan: [Komputer]\n"), encoding="utf-8")
    filled = tambahan(load_sop(sop_file))
    assert filled.tanggal_efektif == "2 Januari 2027" and filled.peralatan_perlengkapan == ("Komputer",)
    assert filled.tanggal_revisi == "-"
    result = runner.invoke(app, ["sop", "dokumen", "--file", str(sop_file), "--out", str(tmp_path / "uji.pdf")])
    assert result.exit_code == 0, result.output
    reader = PdfReader(str(tmp_path / "uji.pdf"))
    text = _flat("".join(p.extract_text() for p in reader.pages))
    assert len(reader.pages) == 2  # the identity page and one flowchart page
    assert len(reader.pages[0].images) == 1  # the lambang in the identity table
    box = reader.pages[1].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (330, 215)
    assert "2 Januari 2027" in text and "BAGIAN UMUM" in text and re.search(r"Tanggal Revisi\s*-", text)


def test_seven_pelaksana_still_fit_the_page_and_keep_a_readable_kegiatan() -> None:
    roles = ["sekda", "asisten", "kabag", "tim_sakip", "opd", "kepala_opd", "admin"]
    steps = [_step(n, roles[(n - 1) % 7]) for n in range(1, 8)]
    steps[-1] = _step(7, "admin", "archive", next=None)
    titles = {r: f"Pejabat {r}" for r in roles} | {"asisten": "Pengadministrasi Umum (Tata Usaha)"}
    sop = parse_sop(_sop_yaml(steps, titles))
    width, height = table_area("A4")
    (page,) = layout(sop, width, height)
    from bot.documents.sop_alur import header_lines

    for k in page.pelaksana:  # too narrow for the word even in 6 pt: cut between syllables
        assert " ".join(header_lines(k)).replace("- ", "") == k.judul
    assert header_lines(page.pelaksana[1])[0] == "Pengadmi-"
    five = parse_sop(_sop_yaml(steps[:4] + [_step(5, "opd", "archive", next=None)], titles))
    for k in layout(five, width, height)[0].pelaksana:  # wide enough in a smaller type: whole
        assert " ".join(header_lines(k)) == k.judul
    assert sum(k.lebar for k in page.kolom) <= width + 0.01
    assert next(k for k in page.kolom if k.key == "kegiatan").lebar >= 160
    for sym in page.simbol:
        k = page.pelaksana[sym.kolom]
        assert k.x < sym.cx - sym.w / 2 and sym.cx + sym.w / 2 < k.x + k.lebar


def test_sop_picks_by_name_or_file_among_the_configured_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "sop"
    folder.mkdir()
    (folder / "sop-uji.yaml").write_text(_sop_yaml(SMALL), encoding="utf-8")
    (folder / "sop-lain.yaml").write_text(_sop_yaml(SMALL).replace("name: uji", "name: lain"), encoding="utf-8")
    monkeypatch.setenv("ESAKIP_SOP_FILE", str(folder))
    ambiguous = runner.invoke(app, ["sop", "dokumen", "--out", str(tmp_path / "x.pdf")])
    assert ambiguous.exit_code == 1
    assert ambiguous.output.strip() == "Galat: ada lebih dari satu SOP; pilih dengan --sop: lain, uji"
    from bot.config import load_settings
    from bot.documents.sop_pilih import choose

    assert choose(load_settings(), "lain", None)[1].name == "lain"
    assert choose(load_settings(), "esakip", None)[1].name == "esakip"  # bundled, even when not configured
    path, sop = choose(load_settings(), "sop-uji", None)
    assert (path, sop.name) == (folder / "sop-uji.yaml", "uji")


def test_the_bundled_example_sop_surat_masuk_is_drawn_and_marked_as_an_example(tmp_path: Path) -> None:
    out = tmp_path / "surat-masuk.pdf"
    result = runner.invoke(app, ["sop", "dokumen", "--sop", "surat-masuk", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = _flat("".join(p.extract_text() for p in PdfReader(str(out)).pages))
    from bot.documents.sop_pilih import bundled_files

    sop = load_sop(next(p for p in bundled_files() if p.name == "sop-surat-masuk.yaml"))
    assert "CONTOH — SOP ini contoh" in text and "BAGIAN UMUM" in text
    assert "Agenda surat masuk" in text and "Teliti dan mampu menjaga kerahasiaan surat" in text  # identity keys of the file
    for step in sop.steps:
        assert _flat(step.kegiatan) in text, step.no
