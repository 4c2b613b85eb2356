// Starts Swagger UI for /api/v1/docs from vendored files (no CDN, no inline script: strict CSP).
(function () {
  "use strict";
  const body = document.body;
  const config = JSON.parse(document.getElementById("swagger-settings").textContent);
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
  // "Try it out" from a signed-in browser uses the session, which needs the CSRF token.
  if (body.dataset.csrfToken) {
    config.requestInterceptor = function (request) {
      request.headers["X-CSRFToken"] = body.dataset.csrfToken;
      return request;
    };
  }
  window.ui = SwaggerUIBundle(config);
})();
