# Production image: one image for web (gunicorn), ws (daphne), worker and beat (celery).
# See docker-compose.yml for how they are wired together behind nginx.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Every runtime dependency ships as a wheel for CPython 3.11 on linux/x86_64 and
# aarch64 (psycopg-binary bundles libpq), so no compiler or -dev packages are needed.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files are collected into the image (STATIC_ROOT, /app/staticfiles); nginx serves
# them from a volume filled from here. The keys are throwaways used only by this command.
RUN SECRET_KEY=collectstatic-only-not-secret DEBUG=0 ALLOWED_HOSTS=localhost \
        LABORCASE_PII_KEYS=Y29sbGVjdHN0YXRpYy1vbmx5LW5vdC1zZWNyZXQtMDA= \
        LABORCASE_PII_INDEX_KEY=collectstatic-only-not-secret \
        LABORCASE_AUDIT_KEYS=collectstatic-only-not-secret \
        python manage.py collectstatic --noinput \
    && useradd --system --uid 10001 --home-dir /app --no-create-home app \
    && mkdir -p /app/media \
    && chown -R app:app /app/media /app/staticfiles

USER app

EXPOSE 8000 8001

CMD ["gunicorn", "config.wsgi:application", "-b", "0.0.0.0:8000", "-k", "gthread", "--workers", "2", "--threads", "8"]
