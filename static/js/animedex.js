// The base layout carries no CSRF token so that anonymous pages stay cacheable; pages with forms
// set Django's csrftoken cookie, and every htmx request sends it back as the header Django checks.
document.addEventListener("htmx:configRequest", (event) => {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) {
    event.detail.headers["X-CSRFToken"] = decodeURIComponent(match[1]);
  }
});
