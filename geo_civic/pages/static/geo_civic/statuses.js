// The public statuses of proposals, their labels and colours: all from the server's config (one
// vocabulary, geo_civic/participation/statuses.py), never written again here.
const config = JSON.parse(document.getElementById("map-config").textContent);
const statuses = config.proposalStatuses || [];

export const STATUS_COLOURS = Object.fromEntries(statuses.map((s) => [s.value, s.colour]));

const LABELS = Object.fromEntries(statuses.map((s) => [s.value, s.label]));

export function statusLabel(status) {
  return LABELS[status] || status;
}

// The markers and the legend read these custom properties (map.css).
for (const status of statuses) {
  document.documentElement.style.setProperty(`--status-${status.value}`, status.colour);
}
