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
