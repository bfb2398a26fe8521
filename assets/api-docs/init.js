// Renders /api/openapi.json with the vendored Swagger UI (no CDN).
window.addEventListener('DOMContentLoaded', () => {
  window.SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#api-reference',
    deepLinking: true,
    tryItOutEnabled: false,
    persistAuthorization: false,
  });
});
