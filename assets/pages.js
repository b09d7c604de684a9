// Tessera's pages work without this file; with it, a form that asks for a password twice says at
// once when the two differ, and a "show passwords" box appears. No inline script anywhere: the
// CSP forbids it.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  for (const form of document.querySelectorAll('form[data-password-pair]')) {
    // the two new-password fields (a change form also asks for the current one)
    const [first, second] = form.querySelectorAll('input[type="password"][autocomplete="new-password"]');
    if (!first || !second) continue;
    const mismatch = form.getAttribute('data-mismatch') || 'The two passwords differ.';
    const check = () => second.setCustomValidity(second.value && first.value !== second.value ? mismatch : '');
    first.addEventListener('input', check);
    second.addEventListener('input', check);
    const showLabel = form.getAttribute('data-show-label');
    if (showLabel) {
      const label = document.createElement('label');
      label.className = 'checkbox';
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.addEventListener('change', () => {
        for (const input of [first, second]) input.type = box.checked ? 'text' : 'password';
      });
      label.append(box, document.createTextNode(showLabel));
      second.closest('.field')?.after(label);
    }
  }
});
