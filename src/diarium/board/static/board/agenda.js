// Reordering the agenda by dragging; the Up/Down buttons do the same by keyboard.
document.addEventListener("DOMContentLoaded", () => {
  const list = document.getElementById("agenda");
  if (!list) return;
  let dragged = null;
  list.addEventListener("dragstart", (e) => { dragged = e.target.closest("li"); });
  list.addEventListener("dragover", (e) => { e.preventDefault(); });
  list.addEventListener("drop", (e) => {
    e.preventDefault();
    const target = e.target.closest("li");
    if (!dragged || !target || dragged === target) return;
    list.insertBefore(dragged, target);
    const form = document.createElement("form");
    form.method = "post";
    form.action = list.dataset.reorder;
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    for (const [name, value] of [["csrfmiddlewaretoken", token ? token.value : ""],
      ["order", [...list.children].map((li) => li.dataset.id).join(",")]]) {
      const input = document.createElement("input");
      input.type = "hidden"; input.name = name; input.value = value;
      form.appendChild(input);
    }
    document.body.appendChild(form);
    form.submit();
  });
});
