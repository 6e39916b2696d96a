// Cards are built from DOM nodes with textContent: names typed by residents never become HTML.
import { _, interpolate } from "./i18n.js";
import { kindLabel } from "./kinds.js";

function line(box, className, text, tag = "div") {
  const node = box.appendChild(document.createElement(tag));
  node.className = className;
  node.textContent = text;
  return node;
}

export function popupContent(title, meta) {
  const box = document.createElement("div");
  line(box, "popup-title", title);
  if (meta) line(box, "popup-meta", meta);
  return box;
}

// The compact card of an actor; "More" reveals the rest, the link opens its page (the layer's
// `url`, else the permalink by id).
export function actorCard(p, id) {
  const where = p.commune_name ? ` · ${p.commune_name}` : "";
  const box = popupContent(p.name, `${kindLabel(p.kind)}${where}`);
  if (p.starts_at) {
    const start = new Date(p.starts_at);
    line(
      box,
      "popup-when",
      start.toLocaleString(document.documentElement.lang, {
        dateStyle: "medium",
        ...(p.all_day ? {} : { timeStyle: "short" }),
      }),
    );
  }
  const details = box.appendChild(document.createElement("div"));
  details.className = "popup-details";
  details.hidden = true;
  if (p.summary) line(details, "popup-summary", p.summary, "p");
  if (p.tags?.length) line(details, "popup-tags", p.tags.join(", "), "p");
  if (p.website && /^https?:\/\//.test(p.website)) {
    const site = line(details, "popup-website", p.website, "a");
    site.href = p.website;
    site.rel = "noopener nofollow";
    site.target = "_blank";
  }
  const actions = box.appendChild(document.createElement("div"));
  actions.className = "popup-actions";
  if (p.summary || p.tags?.length || p.website) {
    const more = actions.appendChild(document.createElement("button"));
    more.type = "button";
    more.className = "popup-more";
    more.textContent = _("More");
    more.setAttribute("aria-expanded", "false");
    more.addEventListener("click", () => {
      details.hidden = !details.hidden;
      more.setAttribute("aria-expanded", String(!details.hidden));
    });
  }
  const url = p.url?.startsWith("/") ? p.url : `/acteurs/${Number(id)}/`;
  const page = line(actions, "popup-link", _("Open its page"), "a");
  page.href = url;
  return box;
}

// The card of a commune: name, population, what is there with the current filters, its page.
export function communeCard(props, count) {
  const box = popupContent(props.name, `${_("Commune")} ${props.code}`);
  if (props.population) {
    const people = Number(props.population).toLocaleString(document.documentElement.lang);
    line(box, "popup-population", interpolate(_("%(count)s inhabitants"), { count: people }));
  }
  const counted = line(box, "popup-count", count === null ? "…" : "");
  const link = line(box, "popup-link", _("Commune page"), "a");
  link.href = `/communes/${encodeURIComponent(props.code)}/`;
  return { box, counted };
}
