"""A starting point for the api-testing lab, in Python with pytest and the standard library.

Run it the way Groundwork does:

    groundwork check api-testing --tests "python3 -m pytest -q test_tasks.py"

Groundwork sets BASE_URL (the practice API's address) and API_TOKEN for every run. These two
tests pass stage 1 (status codes); add tests for the later stages as you go — validation, a
task's whole life, pagination and filtering, authentication, requests at the same time.
"""

import json
import os
import urllib.error
import urllib.request

BASE_URL = os.environ["BASE_URL"]
API_TOKEN = os.environ["API_TOKEN"]


def call(method, path, body=None, token=API_TOKEN):
    """Sends one request; returns (status, headers, parsed JSON body or None)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE_URL + path, data=data, method=method)
    if token is not None:
        request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
            return response.status, response.headers, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        text = error.read().decode()
        return error.code, error.headers, json.loads(text) if text else None


def test_create_answers_201_and_where_the_task_is():
    status, headers, task = call("POST", "/tasks", {"title": "Learn to test APIs"})
    assert status == 201
    assert headers["Location"] == "/tasks/%d" % task["id"]
    assert task["title"] == "Learn to test APIs"


def test_a_task_that_does_not_exist_is_404():
    status, _, _ = call("GET", "/tasks/987654")
    assert status == 404
