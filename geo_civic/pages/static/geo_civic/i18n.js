// Translations come from Django's JavaScript catalogue (/jsi18n/), loaded before this module.
export const _ = (text) => (window.gettext ? window.gettext(text) : text);

export function ngettext(singular, plural, count) {
  if (window.ngettext) return window.ngettext(singular, plural, count);
  return count === 1 ? singular : plural;
}

// interpolate("%(count)s initiatives", {count: 3})
export function interpolate(format, values) {
  return format.replace(/%\((\w+)\)s/g, (_match, key) => String(values[key]));
}
