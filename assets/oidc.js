// The way back to the application after a form (sign-in, consent, sign-out): the pages' CSP
// (form-action 'self') stops a form's redirect to another origin, so the answer is a page with
// a link, which this follows at once. Without JavaScript the person follows it.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const link = document.querySelector('a[data-follow]');
  if (link instanceof HTMLAnchorElement) window.location.replace(link.href);
});
