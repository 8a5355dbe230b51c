"""`esakip-bot sop list` and `esakip-bot sop check FILE [--db]`."""

from __future__ import annotations

from importlib import resources

from tests.test_cli import env, run  # noqa: F401  (the fixture)

BUNDLED = resources.files("bot.data").joinpath("sop-esakip.yaml").read_text(encoding="utf-8")


def line(text: str, needle: str) -> int:
    """The line (from 1) of the first line of `text` that holds `needle`."""
    return next(no for no, ln in enumerate(text.splitlines(), start=1) if needle in ln)


def test_check_reports_every_error_on_its_own_line(env):
    broken = (BUNDLED.replace("pelaksana: asisten", "pelaksana: bupati", 1)
              .replace("kind: drafting", "kind: rapat").replace("      tidak: 4\n", "      tidak: 44\n", 1))
    path = env / "rusak.yaml"
    path.write_text(broken, encoding="utf-8")
    result = run("sop", "check", str(path))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines == [
        f"Berkas SOP {path}, baris {line(broken, 'pelaksana: bupati')}: langkah 2, isian 'pelaksana': nilai tidak dikenal; pilihan: 'sekda', 'asisten', "
        "'kabag', 'tim_sakip', 'opd', 'kepala_opd', 'admin', 'tata_usaha' atau 'pelaksana'",
        f"Berkas SOP {path}, baris {line(broken, 'kind: rapat')}: langkah 4, isian 'kind': nilai tidak dikenal; pilihan: 'disposition', 'drafting', "
        "'decision', 'signature', 'distribution', 'submission', 'verification', 'recap', 'archive', "
        "'registration' atau 'follow_up'",
    ]
    flow = BUNDLED.replace("      tidak: 4\n", "      tidak: 44\n", 1).replace("next: 3\n", "next: 30\n", 1)
    path.write_text(flow, encoding="utf-8")
    result = run("sop", "check", str(path))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Berkas SOP {path}, baris {line(flow, 'next: 30')}: langkah 2, isian 'next': langkah 30 tidak ada",
        f"Berkas SOP {path}, baris {line(flow, 'tidak: 44')}: langkah 5, isian 'branches.tidak': langkah 44 tidak ada",
    ]


def test_check_of_a_good_file_and_the_roles_nobody_holds(env):
    path = env / "sop.yaml"
    path.write_text(BUNDLED, encoding="utf-8")
    result = run("sop", "check", str(path))
    assert result.exit_code == 0 and "sah" in result.output and "12 langkah" in result.output
    assert run("user", "add", "--telegram-id", "11", "--nama", "Sekda", "--peran", "sekda").exit_code == 0
    assert run("user", "add", "--telegram-id", "12", "--nama", "Kabag", "--peran", "kabag").exit_code == 0
    result = run("sop", "check", str(path), "--db")
    assert result.exit_code == 1
    missing = [line for line in result.output.splitlines() if "belum dipegang" in line]
    assert missing == [f"Berkas SOP {path}: peran '{role}' ({label}) belum dipegang pengguna terdaftar mana pun."
                       for role, label in (("asisten", "Asisten Administrasi Umum"),
                                           ("tim_sakip", "Tim SAKIP Kabupaten"), ("opd", "Perangkat Daerah"))]


def test_list_names_every_sop_of_the_setting(env, monkeypatch):
    second = BUNDLED.replace("name: esakip", "name: esakip-uji").replace("version: 1", "version: 3", 1)
    (env / "a.yaml").write_text(BUNDLED, encoding="utf-8")
    (env / "b.yaml").write_text(second, encoding="utf-8")
    monkeypatch.setenv("ESAKIP_SOP_FILE", f"{env / 'a.yaml'},{env / 'b.yaml'}")
    result = run("sop", "list")
    assert result.exit_code == 0, result.output
    assert "esakip: Pengisian Portal E-SAKIP Kabupaten Lamandau (nomor SOP/17/1/ORG/2015), versi 1" in result.output
    assert "esakip-uji:" in result.output and "versi 3" in result.output
    monkeypatch.setenv("ESAKIP_SOP_FILE", str(env))  # a folder: every .yaml in it
    assert "esakip-uji:" in run("sop", "list").output
    (env / "b.yaml").write_text(BUNDLED, encoding="utf-8")  # two files, one name
    result = run("sop", "list")
    assert result.exit_code == 1 and "nama 'esakip' sudah dipakai" in result.output


def test_check_reports_escalation_errors_with_file_step_and_field(env):
    broken = (BUNDLED.replace('ringkasan_pagi: "07.30"', 'ringkasan_pagi: "7 pagi"')
              .replace("    kabag:\n      ringkasan: [asisten, sekda]\n", "    kabag:\n      ringkasan: [bupati]\n", 1)
              .replace("    kind: drafting\n", "    kind: drafting\n    eskalasi:\n      ringkasan_setelah: lama\n"))
    path = env / "eskalasi.yaml"
    path.write_text(broken, encoding="utf-8")
    result = run("sop", "check", str(path))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0] == f"Berkas SOP {path}, baris {line(broken, '7 pagi')}: bagian eskalasi.ringkasan_pagi: jam '7 pagi' tidak sah; tulis JJ.MM, misalnya 07.30"
    assert lines[1].startswith(f"Berkas SOP {path}, baris {line(broken, '[bupati]')}: bagian eskalasi.peran.kabag.ringkasan.0: "
                               "nilai tidak dikenal")
    assert lines[2].startswith(f"Berkas SOP {path}, baris {line(broken, 'ringkasan_setelah: lama')}: langkah 4, "
                               "isian 'eskalasi.ringkasan_setelah': Waktu 'lama'")
    # a flow that is valid YAML but reports a delay to the one who is late
    circular = (BUNDLED.replace("    kabag:\n      ringkasan: [asisten, sekda]\n", "    kabag:\n      ringkasan: [kabag]\n", 1)
                .replace("    kind: drafting\n", "    kind: drafting\n    eskalasi:\n      segera: [tim_sakip]\n"))
    path.write_text(circular, encoding="utf-8")
    lines = run("sop", "check", str(path)).output.strip().splitlines()
    assert lines == [
        f"Berkas SOP {path}, baris {line(circular, 'ringkasan: [kabag]')}: bagian eskalasi.peran.kabag, isian 'ringkasan': peran kabag tidak dapat menjadi atasannya sendiri",
        f"Berkas SOP {path}, baris {line(circular, 'segera: [tim_sakip]')}: langkah 4, isian 'eskalasi.segera': peran tim_sakip adalah pelaksana langkah ini sendiri",
    ]
