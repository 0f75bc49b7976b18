// SQL practice: Ctrl+Enter (Cmd+Enter on a Mac) in the editor runs the SQL, as the Run button does,
// and the button says it is running until the answer arrives. Without JavaScript the button posts
// the same form; nothing here is needed to practise.
document.addEventListener("keydown", (event) => {
  const editor = event.target;
  if (!(editor instanceof HTMLTextAreaElement) || editor.dataset.editor !== "sql") return;
  if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
  event.preventDefault();
  editor.form.requestSubmit();
});

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.classList.contains("sql-editor")) return;
  const button = form.querySelector("button[type=submit]");
  // Disabled after this event, so the form is still sent; a second press cannot send it twice.
  setTimeout(() => {
    button.disabled = true;
    button.textContent = "Running…";
  });
});

// After a run, bring the verdict into view and give it focus, so it is read out at once.
const verdict = document.getElementById("result");
if (verdict && location.hash === "#result") verdict.focus();
