// English and German. Every visible string has a key in both; a test fails when one is missing.

export const MESSAGES = {
  en: {
    "app.title": "License Desk",
    "lang.label": "Language",
    "store.at": "Store: {path}",
    "licenses.heading": "Licenses",
    "licenses.filter.label": "Filter by customer or license number",
    "licenses.filter.placeholder": "Filter by customer or license number",
    "licenses.count": "{count} licenses",
    "licenses.count.one": "1 license",
    "licenses.empty.store": "No licenses yet. Import a license certificate with “licdesk import FILE”.",
    "licenses.empty.filter": "No license matches “{filter}”.",
    "col.customer": "Customer",
    "col.license": "License",
    "col.variant": "Variant",
    "col.extensions": "Extensions",
    "col.main": "Main system",
    "pager.label": "Pages",
    "pager.prev": "Previous",
    "pager.next": "Next",
    "pager.info": "{from}–{to} of {total}",
    "variant.10": "10 users",
    "variant.25": "25 users",
    "variant.250": "250 users",
    "variant.unlimited": "Unlimited users",
    "status.pending": "pending",
    "status.active": "active",
    "status.out_of_date": "out of date",
    "status.none": "not activated",
    "standby.none": "no standby",
    "standby.label": "standby {status}",
    "demo": "DEMO",
    "demo.title": "Issued by the demo vendor: licenses nothing",
    "failover.chip": "FailoverSuite",
    "detail.hint": "Select a license to see its entitlements, main system and standby systems.",
    "detail.customer": "Customer",
    "detail.variant": "Variant",
    "detail.revision": "Revision {revision}",
    "detail.vendor": "Vendor",
    "detail.issued": "Issued",
    "detail.entitlements": "Entitlements",
    "detail.article": "Article",
    "detail.name": "Product",
    "detail.quantity": "Quantity",
    "detail.main": "Main system",
    "detail.main.none": "The main system is not activated yet.",
    "detail.failover": "FailoverSuite {license}",
    "detail.standby.none": "No standby machine is registered for this FailoverSuite yet.",
    "detail.hardware": "Hardware ID",
    "detail.mode": "Mode",
    "detail.state": "State",
    "detail.registered": "Registered",
    "detail.activated": "Activated",
    "detail.granted": "Licensed on this system",
    "detail.notices": "Notices",
    "detail.close": "Close",
    "mode.cold": "Cold standby",
    "mode.hot": "Hot standby",
    "mode.test": "Test and development system",
    "notice.standby": "This FailoverSuite is licensed for standby or test operation only. Any other use breaks the license. It may run under load for at most five consecutive days; idle time does not count.",
    "notice.demo": "DEMO: this license was issued by the demo vendor and licenses nothing.",
    "notice.out_of_date": "The {role} system {hwid} was activated before the main system's licenses changed: export a new activation request and import the response (R5).",
    "role.main": "main",
    "role.standby": "standby",
    "error.no_backend": "The License Desk backend is not reachable. Restart License Desk.",
    "error.generic": "Something went wrong: {message}",
  },
  de: {
    "app.title": "License Desk",
    "lang.label": "Sprache",
    "store.at": "Datenbestand: {path}",
    "licenses.heading": "Lizenzen",
    "licenses.filter.label": "Nach Kunde oder Lizenznummer filtern",
    "licenses.filter.placeholder": "Nach Kunde oder Lizenznummer filtern",
    "licenses.count": "{count} Lizenzen",
    "licenses.count.one": "1 Lizenz",
    "licenses.empty.store": "Noch keine Lizenzen. Importieren Sie ein Lizenzzertifikat mit „licdesk import DATEI“.",
    "licenses.empty.filter": "Keine Lizenz passt zu „{filter}“.",
    "col.customer": "Kunde",
    "col.license": "Lizenz",
    "col.variant": "Variante",
    "col.extensions": "Erweiterungen",
    "col.main": "Hauptsystem",
    "pager.label": "Seiten",
    "pager.prev": "Zurück",
    "pager.next": "Weiter",
    "pager.info": "{from}–{to} von {total}",
    "variant.10": "10 Benutzer",
    "variant.25": "25 Benutzer",
    "variant.250": "250 Benutzer",
    "variant.unlimited": "Ohne Benutzerbegrenzung",
    "status.pending": "ausstehend",
    "status.active": "aktiv",
    "status.out_of_date": "veraltet",
    "status.none": "nicht aktiviert",
    "standby.none": "kein Standby",
    "standby.label": "Standby {status}",
    "demo": "DEMO",
    "demo.title": "Vom Demo-Hersteller ausgestellt: lizenziert nichts",
    "failover.chip": "FailoverSuite",
    "detail.hint": "Wählen Sie eine Lizenz, um ihre Berechtigungen, das Hauptsystem und die Standby-Systeme zu sehen.",
    "detail.customer": "Kunde",
    "detail.variant": "Variante",
    "detail.revision": "Revision {revision}",
    "detail.vendor": "Hersteller",
    "detail.issued": "Ausgestellt",
    "detail.entitlements": "Berechtigungen",
    "detail.article": "Artikel",
    "detail.name": "Produkt",
    "detail.quantity": "Anzahl",
    "detail.main": "Hauptsystem",
    "detail.main.none": "Das Hauptsystem ist noch nicht aktiviert.",
    "detail.failover": "FailoverSuite {license}",
    "detail.standby.none": "Für diese FailoverSuite ist noch kein Standby-System registriert.",
    "detail.hardware": "Hardware-ID",
    "detail.mode": "Betriebsart",
    "detail.state": "Status",
    "detail.registered": "Registriert",
    "detail.activated": "Aktiviert",
    "detail.granted": "Auf diesem System lizenziert",
    "detail.notices": "Hinweise",
    "detail.close": "Schließen",
    "mode.cold": "Cold-Standby",
    "mode.hot": "Hot-Standby",
    "mode.test": "Test- und Entwicklungssystem",
    "notice.standby": "Diese FailoverSuite ist nur für den Standby- oder Testbetrieb lizenziert. Jede andere Verwendung bedeutet einen Lizenzbruch. Sie darf höchstens fünf Tage am Stück unter Last laufen; Betrieb im Leerlauf zählt nicht.",
    "notice.demo": "DEMO: Diese Lizenz stammt vom Demo-Hersteller und lizenziert nichts.",
    "notice.out_of_date": "Das {role} {hwid} wurde aktiviert, bevor sich die Lizenzen des Hauptsystems geändert haben: Exportieren Sie eine neue Aktivierungsanfrage und importieren Sie die Antwort (R5).",
    "role.main": "Hauptsystem",
    "role.standby": "Standby-System",
    "error.no_backend": "Das License-Desk-Backend ist nicht erreichbar. Starten Sie License Desk neu.",
    "error.generic": "Etwas ist schiefgegangen: {message}",
  },
};

