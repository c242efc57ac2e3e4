// The live character counter under a review's text. Without JavaScript the line states the
// minimum, and the server checks it either way.
(() => {
  const body = document.querySelector("textarea[data-min-length]");
  const counter = document.getElementById("body-count");
  if (!body || !counter) return;
  const minimum = Number(body.dataset.minLength);
  const update = () => {
    // Code points of the trimmed text, as the server counts them (an emoji is one character).
    const length = [...body.value.trim()].length;
    const missing = minimum - length;
    counter.textContent =
      missing > 0
        ? `${length} characters: ${missing} more to reach the minimum of ${minimum}.`
        : `${length} characters.`;
    counter.classList.toggle("char-count-short", missing > 0);
  };
  body.addEventListener("input", update);
  update();
})();
