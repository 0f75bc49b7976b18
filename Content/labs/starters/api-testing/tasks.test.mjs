// A starting point for the api-testing lab, in JavaScript with node's own test runner and fetch
// (Node 18 or newer, no packages to install). Run it the way Groundwork does:
//
//     groundwork check api-testing --tests "node --test tasks.test.mjs"
//
// Groundwork sets BASE_URL (the practice API's address) and API_TOKEN for every run. These two
// tests pass stage 1 (status codes); add tests for the later stages as you go — validation, a
// task's whole life, pagination and filtering, authentication, requests at the same time.
// For a JUnit report: node --test --test-reporter=junit --test-reporter-destination=report.xml

import { test } from "node:test";
import assert from "node:assert/strict";

const { BASE_URL, API_TOKEN } = process.env;

/** Sends one request; returns the status, the headers and the parsed JSON body (or null). */
async function call(method, path, body, token = API_TOKEN) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(BASE_URL + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : null };
}

test("a create answers 201 and says where the task is", async () => {
  const { status, headers, json } = await call("POST", "/tasks", { title: "Learn to test APIs" });
  assert.equal(status, 201);
  assert.equal(headers.get("location"), `/tasks/${json.id}`);
  assert.equal(json.title, "Learn to test APIs");
});

test("a task that does not exist is 404", async () => {
  const { status } = await call("GET", "/tasks/987654");
  assert.equal(status, 404);
});
