// Keyboard shortcuts of the staff UI (the list: core/shortcuts.py, shown at
// /hjalp/kortkommandon/). A key activates the element of the page that carries it in
// data-shortcut: a link is followed, a field gets the focus. "g h" is two keys typed one
// after the other. Keys typed into a field, or with Ctrl, Alt or Cmd, are left alone.
(() => {
  "use strict";
  const SEQUENCE_MS = 1500;
  let pending = "";
  let timer = null;

  const typing = (el) =>
    el instanceof HTMLElement &&
    (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));

  // The last element with a key wins: a page's own search field comes after the header's.
  const targets = () => {
    const found = new Map();
    for (const el of document.querySelectorAll("[data-shortcut]")) {
      found.set(el.dataset.shortcut, el);
    }
    return found;
  };

  const activate = (el) => {
    if (el.matches("input, textarea, select")) {
      el.focus();
      if (typeof el.select === "function") el.select();
    } else {
      el.click();
    }
  };

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target) || event.key.length !== 1) return;
    const keys = pending ? `${pending} ${event.key}` : event.key;
    const found = targets();
    clearTimeout(timer);
    pending = "";
    if (found.has(keys)) {
      event.preventDefault();
      activate(found.get(keys));
    } else if ([...found.keys()].some((k) => k.startsWith(`${keys} `))) {
      event.preventDefault();
      pending = keys;
      timer = setTimeout(() => { pending = ""; }, SEQUENCE_MS);
    }
  });
})();
