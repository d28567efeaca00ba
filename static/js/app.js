// Small progressive enhancements; every page works without this file.
document.addEventListener("htmx:responseError", (event) => {
  const box = document.getElementById("htmx-error");
  if (box) {
    box.hidden = false;
    box.textContent = "L'enregistrement n'a pas abouti. Vérifiez votre connexion et réessayez.";
  }
});
