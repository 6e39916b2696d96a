import { _ } from "./i18n.js";

export const KIND_COLOURS = {
  organisation: "#1b7f4b",
  project: "#1f5fbf",
  event: "#c2410c",
  place: "#7c3aed",
};

export function kindLabel(kind) {
  const labels = {
    organisation: _("organisation"),
    project: _("project"),
    event: _("event"),
    place: _("place"),
  };
  return labels[kind] || kind;
}
