// Reordering a custom list: htmx swaps in the whole reordered list, and the button that had the
// focus goes with the old one. Put the focus back where the member was, on the moved item, so
// that pressing the same arrow again keeps moving it (keyboard and screen reader users would
// otherwise start again from the top of the page).
(() => {
  let pressed = null;
  document.body.addEventListener("htmx:beforeRequest", () => {
    const active = document.activeElement;
    pressed = active && active.closest("#list-items .custom-list-item-actions") ? active : null;
  });
  document.body.addEventListener("htmx:afterSettle", () => {
    const moved = document.querySelector("#list-items .custom-list-item-moved");
    if (!pressed || !moved) return;
    const arrows = Array.from(moved.querySelectorAll('button[name="direction"]'));
    const same = arrows.find((button) => button.value === pressed.value && !button.disabled);
    const target =
      pressed.name === "direction"
        ? same || arrows.find((button) => !button.disabled)
        : moved.querySelector('input[name="position"]');
    pressed = null;
    if (target) target.focus();
  });
})();
