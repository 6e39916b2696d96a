// /api/docs/: Swagger UI draws the OpenAPI document named by the page (data-url), from our own
// bundle and stylesheet, so the page runs under the site's CSP (no inline script or style).
import SwaggerUIBundle from "swagger-ui-dist/swagger-ui-bundle.js";
import "swagger-ui-dist/swagger-ui.css";

const root = document.getElementById("swagger-ui");
if (root) {
  SwaggerUIBundle({
    domNode: root,
    url: root.dataset.url,
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // No badge from validator.swagger.io: it would send our document's address to a third
    // party, and our CSP (img-src 'self') blocks it anyway.
    validatorUrl: null,
  });
}
