// Live lab runs: the Run form starts the run with fetch, then follows its server-sent events and
// lists each step as it finishes. Without JavaScript the same form waits for the whole run and
// the server redirects to the result. Every text from the server goes in with textContent.
(() => {
  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  // The run panel's stage list, overall bar and the header's badge, kept in step with the run.
  const board = {
    items: () => [...document.querySelectorAll(".stage-list .stage-state")],
    set(number, state, mark, label) {
      const item = document.querySelector(`.stage-list [data-stage="${number}"]`);
      if (!item) return;
      item.className = `stage-state s-${state}`;
      item.querySelector(".mark").textContent = mark;
      item.querySelector(".state-text").textContent = `(${label})`;
    },
    passed: 0,
    bar(text) {
      const bar = document.querySelector("#stage-bar");
      const label = document.querySelector(".stage-bar-label");
      if (bar) bar.value = this.passed;
      if (label) label.textContent = text;
    },
    badge(text, kind) {
      const badge = document.querySelector("#lab-title .badge");
      if (!badge) return;
      badge.textContent = text;
      badge.className = `badge result-${kind}`;
    },
    start() {
      this.passed = 0;
      for (const item of this.items()) this.set(item.dataset.stage, "waiting", "…", "waiting");
      this.bar(`Running: 0 of ${this.items().length} stages passed so far`);
      this.badge("Running…", "partial");
    },
  };

  // Appends a run's events to `live` (a .run-live block) until it ends; `onDone` gets the result.
  const follow = (url, live, onDone) => {
    const status = live.querySelector(".run-status");
    const log = live.querySelector(".run-log");
    let stageList = null;
    let failedStage = null;
    let nothingAnswered = false;
    const source = new EventSource(url);
    const read = (event) => JSON.parse(event.data);

    source.addEventListener("stage", (event) => {
      const stage = read(event);
      const item = element("li", "live-stage");
      item.append(element("strong", "", `Stage ${stage.number}/${stage.count} · ${stage.title}`));
      stageList = element("ul", "step-results");
      item.append(stageList);
      log.append(item);
      status.textContent = `Checking stage ${stage.number} of ${stage.count}: ${stage.title}…`;
      board.set(stage.number, "running", "▶", "checking…");
      board.badge(`Running: stage ${stage.number} of ${stage.count}`, "partial");
    });

    source.addEventListener("step", (event) => {
      const { step } = read(event);
      const item = element("li", `step-result outcome-${step.outcome}`);
      item.append(element("span", "symbol", step.outcome === "passed" ? "✓" : "✗"), ` ${step.name} `,
        element("span", "small", `(${step.durationMS} ms)`));
      if (step.outcome === "failed") {
        const failures = element("ul", "failures");
        for (const failure of step.failures) failures.append(element("li", "", failure));
        item.append(failures);
        if (step.exchange) {
          item.append(element("p", "small", "Reproduce it:"), element("pre", "curl", step.exchange.curl));
          const error = step.exchange.transportError;
          if (error) item.append(element("p", "hint", `No answer: ${error.hint}`));
          nothingAnswered = Boolean(error);
        }
      }
      (stageList || log).append(item);
    });

    source.addEventListener("stage-done", (event) => {
      const stage = read(event);
      if (stage.outcome === "passed") board.passed += 1;
      const marks = { passed: ["✓", "passed"], failed: ["✗", "failed"], skipped: ["–", "not run"] };
      const [mark, label] = marks[stage.outcome] || ["?", stage.outcome];
      board.set(stage.number, stage.outcome, mark, label);
      board.bar(`Running: ${board.passed} of ${board.items().length} stages passed so far`);
      if (stage.outcome === "failed") {
        failedStage = failedStage || stage;
        // The stage's hint is about the learner's code; when nothing answered, the step says more.
        if (!nothingAnswered) stageList.append(element("li", "hint", `Hint: ${stage.hint}`));
      }
      if (stage.outcome === "skipped") {
        stageList.append(element("li", "small", `Not run: ${stage.skipReason || "an earlier stage failed"}`));
      }
    });

    source.addEventListener("done", (event) => {
      source.close();
      const run = read(event);
      board.passed = run.stagesPassed;
      board.bar(run.passed ? `Passed: all ${run.stageCount} stages` : `This run: ${run.stagesPassed} of ${run.stageCount} stages passed`);
      board.badge(run.passed ? "Passed" : `This run: ${run.stagesPassed} of ${run.stageCount} stages`, run.passed ? "passed" : "partial");
      const where = failedStage ? `Failed at stage ${failedStage.number} (${failedStage.title}): ` : "Not passed: ";
      status.textContent = run.passed
        ? `Passed: all ${run.stageCount} stages. The lab's topics are verified.`
        : `${where}${run.stagesPassed} of ${run.stageCount} stages passed.`;
      const link = element("a", "", "See the full result");
      link.href = run.result;
      status.append(" ", link);
      onDone(run);
    });

    source.addEventListener("problem", (event) => {
      source.close();
      status.textContent = read(event).detail;
      onDone(null);
    });

    source.onerror = () => {
      if (source.readyState !== EventSource.CLOSED) return;
      status.textContent = "Lost contact with the run. Reload the page: finished runs are listed under “Your runs”.";
      onDone(null);
    };
  };

  // After a run: the header's result badge and "Your runs" (below the brief) are taken from a
  // fresh copy of the page, so the header no longer says "Not run yet" after a pass.
  const refreshFromPage = async () => {
    try {
      const page = new DOMParser().parseFromString(await (await fetch(location.href)).text(), "text/html");
      const badge = page.querySelector("#lab-title .badge");
      if (badge) document.querySelector("#lab-title .badge")?.replaceWith(badge);
      const fresh = page.querySelector("section.history");
      const current = document.querySelector("section.history");
      if (fresh && current) current.replaceWith(fresh);
      else if (fresh) document.querySelector("section.brief").after(fresh);
    } catch {
      // The run is stored either way; the page shows it on the next visit.
    }
  };

  // A message's `code` spans as <code>, the rest as text (messages mark commands with backticks).
  const showMessage = (node, text) => {
    node.replaceChildren(...text.split("`").map((part, index) => (index % 2 ? element("code", "", part) : part)));
  };

  const form = document.querySelector('form[data-enhance="lab-run"]');
  if (form) {
    const live = form.parentElement.querySelector(".run-live");
    const button = form.querySelector('button[type="submit"]');
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      button.disabled = true;
      live.hidden = false;
      live.querySelector(".run-log").replaceChildren();
      board.start();
      const status = live.querySelector(".run-status");
      status.classList.remove("alert");
      status.textContent = "Starting…";
      try {
        const response = await fetch(form.action, {
          method: "POST", body: new URLSearchParams(new FormData(form)),
          headers: { Accept: "application/json" }, credentials: "same-origin",
        });
        const body = await response.json().catch(() => ({}));
        if (response.status !== 202) throw new Error(body.detail || `the server answered ${response.status}`);
        follow(body.events, live, (run) => {
          button.disabled = false;
          if (run) refreshFromPage();
        });
      } catch (error) {
        status.classList.add("alert");
        showMessage(status, error.message);
        button.disabled = false;
      }
    });
  }

  const running = document.querySelector(".run-live[data-follow]");
  if (running) follow(running.dataset.follow, running, (run) => { if (run) location.reload(); });
})();
