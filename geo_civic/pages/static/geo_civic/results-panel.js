// The list of what is in view, in step with the map: hover a row to find its marker.
import { _, interpolate, ngettext } from "./i18n.js";
import { kindLabel } from "./kinds.js";
import { statusLabel } from "./statuses.js";

function distanceText(metres) {
  if (metres < 1000) return interpolate(_("%(n)s m"), { n: Math.round(metres) });
  const km = (metres / 1000).toLocaleString(document.documentElement.lang, {
    maximumFractionDigits: metres < 10000 ? 1 : 0,
  });
  return interpolate(_("%(n)s km"), { n: km });
}

export class ResultsPanel {
  constructor({ list, status, counts, onHover, onPick }) {
    Object.assign(this, { list, status, counts, onHover, onPick });
  }

  row(id, name, meta, selected) {
    const item = document.createElement("li");
    item.dataset.id = id;
    item.classList.toggle("selected", id === selected);
    const button = item.appendChild(document.createElement("button"));
    button.type = "button";
    const title = button.appendChild(document.createElement("span"));
    title.className = "result-name";
    title.textContent = name;
    const line = button.appendChild(document.createElement("span"));
    line.className = "result-meta";
    line.textContent = meta;
    button.addEventListener("mouseenter", () => this.onHover(id, true));
    button.addEventListener("mouseleave", () => this.onHover(id, false));
    button.addEventListener("focus", () => this.onHover(id, true));
    button.addEventListener("blur", () => this.onHover(id, false));
    button.addEventListener("click", () => this.onPick(id));
    return item;
  }

  // features: the actors of the view, or null when the view holds too many to list.
  render(features, summary, selected) {
    this.list.replaceChildren();
    if (features) {
      // One collator for the sort: localeCompare(…, lang) would make one per comparison, the
      // largest cost of showing the first view on a slow phone (bench/phone_load.py).
      const { compare } = new Intl.Collator(document.documentElement.lang);
      const sorted = [...features].sort((a, b) => compare(a.properties.name, b.properties.name));
      for (const feature of sorted) {
        const p = feature.properties;
        const meta = [kindLabel(p.kind), p.commune_name].filter(Boolean).join(" · ");
        this.list.append(this.row(feature.id, p.name, meta, selected));
      }
    } else {
      const hint = this.list.appendChild(document.createElement("li"));
      hint.className = "result-hint";
      hint.textContent = _("Zoom in to list them, or narrow the filters.");
    }
    for (const span of this.counts) {
      span.textContent = `(${summary.kinds?.[span.dataset.kind] || 0})`;
    }
    this.setStatus(this.totalText(summary.total));
  }

  totalText(n) {
    return interpolate(
      ngettext("%(count)s initiative in this view", "%(count)s initiatives in this view", n),
      { count: n },
    );
  }

  // "Near me": the nearest actors, nearest first, with their distance.
  renderNearby(results, radius) {
    this.list.replaceChildren();
    for (const r of results) {
      const proposal = r.layer === "proposals";
      const what = proposal ? [statusLabel(r.status), r.space_title] : [kindLabel(r.kind)];
      const meta = [distanceText(r.distance_m), ...what, r.commune_name]
        .filter(Boolean)
        .join(" · ");
      // Proposals and actors number their rows apart: a proposal's row is "p<id>".
      this.list.append(this.row(proposal ? `p${r.id}` : r.id, r.name, meta, null));
    }
    this.setStatus(
      interpolate(
        ngettext(
          "%(count)s initiative within %(radius)s",
          "%(count)s initiatives within %(radius)s",
          results.length,
        ),
        { count: results.length, radius: distanceText(radius) },
      ),
    );
  }

  setStatus(text, warning = false) {
    this.status.textContent = text;
    this.status.classList.toggle("warning", warning);
  }

  noCommunes() {
    this.setStatus(_("No commune loaded yet: run « make demo » with the data."), true);
  }
}
