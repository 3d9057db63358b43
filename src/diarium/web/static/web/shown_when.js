// Parts of a form that only one choice needs: an element with data-shown-when="name:value"
// is shown only while the form's control `name` (radio buttons or a select) has that
// value. Without scripts every part is shown, and the server ignores the unchosen one.
(() => {
  "use strict";
  const chosen = (form, name) =>
    form.querySelector(`input[name="${name}"]:checked`) ||
    form.querySelector(`select[name="${name}"]`);

  const update = (form) => {
    for (const part of form.querySelectorAll("[data-shown-when]")) {
      const [name, value] = part.dataset.shownWhen.split(":");
      const control = chosen(form, name);
      part.hidden = Boolean(control) && control.value !== value;
    }
  };

  document.addEventListener("change", (event) => {
    const form = event.target.form;
    if (form && form.querySelector("[data-shown-when]")) update(form);
  });
  document.addEventListener("DOMContentLoaded", () => {
    for (const part of document.querySelectorAll("form [data-shown-when]")) {
      update(part.closest("form"));
    }
  });
})();
