"""The Perangkat Daerah list as a CSV file (`kode,nama,singkatan[,jabatan_pimpinan]`): the
bundled Lamandau list and `esakip-bot opd import`. Every bad row is reported with its line."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources

from bot import error_text
from bot.services.errors import InvalidInput

BUNDLED_OPD = "opd-lamandau.csv"
OPD_COLUMNS = ("kode", "nama", "singkatan", "jabatan_pimpinan")
MAX_KODE = 32
MAX_NAMA = 300


@dataclass(frozen=True)
class OpdRow:
    kode: str
    nama: str
    singkatan: str
    #: Whom letters name ("Kepala Dinas Sosial"); empty: the default rule (bot.documents.alamat).
    jabatan_pimpinan: str = ""


class CsvImportError(InvalidInput):
    """Nothing was imported; `problems` are the rows to fix, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("opd_csv.rejected", problems="\n".join(problems))
        self.problems = problems


def _problem(code: str, **params: object) -> str:
    return error_text.render(code, params)


def parse_opd_csv(text: str) -> list[OpdRow]:
    """Parse `kode,nama,singkatan[,jabatan_pimpinan]`; every bad row is reported with its line
    number. The optional fourth column is whom the letters name; empty keeps the default rule."""
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if header[:2] != ["kode", "nama"]:
        raise CsvImportError([_problem("opd_csv.header", expected=",".join(OPD_COLUMNS), found=",".join(header))])
    reader.fieldnames = header
    rows: list[OpdRow] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    physical = [i for i, ln in enumerate(text.splitlines(), start=1) if not ln.lstrip().startswith("#")]
    for raw in reader:
        line = physical[reader.line_num - 1]  # the line number in the file, comments counted
        row = _row(raw)
        problem = _row_problem(raw, row, seen)
        if problem:
            problems.append(_problem(problem[0], line=line, **problem[1]))
        else:
            seen[row.kode] = line
            rows.append(row)
    if problems:
        raise CsvImportError(problems)
    if not rows:
        raise CsvImportError([_problem("opd_csv.empty")])
    return rows


def _row(raw: dict[str | None, object]) -> OpdRow:
    def cell(name: str) -> str:
        return str(raw.get(name) or "")

    return OpdRow(cell("kode").strip().upper(), cell("nama").strip(), cell("singkatan").strip(),
                  " ".join(cell("jabatan_pimpinan").split()))


def _row_problem(raw: dict[str | None, object], row: OpdRow,
                 seen: dict[str, int]) -> tuple[str, dict[str, object]] | None:
    """What is wrong with one row (a code and its parameters)."""
    if None in raw:
        return "opd_csv.extra_column", {}
    if not row.kode or not row.nama:
        return "opd_csv.kode_nama_required", {}
    if len(row.kode) > MAX_KODE or not all(c.isalnum() or c in "-_." for c in row.kode):
        return "opd_csv.kode_invalid", {"kode": row.kode, "limit": MAX_KODE}
    if len(row.nama) > MAX_NAMA:
        return "opd_csv.nama_too_long", {"limit": MAX_NAMA}
    if len(row.jabatan_pimpinan) > MAX_NAMA:
        return "opd_csv.jabatan_too_long", {"limit": MAX_NAMA}
    if row.kode in seen:
        return "opd_csv.kode_repeated", {"kode": row.kode, "first": seen[row.kode]}
    return None


def bundled_opd() -> list[OpdRow]:
    return parse_opd_csv(resources.files("bot.data").joinpath(BUNDLED_OPD).read_text("utf-8"))
