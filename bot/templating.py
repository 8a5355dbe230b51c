"""One way to make a jinja2 environment over templates/<folder>: autoescaped, StrictUndefined
(a missing variable fails loudly), and the Indonesian date, time and NIP filters."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined

from bot import formatting


def base_environment(folder: str) -> Environment:
    env = Environment(
        loader=PackageLoader("templates", folder),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        tanggal=formatting.tanggal,
        hari_tanggal=formatting.hari_tanggal,
        jam=formatting.jam,
        waktu_lengkap=formatting.waktu_lengkap,
        tanggal_jam=formatting.tanggal_jam,
        durasi=formatting.durasi,
        nip=formatting.nip,
    )
    return env
