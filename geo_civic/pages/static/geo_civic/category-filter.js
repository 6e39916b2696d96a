// Category filter, built from the categories in use (those of /api/categories, sent in the map's
// page); hidden when there are none to offer.
export function categoryFilter({ fieldset, categories = [], selected, onChange }) {
  fieldset.hidden = categories.length === 0;
  const colours = {};
  const boxes = [];
  for (const category of categories) {
    colours[category.slug] = category.colour;
    const label = fieldset.appendChild(document.createElement("label"));
    label.className = category.parent ? "category child" : "category";
    const box = label.appendChild(document.createElement("input"));
    box.type = "checkbox";
    box.name = "category";
    box.value = category.slug;
    box.checked = selected.includes(category.slug);
    box.addEventListener("change", () =>
      onChange(boxes.filter((b) => b.checked).map((b) => b.value)),
    );
    boxes.push(box);
    const swatch = label.appendChild(document.createElement("span"));
    swatch.className = "swatch";
    swatch.setAttribute("aria-hidden", "true");
    if (/^#[0-9a-fA-F]{6}$/.test(category.colour || "")) swatch.style.background = category.colour;
    label.append(` ${category.name} `);
    const count = label.appendChild(document.createElement("span"));
    count.className = "count";
    count.dataset.category = category.slug;
  }
  return {
    boxes,
    colours,
    setCounts(perCategory) {
      for (const span of fieldset.querySelectorAll(".count[data-category]")) {
        span.textContent = `(${perCategory?.[span.dataset.category] || 0})`;
      }
    },
    setChecked(slugs) {
      for (const box of boxes) box.checked = slugs.includes(box.value);
    },
  };
}
