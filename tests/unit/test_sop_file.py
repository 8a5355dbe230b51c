"""The bundled SOP file matches the seed (as read in SOP-READING.md); bad files fail clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.roles import Peran
from bot.sop import SopFileError, StepKind, load_sop, parse_sop
from bot.sop.loader import BUNDLED_SOP

# (no, pelaksana, waktu as written in the seed, output) — from SOP-READING.md
SEED = [
    (1, "sekda", "30 menit", "Disposisi Perintah Sekretaris Daerah"),
    (2, "asisten", "30 Menit", "Disposisi Asisten Administrasi Umum"),
    (3, "kabag", "1 Jam", "Disposisi Asisten Administrasi Umum ; Arahan Kepala Bagian Organisasi"),
    (4, "tim_sakip", "30 menit", "konsep surat"),
    (5, "kabag", "30 menit", "Surat Pengisian Data Kinerja Perangkat Daerah pada aplikasi E-SAKIP Kabupaten Lamandau"),
    (6, "asisten", "30 menit", "surat yang telah disetujui oleh Kepala Bagian Organisasi"),
    (7, "sekda", None, "Surat yang telah ditandatangani Sekretaris Daerah"),
    (8, "tim_sakip", "1 Hari", "Bukti Tanda terima surat"),
    (9, "opd", "1 Jam", "Rancangan Laporan Kinerja (LKj)"),
    (10, "tim_sakip", "30 Hari", "isian Data Kinerja Perangkat Daerah pada Aplikasi E-SAKIP"),
    (11, "kabag", "30 menit", "isian Data Kinerja Perangkat Daerah pada Aplikasi E-SAKIP"),
    (12, "tim_sakip", "30 Menit", "isian Data Kinerja Perangkat Daerah pada Aplikasi E-SAKIP"),
]


@pytest.fixture(scope="module")
def sop():
    return load_sop()


def test_bundled_sop_has_the_twelve_steps_of_the_seed(sop):
    assert sop.total_steps == 12
    for no, pelaksana, waktu, output in SEED:
        step = sop.step(no)
        assert step.pelaksana is Peran(pelaksana), no
        assert (step.waktu.text if step.waktu else None) == waktu, no
        assert step.output == output, no


def test_bundled_sop_identity_and_flow(sop):
    assert sop.identity.nomor == "SOP/17/1/ORG/2015"
    assert sop.identity.nama == "Pengisian Portal E-SAKIP Kabupaten Lamandau"
    assert sop.identity.disahkan_oleh.nip == "197710272003121005"
    assert len(sop.identity.dasar_hukum) == 5
    assert [s.kind for s in sop.steps] == [
        StepKind.DISPOSITION, StepKind.DISPOSITION, StepKind.DISPOSITION, StepKind.DRAFTING,
        StepKind.DECISION, StepKind.DECISION, StepKind.SIGNATURE, StepKind.DISTRIBUTION,
        StepKind.SUBMISSION, StepKind.VERIFICATION, StepKind.RECAP, StepKind.ARCHIVE,
    ]
    assert sop.step(5).branches == {"ya": 6, "tidak": 4}
    assert sop.step(6).branches == {"ya": 7, "tidak": 4}
    assert sop.step(10).branches == {"sesuai": 11, "tidak_sesuai": 9}
    assert [s.no for s in sop.steps if s.fan_out] == [8, 9, 10]


#: The seed's spelling that chat must not repeat (KBBI: diinput, ditandatangani, mengonsep).
SEED_TYPOS = ("di input", "di tandatangani", "ditanda tangani", "mengkonsep", "dan serta", "Administrasi umum")


def test_every_step_has_a_short_correctly_spelled_name(sop):
    assert [s.nama for s in sop.steps][:3] == [
        "Disposisi Sekretaris Daerah", "Disposisi Asisten Administrasi Umum", "Arahan Kepala Bagian Organisasi"]
    for step in sop.steps:
        assert 0 < len(step.nama) <= 60 and "\n" not in step.nama, step.no
        assert not any(typo in step.nama for typo in SEED_TYPOS), step.no
    assert len({s.nama for s in sop.steps}) == 12
    # the kegiatan stays the seed's own words, typos included
    assert "mengkonsep" in sop.step(3).kegiatan and "dan serta" in sop.step(12).kegiatan


def test_the_steps_of_a_role(sop):
    assert [s.no for s in sop.steps_of("kabag")] == [3, 5, 11]
    assert [s.no for s in sop.steps_of("opd")] == [8, 9]  # 8: confirming receipt
    assert sop.steps_of("kepala_opd") == ()


def test_assumptions_are_visible_in_the_file(sop):
    for no in (5, 6, 7, 9, 10):
        assert sop.step(no).assumptions, f"step {no} should state its assumptions"


def _bundled_data() -> dict:
    from importlib import resources

    from bot.sop.source import Yaml12Loader as _Yaml12Loader

    return yaml.load(resources.files("bot.data").joinpath(BUNDLED_SOP).read_text("utf-8"), Loader=_Yaml12Loader)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["steps"][2].update(waktu="tiga hari"), "langkah 3, isian 'waktu'"),
        (lambda d: d["steps"][3].update(pelaksana="bupati"), "langkah 4, isian 'pelaksana'"),
        (lambda d: d["steps"][4]["branches"].pop("tidak"), "langkah 5, isian 'branches'"),
        (lambda d: d["steps"][4]["branches"].update(tidak=99), "langkah 5, isian 'branches.tidak'"),
        (lambda d: d["steps"][0].update(next=42), "langkah 1, isian 'next'"),
        (lambda d: d["steps"][5].update(no=9), "langkah 9, isian 'no'"),
        (lambda d: d["steps"][7].pop("fan_out"), "langkah 8, isian 'fan_out'"),
        (lambda d: d["steps"][1].update(kind="rapat"), "langkah 2, isian 'kind'"),
        (lambda d: d["steps"][1].update(kegiatan="  "), "langkah 2, isian 'kegiatan'"),
        (lambda d: d["steps"][1].update(warna="merah"), "langkah 2, isian 'warna'"),
        (lambda d: d["identity"].pop("nomor"), "bagian identity.nomor"),
        (lambda d: d["steps"][1].pop("nama"), "langkah 2, isian 'nama'"),
        (lambda d: d["steps"][3].update(nama=" \n "), "langkah 4, isian 'nama'"),
        (lambda d: d["steps"][4].update(nama="Koreksi " * 10), "langkah 5, isian 'nama'"),
    ],
)
def test_bad_file_names_the_file_step_and_field(tmp_path: Path, mutate, expected):
    data = _bundled_data()
    mutate(data)
    path = tmp_path / "rusak.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SopFileError) as info:
        load_sop(path)
    message = str(info.value)
    assert str(path) in message
    assert expected in message
    assert "\n" not in message


def test_unreadable_and_malformed_files(tmp_path: Path):
    with pytest.raises(SopFileError, match="tidak dapat dibaca"):
        load_sop(tmp_path / "tidak-ada.yaml")
    with pytest.raises(SopFileError, match="YAML tidak sah"):
        parse_sop("steps: [", "x.yaml")
    with pytest.raises(SopFileError, match="pemetaan"):
        parse_sop("- 1\n- 2\n", "x.yaml")


def test_a_second_sop_is_a_new_file(tmp_path: Path):
    data = _bundled_data()
    data["name"] = "sop-lain"
    data["steps"][0]["waktu"] = "2 hari kerja"
    path = tmp_path / "lain.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    other = load_sop(path)
    assert other.name == "sop-lain"
    assert other.step(1).waktu.unit == "hari_kerja"


def test_alert_policy_is_read_from_the_file(sop):
    from datetime import timedelta

    policy = sop.step(10).alerts
    assert policy.reminders_before == (timedelta(days=7), timedelta(days=3), timedelta(days=1))
    assert policy.escalate_every == timedelta(days=1) and policy.digest and policy.max_escalations == 5
    assert sop.step(1).alerts is None
