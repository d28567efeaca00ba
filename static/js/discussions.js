// The message editor's small toolbar: wraps the selection of the textarea in the few tags messages keep (bold,
// italic, list, link). Without this file the textarea still takes the same limited HTML, or plain text.
(() => {
  const wrappers = {
    strong: (text) => `<strong>${text || "texte en gras"}</strong>`,
    em: (text) => `<em>${text || "texte en italique"}</em>`,
    ul: (text) => {
      const lines = (text || "premier point\ndeuxième point").split("\n").filter((l) => l.trim());
      return `<ul>\n${lines.map((l) => `<li>${l.trim()}</li>`).join("\n")}\n</ul>`;
    },
    a: (text) => {
      const url = window.prompt("Adresse du lien (https://…)", "https://");
      if (!url || url === "https://") {
        return null;
      }
      const safe = url.replace(/"/g, "%22");
      return `<a href="${safe}">${text || safe}</a>`;
    },
  };

  const setUp = (toolbar) => {
    const area = document.getElementById(toolbar.dataset.richToolbar);
    if (!area) {
      return;
    }
    toolbar.hidden = false;
    toolbar.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-wrap]");
      if (!button) {
        return;
      }
      const start = area.selectionStart;
      const end = area.selectionEnd;
      const replacement = wrappers[button.dataset.wrap](area.value.slice(start, end));
      if (replacement === null) {
        area.focus();
        return;
      }
      area.setRangeText(replacement, start, end, "end");
      area.focus();
    });
  };

  const init = () => document.querySelectorAll("[data-rich-toolbar]").forEach(setUp);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
