// The printable list's "print" button: shown only where JavaScript runs.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
document.querySelectorAll("[data-print-hint]").forEach((hint) => {
  hint.hidden = true;
});
