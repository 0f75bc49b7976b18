# expect: none
# escape directives come only on the first lines, so this one is a comment
FROM python:3.12-slim AS build
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir \
    # comments inside a continuation are skipped

    --prefix=/install \
    -r requirements.txt
COPY . .

from python:3.12-slim
ENV PYTHONUNBUFFERED=1 \
    DATABASE_URL_FILE=/run/secrets/database_url
COPY --from=build /install /usr/local
COPY --from=build /app /app
user 10001
healthcheck --interval=10s CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"]
cmd ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
