// Popups are built from DOM nodes with textContent: names typed by residents never become HTML.
export function popupContent(title, meta) {
  const box = document.createElement("div");
  const heading = box.appendChild(document.createElement("div"));
  heading.className = "popup-title";
  heading.textContent = title;
  if (meta) {
    const line = box.appendChild(document.createElement("div"));
    line.className = "popup-meta";
    line.textContent = meta;
  }
  return box;
}
