// The state of the view lives in the URL hash, so that a copied link reopens the same view and
// the Back button undoes a change:
//   #map=12/-21.05120/55.44810&kinds=place,event&cat=jardins&when=week&q=velo&sel=42
import { KINDS } from "./kinds.js";

export const PERIODS = ["week", "month"];

export function parseHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const state = { view: null, kinds: [...KINDS], categories: [], when: "", q: "", selected: null };
  const numbers = (params.get("map") || "").split("/").map(Number);
  if (numbers.length === 3 && numbers.every(Number.isFinite)) {
    const [zoom, lat, lng] = numbers;
    if (Math.abs(lat) <= 90 && Math.abs(lng) <= 180) state.view = { zoom, lat, lng };
  }
  if (params.has("kinds")) {
    state.kinds = params
      .get("kinds")
      .split(",")
      .filter((kind) => KINDS.includes(kind));
  }
  if (params.get("cat")) {
    state.categories = params
      .get("cat")
      .split(",")
      .filter((s) => /^[\w-]{1,100}$/.test(s));
  }
  if (PERIODS.includes(params.get("when"))) state.when = params.get("when");
  state.q = (params.get("q") || "").slice(0, 200);
  const selected = Number(params.get("sel"));
  if (Number.isInteger(selected) && selected > 0) state.selected = selected;
  return state;
}

export function formatHash({ view, kinds, categories, when, q, selected }) {
  const parts = [];
  if (view) parts.push(`map=${view.zoom}/${view.lat.toFixed(5)}/${view.lng.toFixed(5)}`);
  if (kinds.length !== KINDS.length) parts.push(`kinds=${kinds.join(",")}`);
  if (categories.length) parts.push(`cat=${categories.join(",")}`);
  if (when) parts.push(`when=${when}`);
  if (q) parts.push(`q=${encodeURIComponent(q)}`);
  if (selected) parts.push(`sel=${selected}`);
  return `#${parts.join("&")}`;
}

// Map moves replace the history entry; filter and selection changes add one.
export function saveState(state, { push = false } = {}) {
  const hash = formatHash(state);
  if (hash === location.hash) return;
  if (push) history.pushState(null, "", hash);
  else history.replaceState(null, "", hash);
}

function isoDate(day) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

// The layers API's filters for a state: the map, its counts and its downloads use the same ones.
export function filterParams(state, today = new Date()) {
  const params = new URLSearchParams();
  if (state.kinds.length !== KINDS.length) params.set("kind", state.kinds.join(","));
  if (state.categories.length) params.set("category", state.categories.join(","));
  if (state.q) params.set("q", state.q);
  if (state.when) {
    const end = new Date(today);
    end.setDate(end.getDate() + (state.when === "week" ? 7 : 31));
    params.set("start", isoDate(today));
    params.set("end", isoDate(end));
  }
  return params;
}
