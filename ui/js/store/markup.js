// The Store dialog's markup: where the store is (this computer's, or a team's by its URL), and
// sync with a team's store (store.js, report.js). Two forms: Enter in a URL field does what its own
// button does. Made on the dialog's first opening rather than parsed with the page: most starts
// never open it, and the window's memory once idle is measured against a minimal app.
export const STORE_DIALOG = `
<dialog id="store-dialog" class="guide store-dialog" aria-labelledby="store-heading">
  <form method="dialog" id="store-form" novalidate>
    <h2 id="store-heading" data-i18n="storechoice.heading">Store</h2>
    <section class="guide-part" aria-labelledby="store-now-heading">
      <h3 id="store-now-heading" data-i18n="storechoice.now.heading">Where the store is now</h3>
      <dl class="facts">
        <dt data-i18n="storechoice.now.store">Store</dt>
        <dd id="store-current" class="mono"></dd>
        <dt data-i18n="storechoice.now.home">Kept on this computer</dt>
        <dd id="store-home"></dd>
      </dl>
      <p id="store-env" class="notice" role="note" hidden></p>
    </section>
    <fieldset>
      <legend data-i18n="storechoice.choose">Work on</legend>
      <label class="radio"><input type="radio" name="store-kind" value="local" id="store-kind-local">
        <span data-i18n="storechoice.local">This computer's store</span></label>
      <p class="indent mono muted store-local" id="store-local"></p>
      <label class="radio"><input type="radio" name="store-kind" value="team" id="store-kind-team">
        <span data-i18n="storechoice.team">A team's store on PostgreSQL</span></label>
      <div class="indent field">
        <label for="store-url" data-i18n="storechoice.url">The team's store (URL)</label>
        <input id="store-url" class="mono" autocomplete="off" spellcheck="false" placeholder="postgres://user@server/database" aria-describedby="store-url-hint">
        <p id="store-url-hint" class="check" data-i18n="storechoice.password"></p>
      </div>
    </fieldset>
    <div class="dialog-error" id="store-choice-error" role="alert" hidden></div>
    <p class="dialog-result" id="store-choice-result" role="status" hidden></p>
    <div class="dialog-buttons">
      <button type="submit" class="button primary" id="store-save" data-i18n="storechoice.save">Save and open</button>
    </div>
  </form>
  <form method="dialog" id="sync-form" class="sync-form" novalidate>
    <section class="guide-part" aria-labelledby="sync-heading">
      <h3 id="sync-heading" data-i18n="sync.heading">Sync with a team's store</h3>
      <p data-i18n="sync.explain"></p>
    </section>
    <div class="field">
      <label for="sync-url" data-i18n="sync.url">The team's store to sync with (URL)</label>
      <div class="path-row">
        <input id="sync-url" class="mono" autocomplete="off" spellcheck="false" placeholder="postgres://user@server/database" aria-describedby="sync-same store-url-hint">
        <button type="submit" class="button primary" id="sync-start" data-i18n="sync.start">Sync</button>
      </div>
      <p id="sync-same" class="check" data-i18n="sync.same" hidden></p>
    </div>
    <div id="sync-running" class="sync-running" hidden>
      <progress id="sync-progress" aria-labelledby="sync-heading" aria-describedby="sync-steps"></progress>
      <span id="sync-steps" role="status"></span>
      <button type="button" class="button" id="sync-cancel" data-i18n="sync.cancel">Cancel sync</button>
    </div>
    <div class="dialog-error" id="sync-error" role="alert" hidden></div>
    <section id="sync-report" class="sync-report" aria-labelledby="sync-report-heading" hidden></section>
    <div class="dialog-buttons">
      <button type="button" class="button" id="store-close" data-i18n="dialog.close">Close</button>
    </div>
  </form>
</dialog>
`;
