// "Near me": the browser's position, then the nearest actors from /api/nearby, the radius
// widening until something is found.
import { _ } from "./i18n.js";

export const RADII = [1000, 5000, 20000, 100000, 500000];

function position() {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) reject(new Error(_("Your browser cannot tell where you are.")));
    else navigator.geolocation.getCurrentPosition(resolve, reject, { timeout: 15000 });
  });
}

export async function nearMe(url, limit = 20) {
  const { coords } = await position();
  for (const radius of RADII) {
    const params = new URLSearchParams({
      lat: coords.latitude.toFixed(6),
      lon: coords.longitude.toFixed(6),
      limit: String(limit),
      radius: String(radius),
    });
    const response = await fetch(`${url}?${params}`);
    if (!response.ok) throw new Error((await response.json()).detail);
    const { results } = await response.json();
    if (results.length) return { coords, radius, results };
  }
  return { coords, radius: RADII.at(-1), results: [] };
}
