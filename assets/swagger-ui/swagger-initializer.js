// soteams-mock: Swagger UI on the mock's own OpenAPI document.
window.onload = function () {
  window.ui = SwaggerUIBundle({
    "url": "/openapi.json",
    "dom_id": "#swagger-ui",
    "deepLinking": true,
    "presets": [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    "plugins": [SwaggerUIBundle.plugins.DownloadUrl],
    "layout": "StandaloneLayout",
  });
};
