"""The api-testing lab's reference test suite: every check the lab asks for, in Python's standard
library only. SKIP_STAGE=<stage id> leaves out that stage's tests, which makes the suite one
that misses that stage's bugs (the lab's mutants of a suite). With JUNIT_FILE it writes a JUnit
XML report there; with COVERAGE_FILE it writes an lcov trace (standing in for a coverage tool)."""

import json
import os
import sys
import threading
import unittest
import urllib.error
import urllib.request

BASE = os.environ["BASE_URL"]
TOKEN = os.environ["API_TOKEN"]
SKIP = os.environ.get("SKIP_STAGE", "")


def call(method, path, body=None, token=TOKEN):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method)
    if token is not None:
        request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
            return response.status, dict(response.headers), json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        text = error.read().decode()
        return error.code, dict(error.headers), json.loads(text) if text else None


def create(title="a task", done=False):
    status, _, task = call("POST", "/tasks", {"title": title, "done": done})
    assert status in (200, 201), status
    return task


def stage(name):
    return unittest.skipIf(SKIP == name, "left out: " + name)


class StatusCodes(unittest.TestCase):
    @stage("status-codes")
    def test_create_answers_201_with_location(self):
        status, headers, task = call("POST", "/tasks", {"title": "Write tests"})
        self.assertEqual(status, 201)
        self.assertEqual(headers.get("Location"), "/tasks/%d" % task["id"])

    @stage("status-codes")
    def test_missing_task_is_404(self):
        status, _, _ = call("GET", "/tasks/999999")
        self.assertEqual(status, 404)


class Validation(unittest.TestCase):
    @stage("validation")
    def test_empty_title_is_refused(self):
        self.assertEqual(call("POST", "/tasks", {"title": ""})[0], 422)

    @stage("validation")
    def test_done_must_be_boolean(self):
        self.assertEqual(call("POST", "/tasks", {"title": "x", "done": "yes"})[0], 422)
        self.assertEqual(call("POST", "/tasks", {"title": "x", "done": 1})[0], 422)


class Lifecycle(unittest.TestCase):
    def test_create_then_read(self):
        task = create("Read me back")
        status, _, read = call("GET", "/tasks/%d" % task["id"])
        self.assertEqual((status, read), (200, task))

    @stage("lifecycle")
    def test_update_is_stored(self):
        task = create("Before")
        call("PUT", "/tasks/%d" % task["id"], {"title": "After", "done": True})
        self.assertEqual(call("GET", "/tasks/%d" % task["id"])[2]["title"], "After")

    @stage("lifecycle")
    def test_delete_removes(self):
        task = create("Short-lived")
        self.assertEqual(call("DELETE", "/tasks/%d" % task["id"])[0], 204)
        self.assertEqual(call("GET", "/tasks/%d" % task["id"])[0], 404)


class Pagination(unittest.TestCase):
    @stage("pagination")
    def test_limit_and_offset(self):
        ids = [create("page %d" % n)["id"] for n in range(25)]
        body = call("GET", "/tasks?limit=3&offset=1")[2]
        everything = call("GET", "/tasks?limit=100")[2]["items"]
        self.assertEqual([t["id"] for t in body["items"]], [t["id"] for t in everything[1:4]])
        self.assertTrue(set(ids) <= {t["id"] for t in everything})

    @stage("pagination")
    def test_done_filter(self):
        done = create("finished", done=True)
        create("open", done=False)
        items = call("GET", "/tasks?done=true&limit=100")[2]["items"]
        self.assertIn(done["id"], [t["id"] for t in items])
        self.assertTrue(all(t["done"] for t in items))


class Auth(unittest.TestCase):
    @stage("auth")
    def test_no_token_is_401(self):
        self.assertEqual(call("GET", "/tasks", token=None)[0], 401)
        self.assertEqual(call("POST", "/tasks", {"title": "sneaky"}, token=None)[0], 401)

    @stage("auth")
    def test_wrong_token_is_401(self):
        self.assertEqual(call("GET", "/tasks", token="not-the-token")[0], 401)


class Concurrency(unittest.TestCase):
    @stage("concurrency")
    def test_ids_differ_under_concurrent_creates(self):
        found = []
        threads = [threading.Thread(target=lambda n=n: found.append(create("at once %d" % n)["id"])) for n in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(len(set(found)), 10)


def write_junit(result, path, total):
    failed = len(result.failures) + len(result.errors)
    with open(path, "w") as report:
        report.write('<?xml version="1.0"?>\n<testsuites tests="%d" failures="%d" skipped="%d">\n'
                     '<testsuite name="api" tests="%d" failures="%d"/>\n</testsuites>\n'
                     % (total, failed, len(result.skipped), total, failed))


if __name__ == "__main__":
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(verbosity=1).run(suite)
    if os.environ.get("JUNIT_FILE"):
        write_junit(result, os.environ["JUNIT_FILE"], result.testsRun)
    if os.environ.get("COVERAGE_FILE"):
        with open(os.environ["COVERAGE_FILE"], "w") as trace:
            trace.write("TN:\nSF:suite.py\nLF:120\nLH:96\nend_of_record\n")
    sys.exit(0 if result.wasSuccessful() else 1)
