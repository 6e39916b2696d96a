// Full-text search over actors (the layers' French, accent-insensitive `q` filter): names are
// suggested as you type; Enter filters the map with the words, a suggestion opens that actor.
import { _ } from "./i18n.js";
import { kindLabel } from "./kinds.js";

export class ActorSearch {
  constructor({ form, input, list, url, onSearch, onPick }) {
    Object.assign(this, { form, input, list, url, onSearch, onPick });
    this.timer = null;
    input.addEventListener("input", () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.suggest(), 250);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown") {
        this.list.querySelector("button")?.focus();
        event.preventDefault();
      }
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.show([]);
      this.onSearch(this.input.value.trim());
    });
    form.addEventListener("reset", () => {
      this.show([]);
      this.onSearch("");
    });
  }

  async suggest() {
    const query = this.input.value.trim();
    this.controller?.abort();
    if (query.length < 2) {
      this.show([]);
      return;
    }
    this.controller = new AbortController();
    const params = new URLSearchParams({ q: query, limit: "8" });
    try {
      const response = await fetch(`${this.url}?${params}`, { signal: this.controller.signal });
      this.show(response.ok ? (await response.json()).features : []);
    } catch (error) {
      if (error.name !== "AbortError") this.show([]);
    }
  }

  show(features) {
    this.list.replaceChildren();
    for (const feature of features) {
      const p = feature.properties;
      const item = this.list.appendChild(document.createElement("li"));
      item.setAttribute("role", "option");
      const button = item.appendChild(document.createElement("button"));
      button.type = "button";
      button.textContent = p.name;
      const meta = button.appendChild(document.createElement("span"));
      meta.className = "suggestion-meta";
      meta.textContent = ` · ${[kindLabel(p.kind), p.commune_name].filter(Boolean).join(" · ")}`;
      button.addEventListener("click", () => {
        this.show([]);
        this.onPick(feature);
      });
      button.addEventListener("keydown", (event) => {
        if (event.key === "ArrowDown") item.nextElementSibling?.querySelector("button")?.focus();
        if (event.key === "ArrowUp") {
          (item.previousElementSibling?.querySelector("button") || this.input).focus();
        }
      });
    }
    this.list.setAttribute("aria-label", _("Initiatives"));
  }
}
