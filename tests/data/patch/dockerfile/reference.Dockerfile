# syntax=docker/dockerfile:1.7
ARG PYTHON_VERSION=3.12
FROM python:${PYTHON_VERSION}-slim AS base
ENV APP_HOME=/srv/app PYTHONUNBUFFERED=0
WORKDIR /srv/app
LABEL org.opencontainers.image.source="https://github.com/acme/shop" team="platform"
EXPOSE 8000 9090

FROM base AS production
RUN pip install gunicorn==21.2.0
USER www-data
ENV LOG_LEVEL=warning \
    WORKERS=2
ENV TZ=UTC
CMD ["gunicorn", "--workers", "4", "app.wsgi"]
