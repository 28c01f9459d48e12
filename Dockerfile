FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    BULLETIN_DATA_DIR=/data

WORKDIR /app
# WeasyPrint's system libraries and the CJK fonts it embeds in the issue PDF.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml ./
COPY bulletin ./bulletin
COPY issues ./issues
COPY articles ./articles
COPY people ./people
RUN pip install --no-cache-dir .
COPY . .

# The folders docker-compose.yml mounts volumes on exist here, owned by the app's user: a new
# named volume takes the owner of the folder it is mounted on (otherwise root, and uploads fail).
RUN useradd --system --home /app bulletin \
    && mkdir -p /data/media /data/static /data/whoosh_index /data/cache /data/import-tmp \
    && chown -R bulletin /data
USER bulletin
EXPOSE 8000
# Threaded workers and their limits: gunicorn.conf.py (GUNICORN_WORKERS, GUNICORN_THREADS, ...).
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
