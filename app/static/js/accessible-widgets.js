/* FAB's third-party widgets made accessible (WCAG 2.1 AA), loaded on every page after them.

   select2 4.0 (axe-core's aria-input-field-name, label and list rules): select2 hides the labelled <select> and draws its own combobox, whose text box
   and search field have no name, and puts the "clear" cross (a span) inside its list of
   chosen items. Every time select2 draws, each of its parts is named after the <label> of the
   <select> it stands for, and the cross, which the keyboard cannot reach anyway (Backspace
   clears), is hidden from assistive technology. */
(function () {
  'use strict';

  function labelOf(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/\s*\*\s*$/, '').trim() : '';
  }

  function nameParts(select) {
    var container = select.nextElementSibling;
    if (!container || !container.classList.contains('select2-container')) return;
    var name = labelOf(select);
    if (!name) return;
    container.querySelectorAll('.select2-selection__rendered[role="textbox"], .select2-search__field')
      .forEach(function (part) {
        if (part.getAttribute('aria-label') !== name) part.setAttribute('aria-label', name);
      });
    container.querySelectorAll('.select2-selection__clear').forEach(function (cross) {
      cross.setAttribute('aria-hidden', 'true');
    });
  }

  function nameAll() {
    document.querySelectorAll('select.select2-hidden-accessible').forEach(nameParts);
  }

  /* Bootstrap 3's modals (FAB's delete and action confirmations) return focus to their opener
     only when opened through data-toggle; FAB opens them from script, so focus was lost to
     the page's start when the dialog closed (ARIA dialog pattern: focus goes back). */
  var opener = null;
  if (window.jQuery) {
    jQuery(document).on('show.bs.modal', '.modal', function () {
      opener = document.activeElement;
      // the opener's tooltip (shown on focus) would stay over the dialog
      if (jQuery.fn.tooltip) jQuery('[data-original-title]').tooltip('hide');
    });
    jQuery(document).on('hidden.bs.modal', '.modal', function () {
      if (opener && document.contains(opener)) opener.focus();
      opener = null;
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    nameAll();
    new MutationObserver(nameAll).observe(document.body, {childList: true, subtree: true});
  });
}());
