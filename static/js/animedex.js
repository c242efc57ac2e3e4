// Lets the stylesheet hide what only a page without JavaScript needs (a rating's Save button).
document.documentElement.classList.add("js");

// The base layout carries no CSRF token so that anonymous pages stay cacheable; pages with forms
// set Django's csrftoken cookie, and every htmx request sends it back as the header Django checks.
document.addEventListener("htmx:configRequest", (event) => {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) {
    event.detail.headers["X-CSRFToken"] = decodeURIComponent(match[1]);
  }
});

// The search box's suggestions: arrow keys move through them, Escape or a click elsewhere closes
// them. Enter in the box submits the form: the full results page.
(() => {
  const input = document.getElementById("site-search-q");
  const box = document.getElementById("search-suggestions");
  if (!input || !box) return;
  const links = () => Array.from(box.querySelectorAll("a"));
  const close = () => {
    box.replaceChildren();
    input.setAttribute("aria-expanded", "false");
  };
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target === box) {
      input.setAttribute("aria-expanded", String(links().length > 0));
    }
  });
  const move = (event, step) => {
    const all = links();
    if (!all.length) return;
    event.preventDefault();
    const next = all.indexOf(document.activeElement) + step;
    if (next < 0) input.focus();
    else all[Math.min(next, all.length - 1)].focus();
  };
  input.form.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") move(event, 1);
    else if (event.key === "ArrowUp") move(event, -1);
    else if (event.key === "Escape") {
      close();
      input.focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (!input.form.contains(event.target)) close();
  });
})();

// A catalog update replaces the filters and results together. htmx gives the focus back to a
// control that comes back with the same id (a checkbox), but a removed filter's chip or a page
// link is gone, and the focus would fall to the top of the page: it goes to the count of
// results, which says what changed.
document.body.addEventListener("htmx:afterSettle", () => {
  const count = document.getElementById("results-count");
  if (count && (!document.activeElement || document.activeElement === document.body)) {
    count.focus();
  }
});
