"""`esakip-bot acting ...`, `task reassign` and `user remove` as an operator uses them."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.test_cli import env, one_error_line, run  # noqa: F401  (the env fixture)


def setup_people() -> None:
    assert run("init").exit_code == 0
    for args in (("1", "Dr. Sekda", "sekda"), ("2", "Drs. Budi", "asisten"), ("3", "Siti Rahmah", "kabag"),
                 ("4", "Rina", "tim_sakip"), ("5", "Agus", "tim_sakip")):
        tid, nama, peran = args
        assert run("user", "add", "--telegram-id", tid, "--nama", nama, "--peran", peran).exit_code == 0


def test_acting_add_list_end(env):
    setup_people()
    until = (datetime.now() + timedelta(days=5)).date().isoformat()
    added = run("acting", "add", "--peran", "asisten", "--telegram-id", "3", "--sampai", until,
                "--dasar", "Surat Perintah Nomor 800/1/SETDA/2026")
    assert added.exit_code == 0, added.output
    assert "Siti Rahmah sebagai Plh. Asisten Administrasi Umum" in added.output and "menggantikan Drs. Budi" in added.output
    listed = run("acting", "list")
    assert "Plh. Asisten Administrasi Umum" in listed.output and "Dasar: Surat Perintah Nomor 800/1/SETDA/2026" in listed.output
    assert "satu orang hanya dapat mewakili satu jabatan" in one_error_line(
        run("acting", "add", "--peran", "sekda", "--telegram-id", "3", "--sampai", until))
    assert "sudah lewat" in one_error_line(
        run("acting", "add", "--peran", "sekda", "--telegram-id", "4", "--sampai", "2020-01-01"))
    assert "bukan tanggal" in one_error_line(
        run("acting", "add", "--peran", "sekda", "--telegram-id", "4", "--sampai", "besok"))
    assert "tidak terdaftar" in one_error_line(
        run("acting", "add", "--peran", "sekda", "--telegram-id", "99", "--sampai", until))
    ended = run("acting", "end", "--telegram-id", "3")
    assert ended.exit_code == 0 and "Diakhiri: Siti Rahmah" in ended.output
    assert "tidak sedang atau akan menjadi" in one_error_line(run("acting", "end", "--telegram-id", "3"))
    assert "Tidak ada penunjukan" in run("acting", "list").output


def test_task_reassign_and_user_remove(env):
    setup_people()
    assert "Tidak ada tugas" in run("task", "list").output
    assert "Tugas tidak ditemukan" in one_error_line(
        run("task", "reassign", "--task", "1", "--telegram-id", "5", "--alasan", "cuti"))
    removed = run("user", "remove", "--telegram-id", "4")
    assert removed.exit_code == 0 and "Tidak ada tugas terbuka yang dipegangnya" in removed.output


def test_user_remove_says_who_now_receives_the_open_tasks(env):
    from bot.cli import services
    from bot.workflow import ActionKind as A

    setup_people()
    svc = services()
    svc.cycles.start(1)
    for tid in (1, 2, 3):  # steps 1-3: the open task is step 4, for Tim SAKIP (Rina and Agus)
        (task,) = svc.cycles.open_tasks_for(tid)
        svc.cycles.act(tid, task.id, A.FORWARD)
    (task,) = svc.cycles.open_tasks_for(4)
    listed = run("task", "list")
    assert f"{task.id:<6} Langkah 4" in listed.output and "Rina, Agus" in listed.output
    moved = run("task", "reassign", "--task", str(task.id), "--telegram-id", "4", "--alasan", "Agus dinas luar")
    assert moved.exit_code == 0 and "dialihkan kepada Rina" in moved.output, moved.output
    removed = run("user", "remove", "--telegram-id", "4")
    assert removed.exit_code == 0, removed.output
    assert f"tugas {task.id}, Langkah 4" in removed.output and "kini diterima Agus (Tim SAKIP Kabupaten)" in removed.output
    removed = run("user", "remove", "--telegram-id", "5")
    assert "TIDAK ADA PENERIMA; administrator telah diberi tahu melalui chat" in removed.output
    svc.db.dispose()
