# expect: pinned-base multi-stage
# A registry with a port is no tag: localhost:5000/base has none.
FROM localhost:5000/base
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
USER app
HEALTHCHECK CMD ["true"]
CMD ["python", "app.py"]
