// Mark the page as having JavaScript before it is drawn, as GOV.UK Frontend expects.
// This is the template's inline snippet, moved to a file so the Content Security Policy
// needs no 'unsafe-inline'. It must load as a classic script at the start of <body>.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
