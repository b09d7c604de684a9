// The account page's copy button for a new API key: shown only when this file runs (without
// JavaScript the key is still selectable in its read-only field). No inline script: the CSP
// forbids it.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  for (const button of document.querySelectorAll('button[data-copy]')) {
    const field = document.getElementById(button.getAttribute('data-copy'));
    if (!field) continue;
    button.hidden = false;
    button.addEventListener('click', async () => {
      field.select();
      try {
        await navigator.clipboard.writeText(field.value);
      } catch {
        // clipboard refused (permissions, plain http): the key stays selected for Ctrl+C
        return;
      }
      button.textContent = button.getAttribute('data-copied') || 'Copied';
    });
  }
});
