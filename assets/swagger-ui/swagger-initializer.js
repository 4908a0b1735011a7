// soteams-mock: Swagger UI on the mock's own OpenAPI document. Authorize offers the bearer
// token and, as on the real service, Swagger UI's own PAT through the consent page
// (/oauth/dialog): the client id below is the one the mock knows, so leave it unchanged.
window.onload = function () {
  window.ui = SwaggerUIBundle({
    "url": "/openapi.json",
    "dom_id": "#swagger-ui",
    "deepLinking": true,
    "presets": [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    "plugins": [SwaggerUIBundle.plugins.DownloadUrl],
    "layout": "StandaloneLayout",
    "oauth2RedirectUrl": window.location.origin + "/swagger-ui/oauth2-redirect.html",
  });
  window.ui.initOAuth({
    "clientId": "swagger-ui",
    "appName": "soteams-mock",
    "scopes": ["access_team"],
  });
};
