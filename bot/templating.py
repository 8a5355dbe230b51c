"""One way to make a jinja2 environment over templates/<folder>: autoescaped, StrictUndefined
(a missing variable fails loudly), and the Indonesian date, time and NIP filters.

The time filters show instants in the deployment's zone (ESAKIP_TIMEZONE), which the caller
passes in: `base_environment(folder, tz)` binds them to it and gives the templates `tz` and its
abbreviation `zona` ("WIB", "WITA", "WIT"). An environment made without a zone still formats
dates, but an instant fails loudly (formatting.NoZone) and so does `zona`.
"""

from __future__ import annotations

from datetime import tzinfo
from functools import partial

from jinja2 import Environment, PackageLoader, StrictUndefined

from bot import formatting


def base_environment(folder: str, tz: tzinfo | None = None) -> Environment:
    env = Environment(
        loader=PackageLoader("templates", folder),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        tanggal=partial(formatting.tanggal, tz=tz),
        hari_tanggal=partial(formatting.hari_tanggal, tz=tz),
        jam=partial(formatting.jam, tz=tz),
        waktu_lengkap=partial(formatting.waktu_lengkap, tz=tz),
        tanggal_jam=partial(formatting.tanggal_jam, tz=tz),
        durasi=formatting.durasi,
        nip=formatting.nip,
        angka=formatting.angka,
        ukuran=formatting.ukuran,
    )
    if tz is not None:
        env.globals.update(tz=tz, zona=formatting.zone_abbr(tz))
    return env
