# One image for web (gunicorn), worker and beat (docker-compose.yml).
FROM python:3.11-slim-bookworm AS assets
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/vendor.sh scripts/vendor.sh
RUN bash scripts/vendor.sh

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_DEBUG=False
RUN useradd --create-home --uid 1000 qcdc
WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=qcdc:qcdc . .
COPY --from=assets --chown=qcdc:qcdc /app/static/vendor static/vendor
# collectstatic needs a key to import settings; the real key comes from the environment at run time.
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput -v 0
USER qcdc
EXPOSE 8000
CMD ["gunicorn", "qcdc_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
