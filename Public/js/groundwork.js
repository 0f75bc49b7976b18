// Progressive enhancement: the state buttons on a topic page save without a page reload.
// Without JavaScript the same form posts normally and the server redirects back.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.dataset.enhance !== "progress") return;
  const button = event.submitter;
  if (!button || button.name !== "state") return;
  event.preventDefault();
  const status = form.querySelector('[role="status"]');
  const body = new URLSearchParams(new FormData(form));
  body.set("state", button.value);
  try {
    const response = await fetch(form.action, {
      method: "POST", body, headers: { Accept: "application/json" }, credentials: "same-origin",
    });
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    const result = await response.json();
    for (const other of form.querySelectorAll("button[name=state]")) {
      other.setAttribute("aria-pressed", String(other.value === result.state));
    }
    const current = form.querySelector(".current-state");
    current.textContent = button.textContent;
    current.dataset.state = result.state;
    status.textContent = `Saved: ${button.textContent}.`;
  } catch (error) {
    status.textContent = `Could not save (${error.message}); trying again without JavaScript…`;
    form.dataset.enhance = "";
    form.requestSubmit(button);
  }
});

// A topic's note saves itself a second after the learner stops typing, through the notes API,
// and says so; the form's own button still posts it normally (and is all there is without JS).
const noteLimit = 64 * 1024;
for (const form of document.querySelectorAll("form[data-autosave]")) {
  const text = form.querySelector("textarea");
  const status = form.querySelector('[role="status"]');
  const preview = form.parentElement.querySelector(".note-preview");
  let timer;
  let saving = Promise.resolve();
  const save = async () => {
    const size = new TextEncoder().encode(text.value).length;
    if (size > noteLimit) {
      status.textContent = `Not saved: the note is ${Math.ceil(size / 1024)} KB; a note holds at most 64 KB. Shorten it.`;
      return;
    }
    status.textContent = "Saving…";
    try {
      const response = await fetch(form.dataset.autosave, {
        method: "PUT", credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ text: text.value }),
      });
      if (response.status === 204) {
        preview.innerHTML = "";
        status.textContent = "Saved (the note is empty, so it was removed).";
        return;
      }
      const body = await response.json();
      if (!response.ok) throw new Error(body.detail || `the server answered ${response.status}`);
      // The server renders the safe Markdown subset: everything the learner typed arrives escaped.
      preview.innerHTML = body.html;
      status.textContent = "Saved.";
    } catch (error) {
      status.textContent = `Not saved: ${error.message}`;
    }
  };
  text.addEventListener("input", () => {
    status.textContent = "Editing…";
    clearTimeout(timer);
    timer = setTimeout(() => { saving = saving.then(save); }, 1000);
  });
}

// "/" jumps to the search box in the navigation, unless the learner is typing somewhere.
document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement || target.isContentEditable) return;
  const search = document.getElementById("site-search");
  if (!search) return;
  event.preventDefault();
  search.focus();
});

// "Your data": the chosen file is sent to the import API as a dry run first; the learner sees
// every change (or every problem) and only then imports. Everything shown is set as text.
for (const form of document.querySelectorAll("form[data-import]")) {
  const input = form.querySelector('input[type="file"]');
  const result = document.getElementById("import-result");
  const limit = 8 * 1024 * 1024;
  const show = (...nodes) => result.replaceChildren(...nodes);
  const paragraph = (text) => Object.assign(document.createElement("p"), { textContent: text });
  const list = (lines, className) => {
    const ul = document.createElement("ul");
    if (className) ul.className = className;
    for (const line of lines.slice(0, 200)) ul.append(Object.assign(document.createElement("li"), { textContent: line }));
    if (lines.length > 200) ul.append(Object.assign(document.createElement("li"), { textContent: `… and ${lines.length - 200} more.` }));
    return ul;
  };
  const send = async (text, dryRun) => {
    const response = await fetch(`${form.dataset.import}?dryRun=${dryRun}`, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" }, body: text,
    });
    const body = await response.json().catch(() => ({}));
    return { ok: response.ok, status: response.status, body };
  };
  const refused = (answer) => {
    const nodes = [paragraph(answer.body.detail || `The server answered ${answer.status}; nothing was imported.`)];
    if (answer.body.problems) nodes.push(list(answer.body.problems, "problems"));
    show(...nodes);
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = input.files[0];
    if (!file) return;
    if (file.size > limit) {
      show(paragraph(`The file is ${(file.size / 1048576).toFixed(1)} MB; an import reads at most 8 MB. Choose the file Groundwork's export wrote.`));
      return;
    }
    show(paragraph("Checking the file…"));
    const text = await file.text();
    try {
      const preview = await send(text, true);
      if (!preview.ok) return refused(preview);
      const { changes, notices } = preview.body;
      const nodes = [];
      if (changes.length === 0) {
        nodes.push(paragraph("Nothing to import: everything in this file is already here."));
      } else {
        nodes.push(paragraph(`Importing this file would make ${changes.length} change${changes.length === 1 ? "" : "s"}:`), list(changes));
      }
      if (notices.length > 0) nodes.push(paragraph("Worth knowing (kept, not dropped):"), list(notices));
      if (changes.length > 0) {
        const confirm = Object.assign(document.createElement("button"), { type: "button", textContent: `Import ${changes.length} change${changes.length === 1 ? "" : "s"}` });
        confirm.addEventListener("click", async () => {
          confirm.disabled = true;
          const done = await send(text, false);
          if (!done.ok) return refused(done);
          show(paragraph(`Imported: ${done.body.changes.length} change${done.body.changes.length === 1 ? "" : "s"} saved.`), list(done.body.changes));
        });
        nodes.push(confirm);
      }
      show(...nodes);
    } catch (error) {
      show(paragraph(`Could not reach the server (${error.message}); nothing was imported. Try again.`));
    }
  });
}
