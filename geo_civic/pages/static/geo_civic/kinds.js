// The kinds of actors, their labels and colours: all from the server's config (one vocabulary,
// geo_civic/actors/kinds.py), never written again here.
const config = JSON.parse(document.getElementById("map-config").textContent);

export const KINDS = config.kinds.map((kind) => kind.value);

export const KIND_COLOURS = Object.fromEntries(
  config.kinds.map((kind) => [kind.value, kind.colour]),
);

const LABELS = Object.fromEntries(config.kinds.map((kind) => [kind.value, kind.label]));

export function kindLabel(kind) {
  return LABELS[kind] || kind;
}

// The legend's swatches read these custom properties (map.css).
for (const kind of config.kinds) {
  document.documentElement.style.setProperty(`--${kind.value}`, kind.colour);
}
