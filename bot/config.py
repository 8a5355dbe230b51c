"""Settings, read from the environment or a .env file (the contract in DESIGN.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot import error_text, urls

TELEGRAM_API_URL = "https://api.telegram.org/bot"
TELEGRAM_FILE_URL = "https://api.telegram.org/file/bot"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ESAKIP_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    bot_token: str | None = None
    bot_api_url: str = TELEGRAM_API_URL
    bot_file_url: str = TELEGRAM_FILE_URL
    bot_username: str = "esakip_lamandau_bot"
    database_url: str = "sqlite:///esakip.db"
    sop_file: Path | None = None
    timezone: str = "Asia/Jakarta"
    calendar: Literal["kerja", "24x7"] = "kerja"
    sweep_seconds: float = Field(default=30, gt=0)
    data_dir: Path = Path("./data")
    cuti_bersama: list[date] = Field(default_factory=list)
    hari_libur_tambahan: list[date] = Field(default_factory=list)
    hari_kerja_pengganti: list[date] = Field(default_factory=list)
    invite_days: int = Field(default=7, gt=0)
    max_upload_mb: float = Field(default=20, gt=0)
    #: Overrides every SOP file's eskalasi.jeda_sedang_dikerjakan when set.
    ack_hours: float | None = Field(default=None, gt=0)
    nomor_surat: str = "000.8/{seq}/SETDA-ORG/{bulan}/{tahun}"
    #: How long the outbox waits for Telegram's answer to one send (see scheduler/dispatch.py).
    send_timeout_seconds: float = Field(default=30, gt=0, le=600)
    # The status board (Telegram Mini App, bot/webapp): served only when the port is set.
    webapp_host: str = "127.0.0.1"
    webapp_port: int | None = Field(default=None, ge=0, le=65535)
    webapp_url: str | None = None  # the page's public HTTPS address, e.g. https://host/papan
    webapp_max_age_seconds: float = Field(default=3600, gt=0)  # oldest initData accepted
    webapp_refresh_seconds: float = Field(default=30, gt=0)  # how often the page reloads its data

    @field_validator("webapp_port", "webapp_url", "lambang", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webapp_url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise _refused("setup.webapp_url_not_https")
        return value

    # The documents' page (docs/TATA-NASKAH.md): paper, margins in cm, the lambang in the kop.
    kertas: Literal["A4", "F4"] = "A4"
    margin_atas: float = Field(default=2.0, ge=0.5, le=6)
    margin_kanan: float = Field(default=2.0, ge=0.5, le=6)
    margin_bawah: float = Field(default=2.5, ge=0.5, le=6)
    margin_kiri: float = Field(default=3.0, ge=0.5, le=6)
    lambang: Path | None = None
    # The letter's body: the portal's address and a narahubung; a sentence is left out when empty.
    portal_url: str = Field(default="", max_length=200)
    narahubung_nama: str = Field(default="", max_length=200)
    narahubung_telepon: str = Field(default="", max_length=50)

    @field_validator("kertas", mode="before")
    @classmethod
    def _paper_upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("lambang")
    @classmethod
    def _lambang_file(cls, value: Path | None) -> Path | None:
        if value is None:
            return None
        if value.suffix.lower() not in (".png", ".svg"):
            raise _refused("setup.lambang_kind", path=value)
        if not value.is_file():
            raise _refused("setup.lambang_missing", path=value)
        return value

    @field_validator("nomor_surat")
    @classmethod
    def _valid_pattern(cls, value: str) -> str:
        try:
            value.format(seq=1, bulan="XI", tahun=2026)
        except (KeyError, IndexError, ValueError) as exc:
            raise _refused("setup.nomor_surat_invalid", problem=exc) from None
        if "{seq}" not in value:
            raise _refused("setup.nomor_surat_no_seq")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        return urls.database_url(value)

    @field_validator("bot_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        return urls.bot_api_url(value, "/bot")

    @field_validator("bot_file_url")
    @classmethod
    def _file_url(cls, value: str) -> str:
        return urls.bot_api_url(value, "/file/bot")

    @field_validator("data_dir")
    @classmethod
    def _data_dir(cls, value: Path) -> Path:
        if value.exists() and not value.is_dir():
            raise _refused("setup.data_dir_file", path=value)
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise _refused("setup.timezone_unknown", zone=value) from None
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class SettingsError(Exception):
    """One readable line about what is wrong with the configuration."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        parts = []
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"])
            parts.append(f"ESAKIP_{field.upper()}: {err['msg'].removeprefix('Value error, ')}")
        raise SettingsError(error_text.render("setup.settings_invalid", {"problems": "; ".join(parts)})) from None


def _refused(code: str, **params: object) -> ValueError:
    """A setting's problem as pydantic reports it (a ValueError), worded in templates/errors/setup.yaml."""
    return ValueError(error_text.render(code, params))
