/**
 * The headers of every HTML answer (the dashboard's pages, its "not built" page, the API reference at /docs):
 * one set, so a page cannot drift from the others.
 *
 * Everything a page loads comes from this origin: no CDN, no inline script or style element (the /docs
 * styles are a stylesheet of their own). Styles set from script through the CSSOM (element.style) are not
 * inline markup and are allowed.
 */
export const HTML_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
});
