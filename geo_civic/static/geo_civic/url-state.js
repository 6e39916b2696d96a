// The state of the view lives in the URL hash, so that a copied link reopens the same view and
// the Back button undoes a change:  #map=12/-21.05120/55.44810&kinds=place,event&sel=42
export const KINDS = ["organisation", "project", "event", "place"];

export function parseHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const state = { view: null, kinds: [...KINDS], selected: null };
  const numbers = (params.get("map") || "").split("/").map(Number);
  if (numbers.length === 3 && numbers.every(Number.isFinite)) {
    const [zoom, lat, lng] = numbers;
    if (Math.abs(lat) <= 90 && Math.abs(lng) <= 180) state.view = { zoom, lat, lng };
  }
  if (params.has("kinds")) {
    state.kinds = params.get("kinds").split(",").filter((kind) => KINDS.includes(kind));
  }
  const selected = Number(params.get("sel"));
  if (Number.isInteger(selected) && selected > 0) state.selected = selected;
  return state;
}

export function formatHash({ view, kinds, selected }) {
  const parts = [];
  if (view) parts.push(`map=${view.zoom}/${view.lat.toFixed(5)}/${view.lng.toFixed(5)}`);
  if (kinds.length !== KINDS.length) parts.push(`kinds=${kinds.join(",")}`);
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
