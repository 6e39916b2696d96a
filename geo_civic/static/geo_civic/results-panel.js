// The list of what is in view, in step with the map: hover a row to find its marker.
import { _, interpolate, ngettext } from "./i18n.js";
import { kindLabel } from "./kinds.js";

export class ResultsPanel {
  constructor({ list, status, counts, onHover, onPick }) {
    Object.assign(this, { list, status, counts, onHover, onPick });
  }

  render(visible, all, selected) {
    this.list.replaceChildren();
    const sorted = [...visible].sort((a, b) =>
      a.properties.name.localeCompare(b.properties.name, document.documentElement.lang));
    for (const feature of sorted) {
      const p = feature.properties;
      const item = document.createElement("li");
      item.dataset.id = feature.id;
      item.classList.toggle("selected", feature.id === selected);
      const button = item.appendChild(document.createElement("button"));
      button.type = "button";
      const name = button.appendChild(document.createElement("span"));
      name.className = "result-name";
      name.textContent = p.name;
      const meta = button.appendChild(document.createElement("span"));
      meta.className = "result-meta";
      meta.textContent = [kindLabel(p.kind), p.commune_name].filter(Boolean).join(" · ");
      button.addEventListener("mouseenter", () => this.onHover(feature.id, true));
      button.addEventListener("mouseleave", () => this.onHover(feature.id, false));
      button.addEventListener("focus", () => this.onHover(feature.id, true));
      button.addEventListener("blur", () => this.onHover(feature.id, false));
      button.addEventListener("click", () => this.onPick(feature.id));
      this.list.append(item);
    }
    const perKind = {};
    for (const f of all) perKind[f.properties.kind] = (perKind[f.properties.kind] || 0) + 1;
    for (const span of this.counts) span.textContent = `(${perKind[span.dataset.kind] || 0})`;
    const n = visible.length;
    this.setStatus(interpolate(
      ngettext("%(count)s initiative in this view", "%(count)s initiatives in this view", n),
      { count: n },
    ));
  }

  setStatus(text, warning = false) {
    this.status.textContent = text;
    this.status.classList.toggle("warning", warning);
  }

  noCommunes() {
    this.setStatus(_("No commune loaded yet: run « make demo » with the data."), true);
  }
}
