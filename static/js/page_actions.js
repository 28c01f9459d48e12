// Page actions without inline script, which the Content-Security-Policy forbids:
// a button marked data-print prints the page; a form marked data-confirm="question" is only
// submitted once the user agrees (its submit buttons may stand outside it, form="…").
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
document.addEventListener("submit", (event) => {
  const question = event.target.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
