// Small progressive enhancements; every page works without this file (CSP: no inline script, no on*= attribute).

// A form or button with data-confirm="Question ?" asks before a destructive action is sent.
document.addEventListener("submit", (event) => {
  const submitter = event.submitter;
  const question = (submitter && submitter.dataset.confirm) || event.target.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// htmx: say so when a partial update failed instead of leaving the page silently unchanged.
document.addEventListener("htmx:responseError", () => {
  const box = document.getElementById("htmx-error");
  if (box) {
    box.hidden = false;
    box.textContent = "L'enregistrement n'a pas abouti. Vérifiez votre connexion et réessayez.";
  }
});
