// Place search: suggestions as you type; picking one flies the map to the commune.
export class PlaceSearch {
  constructor({ form, input, list, url, onPick }) {
    Object.assign(this, { form, input, list, url, onPick });
    this.results = [];
    this.timer = null;
    input.addEventListener("input", () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.suggest(), 200);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown") {
        this.list.querySelector("button")?.focus();
        event.preventDefault();
      }
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      // Enter asks now: the suggestions still waiting for the typing to stop would abort this.
      clearTimeout(this.timer);
      await this.suggest();
      if (this.results.length) this.pick(this.results[0]);
    });
  }

  async suggest() {
    const query = this.input.value.trim();
    this.controller?.abort();
    if (!query) {
      this.show([]);
      return;
    }
    this.controller = new AbortController();
    try {
      const response = await fetch(`${this.url}?q=${encodeURIComponent(query)}`, {
        signal: this.controller.signal,
      });
      if (response.ok) this.show((await response.json()).results);
    } catch (error) {
      if (error.name !== "AbortError") this.show([]);
    }
  }

  show(results) {
    this.results = results;
    this.list.replaceChildren();
    for (const place of results) {
      const item = this.list.appendChild(document.createElement("li"));
      item.setAttribute("role", "option");
      const button = item.appendChild(document.createElement("button"));
      button.type = "button";
      button.textContent = `${place.name} (${place.code})`;
      button.addEventListener("click", () => this.pick(place));
      button.addEventListener("keydown", (event) => {
        if (event.key === "ArrowDown") item.nextElementSibling?.querySelector("button")?.focus();
        if (event.key === "ArrowUp") {
          (item.previousElementSibling?.querySelector("button") || this.input).focus();
        }
      });
    }
  }

  pick(place) {
    this.input.value = place.name;
    this.show([]);
    this.onPick(place);
  }
}
