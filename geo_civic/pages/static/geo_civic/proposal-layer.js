// Proposals of the current view (the `proposals` layer: public, located ones), drawn as
// diamonds in their status's colour, each with its card. Loaded beside the actors, never
// before them: the actors' first marker does not wait for the proposals.
import { _, interpolate } from "./i18n.js";
import { L } from "./plugins.js";
import { popupContent } from "./popup.js";
import { statusLabel } from "./statuses.js";

export const PROPOSAL_LIMIT = 1000; // markers drawn at most; beyond, the view says to zoom in

function line(box, className, text, tag = "div") {
  const node = box.appendChild(document.createElement(tag));
  node.className = className;
  node.textContent = text;
  return node;
}

// What a decided proposal's resolution says, in words (participation/results.py's outcomes).
function outcomeText(outcome) {
  const words = {
    adopted: _("Adopted"),
    rejected: _("Rejected"),
    no_quorum: _("Quorum not reached"),
    chosen: _("Option chosen"),
    tie: _("Tie"),
    funded: _("Projects funded"),
  };
  return words[outcome] || outcome;
}

function day(iso) {
  return new Date(iso).toLocaleDateString(document.documentElement.lang, { dateStyle: "medium" });
}

// The card of a proposal, built from DOM nodes: titles typed by residents never become HTML.
export function proposalCard(p) {
  const box = popupContent(p.title, [statusLabel(p.status), p.space_title].join(" · "));
  box.classList.add("proposal-card");
  if (p.status === "voting" && p.closes_at) {
    line(box, "popup-when", interpolate(_("Vote closes on %(day)s"), { day: day(p.closes_at) }));
  } else if (p.status === "debate" && p.voting_at) {
    line(box, "popup-when", interpolate(_("Vote opens on %(day)s"), { day: day(p.voting_at) }));
  }
  if (p.outcome) line(box, "popup-outcome", outcomeText(p.outcome));
  if (p.category) line(box, "popup-tags", p.category);
  const actions = box.appendChild(document.createElement("div"));
  actions.className = "popup-actions";
  if (p.url?.startsWith("/")) {
    const page = line(actions, "popup-link", _("Open the proposal"), "a");
    page.href = p.url;
  }
  return box;
}

export class ProposalLayer {
  constructor(map, url) {
    this.map = map;
    this.url = url;
    this.group = L.layerGroup();
    this.markers = new Map();
    this.enabled = false;
  }

  setEnabled(on, bbox) {
    this.enabled = on;
    if (on) {
      this.group.addTo(this.map);
      return this.load(bbox);
    }
    this.pending?.abort();
    this.group.remove();
    return Promise.resolve([]);
  }

  async load(bbox) {
    if (!this.enabled) return [];
    this.pending?.abort();
    this.pending = new AbortController();
    const params = new URLSearchParams({ limit: String(PROPOSAL_LIMIT) });
    if (bbox) params.set("bbox", bbox);
    try {
      const response = await fetch(`${this.url}?${params}`, { signal: this.pending.signal });
      if (!response.ok) return [];
      const { features } = await response.json();
      this.draw(features);
      return features;
    } catch (error) {
      if (error.name !== "AbortError") console.warn("proposals:", error);
      return [];
    }
  }

  draw(features) {
    this.group.clearLayers();
    this.markers.clear();
    for (const feature of features) {
      const p = feature.properties;
      const [lng, lat] = feature.geometry.coordinates;
      const icon = L.divIcon({
        className: `proposal-marker status-${p.status}`,
        iconSize: [16, 16],
        html: "<span></span>",
      });
      const marker = L.marker([lat, lng], { icon, title: p.title, keyboard: true });
      marker.feature = feature;
      marker.bindPopup(() => proposalCard(p), { maxWidth: 280 });
      this.markers.set(feature.id, marker);
      this.group.addLayer(marker);
    }
  }

  // Open a proposal's card (from the "near me" list): at its marker, else where it is.
  open(id, lat, lng) {
    const marker = this.markers.get(id);
    if (marker) {
      marker.openPopup();
      return;
    }
    if (lat === undefined) return;
    fetch(`${this.url}?bbox=${[lng, lat, lng, lat].join(",")}`)
      .then((response) => response.json())
      .then(({ features }) => {
        const feature = features.find((f) => f.id === id);
        if (feature) {
          L.popup({ maxWidth: 280 })
            .setLatLng([lat, lng])
            .setContent(proposalCard(feature.properties))
            .openOn(this.map);
        }
      })
      .catch(() => {});
  }
}
