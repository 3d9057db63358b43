// Type-ahead for a long select (e.g. the ~200 record types of the plan): a select with
// data-filterable gets a search field before it that narrows its options to those whose
// text (or group label) holds every word typed. Enter chooses the first option shown,
// ArrowDown moves to the list; the option chosen stays in the list whatever is typed.
// The field's label comes from data-filter-label, the count read out to screen readers
// from data-filter-count ("{shown} of {total}"). A select with fewer options than
// data-filterable says (default 8) is left as it is. Without scripts the plain select remains.
(() => {
  "use strict";
  const fold = (text) =>
    text.toLocaleLowerCase("sv").normalize("NFKD").replace(/[\u0300-\u036f]/g, "");

  const enhance = (select) => {
    if (select.dataset.filterReady) return;
    if (select.options.length < (Number(select.dataset.filterable) || 8)) return;
    select.dataset.filterReady = "1";
    // Every option with its group, kept aside: the list is rebuilt from these.
    const entries = [];
    for (const child of Array.from(select.children)) {
      if (child.tagName === "OPTGROUP") {
        for (const option of Array.from(child.children)) {
          entries.push({ option, group: child, text: fold(`${option.text} ${child.label}`) });
        }
      } else {
        entries.push({ option: child, group: null, text: fold(child.text) });
      }
    }
    const total = entries.filter((e) => e.option.value).length;
    const id = `${select.id || select.name}-filter`;
    const box = document.createElement("div");
    box.className = "select-filter";
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = select.dataset.filterLabel || "Filter";
    const input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.setAttribute("aria-controls", select.id);
    const status = document.createElement("span");
    status.id = `${id}-count`;
    status.className = "helptext";
    status.setAttribute("role", "status");
    input.setAttribute("aria-describedby", status.id);
    box.append(label, input, status);
    select.before(box);

    const typed = () => fold(input.value).split(/\s+/).filter(Boolean);
    const matches = (entry, words) => words.every((w) => entry.text.includes(w));
    const groups = new Map();
    const apply = () => {
      const words = typed();
      const chosen = select.value;
      groups.clear();
      select.replaceChildren();
      let shown = 0;
      for (const entry of entries) {
        const match = matches(entry, words);
        const keep = !entry.option.value || match || entry.option.value === chosen;
        if (!keep) continue;
        if (entry.option.value && match) shown += 1;
        if (entry.group) {
          let group = groups.get(entry.group);
          if (!group) {
            group = entry.group.cloneNode(false);
            groups.set(entry.group, group);
            select.append(group);
          }
          group.append(entry.option);
        } else {
          select.append(entry.option);
        }
      }
      select.value = chosen;
      status.textContent = words.length
        ? (select.dataset.filterCount || "{shown} / {total}")
            .replace("{shown}", shown).replace("{total}", total)
        : "";
    };
    // The first option the words match, in the list's order (not the chosen one kept).
    const firstShown = () => {
      const words = typed();
      const found = entries.find((e) => e.option.value && matches(e, words));
      return found ? found.option : null;
    };

    input.addEventListener("input", apply);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();  // not the form's submit
        const first = firstShown();
        if (first) {
          select.value = first.value;
          select.dispatchEvent(new Event("change", { bubbles: true }));
          select.focus();
        }
      } else if (event.key === "ArrowDown") {
        event.preventDefault();
        select.focus();
      }
    });
  };

  document.addEventListener("DOMContentLoaded", () => {
    for (const select of document.querySelectorAll("select[data-filterable]")) enhance(select);
  });
})();
