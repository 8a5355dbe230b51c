"""Numbers as people read them in Indonesian (decimal comma), and a return's reasons as one sentence."""

import pytest

from bot import formatting, messages
from bot.sop.checklist import Checklist, ChecklistItem
from bot.workflow.checklist import ItemResult, summary


@pytest.mark.parametrize(("size", "shown"), [
    (0, "0 KB"), (30, "0,1 KB"), (205, "0,2 KB"), (5 * 1024 + 300, "5,3 KB"), (350 * 1024, "350 KB"),
    (1024 ** 2, "1,0 MB"), (int(1.44 * 1024 ** 2), "1,4 MB"), (20 * 1024 ** 2, "20 MB"),
])
def test_a_file_size_has_a_decimal_comma(size, shown):
    assert formatting.ukuran(size) == shown


@pytest.mark.parametrize(("value", "shown"), [(20, "20"), (2.5, "2,5"), (20.0, "20"), (0.75, "0,75")])
def test_a_number_has_a_decimal_comma(value, shown):
    assert formatting.angka(value) == shown


def test_the_templates_have_the_filters():
    env = messages.environment(None)
    assert env.from_string("{{ 2.5 | angka }} MB · {{ 205 | ukuran }}").render() == "2,5 MB · 0,2 KB"


def test_a_typed_reason_ending_its_own_sentence_is_not_punctuated_twice():
    checklist = Checklist(items=(ChecklistItem("iku", "Indikator Kinerja Utama (IKU)", "IKU"),
                                 ChecklistItem("tw", "Realisasi capaian kinerja triwulan", "Realisasi triwulan"),
                                 ChecklistItem("renstra", "Rencana Strategis", "Renstra")))
    found = (ItemResult("iku", False, catatan="Target IKU belum sesuai; mohon diperbaiki."),
             ItemResult("renstra", True),
             ItemResult("tw", False, alasan="Data capaian tidak lengkap"))
    assert summary(checklist, found) == ("IKU: Target IKU belum sesuai; mohon diperbaiki; "
                                         "Realisasi triwulan: Data capaian tidak lengkap")