const STORAGE_KEY = "licdesk.lang";
let current = "en";

export function initLanguage() {
  let saved = null;
  try {
    saved = window.localStorage.getItem(STORAGE_KEY);
  } catch (_) {
    saved = null;
  }
  const browser = (navigator.language || "en").slice(0, 2);
  current = MESSAGES[saved] ? saved : MESSAGES[browser] ? browser : "en";
  document.documentElement.lang = current;
  return current;
}

export function setLanguage(lang) {
  if (!MESSAGES[lang]) return;
  current = lang;
  document.documentElement.lang = lang;
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch (_) {
    /* private mode: the choice lasts for this session */
  }
}

export function language() {
  return current;
}

export function locale() {
  return current === "de" ? "de-DE" : "en-GB";
}

export function t(key, params = {}) {
  const text = MESSAGES[current][key] ?? MESSAGES.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

export function formatNumber(n) {
  return new Intl.NumberFormat(locale()).format(n);
}

export function formatDate(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(d);
}

/** Applies translations to the static markup (data-i18n, data-i18n-placeholder, data-i18n-aria-label). */
export function translateStatic(root = document) {
  root.querySelectorAll("[data-i18n]").forEach((el) => {
    el.textContent = t(el.dataset.i18n);
  });
  root.querySelectorAll("[data-i18n-placeholder]").forEach((el) => {
    el.setAttribute("placeholder", t(el.dataset.i18nPlaceholder));
  });
  root.querySelectorAll("[data-i18n-aria-label]").forEach((el) => {
    el.setAttribute("aria-label", t(el.dataset.i18nAriaLabel));
  });
}
