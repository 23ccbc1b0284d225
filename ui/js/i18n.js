// English and German. Every visible string has a key in both; a test fails when one is missing.
import { show } from "./html.js";

export const MESSAGES = {
  en: {
    "lang.en": "English",
    "lang.de": "Deutsch",
    "idcheck.wrong_shape.hardware_id": "A hardware ID has 16 characters, like ABCD-EFGH-JKMN-PQ12.",
    "idcheck.count": "You typed {count}.",
    "idcheck.wrong_shape.license_number": "A license number looks like OMS-7K3D-9PQ2-X4 or XFM-7K3D-9PQ2-X4.",
    "idcheck.wrong_shape.key_id": "A key ID looks like vk-0123456789abcdef.",
    "idcheck.unused_character.hardware_id": "“{character}” is not used in hardware IDs: they use 0–9 and A–Z except I, L, O and U.",
    "idcheck.unused_character.license_number": "“{character}” is not used in license numbers: they use 0–9 and A–Z except I, L, O and U.",
    "idcheck.unused_character.key_id": "“{character}” is not used in key IDs.",
    "idcheck.check_mismatch.hardware_id": "The check characters do not match: a character is mistyped or two are swapped. Compare the ID with the original.",
    "idcheck.check_mismatch.license_number": "The check characters of the license number do not match: a character is mistyped or two are swapped.",
    "idcheck.check_mismatch.key_id": "The key ID does not match.",
    "error.internal": "License Desk failed inside. Restart it; nothing was changed.",
    "import.busy": "An import is already running: {files} not imported. Import them again when it has finished.",
    "import.activated.standby": "{file}: FailoverSuite {license} is active on standby {hwid} ({mode}), with {count} entitlements of its main system.",
    "import.activated.standby.one": "{file}: FailoverSuite {license} is active on standby {hwid} ({mode}), with 1 entitlement of its main system.",
    "import.activated.main": "{file}: the main system {hwid} of base license {license} is active, with {count} entitlements.",
    "import.activated.main.one": "{file}: the main system {hwid} of base license {license} is active, with 1 entitlement.",
    "mode.inline.cold": "cold standby",
    "mode.inline.hot": "hot standby",
    "mode.inline.test": "test and development system",
    "register.this_failed": "This machine's hardware ID could not be read: {reason} {detail}",
    "register.this_reading": "(reading…)",
    "five.meter": "Load time in the current episode: {hours} h of {limit} h",
    "status.close": "Close",
    "app.title": "License Desk",
    "lang.label": "Language",
    "store.at": "Store: {path}",
    "licenses.heading": "Licenses",
    "licenses.filter.label": "Filter by customer or license number",
    "licenses.filter.placeholder": "Filter by customer or license number",
    "licenses.count": "{count} licenses",
    "licenses.count.one": "1 license",
    "licenses.empty.store": "No licenses yet. Import a license certificate with the “Import files…” button at the top right, or drop the file onto this window.",
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
    "variant.inline.10": "10 users",
    "variant.inline.25": "25 users",
    "variant.inline.250": "250 users",
    "variant.inline.unlimited": "unlimited users",
    "entitlement.suite": "OfficeMaster Suite ({variant})",
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
    "nav.label": "Screens",
    "nav.licenses": "Licenses",
    "nav.machine": "This machine",
    "nav.keys": "Vendor keys",
    "import.button": "Import files…",
    "import.drop": "Drop the files to import them",
    "import.progress": "Importing file {n} of {total}…",
    "import.done": "Import finished: {ok} of {total} files accepted.",
    "import.close": "Close",
    "import.imported.base-certificate": "{file}: base license {license} imported.",
    "import.upgraded.base-certificate": "{file}: base license {license} updated to a new revision; systems activated before are now out of date (R5).",
    "import.imported.failover-certificate": "{file}: FailoverSuite {license} added to its base license.",
    "import.activated.activation-response": "{file}: activation imported — {license} is now active.",
    "import.unchanged": "{file}: already in the store, nothing changed.",
    "import.refused": "{file}: refused. {reason}",
    "import.details": "Details: {message}",
    "detail.add_failover": "Add FailoverSuite…",
    "detail.export_main": "Export activation request…",
    "detail.register": "Register standby…",
    "detail.change_standby": "Change standby…",
    "detail.export_standby": "Export activation request…",
    "detail.actions": "Actions",
    "register.heading": "Register the standby of FailoverSuite {license}",
    "register.source": "Standby machine",
    "register.this": "This machine",
    "register.typed": "Hardware ID typed or pasted",
    "register.typed.hint": "Only records the standby: a standby known by a typed hardware ID cannot be activated, because the vendor certifies the standby's installation, which only its hardware-ID file (or “This machine” chosen on the standby itself) carries.",
    "register.file": "Hardware-ID file",
    "register.submit": "Register standby",
    "register.check.ok": "Valid hardware ID: {hwid}",
    "register.check.empty": "Type the 16 characters of the standby's hardware ID.",
    "register.need_file": "Choose the hardware-ID file made on the standby machine.",
    "register.done": "Standby {hwid} registered for FailoverSuite {license}. Next: export the activation request.",
    "export.heading": "Export activation request",
    "export.what.main": "Activates the main system (this machine) of base license {license}.",
    "export.what.standby": "Activates the standby {hwid} of FailoverSuite {license}; it will carry every license of the main system (R5).",
    "export.path": "Save the request to",
    "export.overwrite": "Replace the file if it exists",
    "export.submit": "Export request",
    "export.done": "The request was written to {file}. Send it to the vendor, then import the vendor's response with “Import files…”.",
    "dialog.cancel": "Cancel",
    "dialog.close": "Close",
    "machine.heading": "This machine",
    "machine.explain": "This machine's hardware ID identifies it in licenses. To make it the standby system of a FailoverSuite, save its hardware-ID file below and load that file in “Register standby…” on the desk that holds the FailoverSuite.",
    "machine.copy": "Copy",
    "machine.copied": "Copied to the clipboard.",
    "machine.copy_failed": "Could not copy: select the ID and copy it by hand.",
    "machine.host": "Host name: {host}",
    "keys.heading": "Vendor keys",
    "keys.explain": "License Desk accepts certificates and activation responses signed by these keys. Keys are added on the command line with “licdesk trust add FILE”, which the audit log records; this window cannot add keys.",
    "keys.id": "Key ID",
    "keys.vendor": "Vendor",
    "keys.origin": "Origin",
    "keys.origin.built-in": "built into License Desk",
    "keys.origin.added": "added with licdesk trust add",
    "error.invalid_input": "The input is not valid.",
    "error.not_found": "It is not in the store.",
    "error.empty_file": "The file is empty.",
    "error.too_large": "The file is far too large to be a License Desk file.",
    "error.not_license_file": "This is not a License Desk file.",
    "error.damaged_file": "The file is damaged or incomplete.",
    "error.unsupported_format": "The file was made by a newer License Desk.",
    "error.untrusted_key": "The file is signed by a vendor key this desk does not trust.",
    "error.bad_signature": "The signature does not match: the file was changed after it was signed.",
    "error.invalid_content": "The file is signed, but its content is invalid.",
    "error.wrong_kind": "This kind of file is not imported here.",
    "error.base_missing": "Its base license is not in the store yet: import the base license first.",
    "error.conflict": "It conflicts with what the store holds.",
    "error.other_request": "This response answers another request, not one exported from this desk.",
    "error.other_machine": "This response was made for another machine.",
    "error.wrong_license": "This response is for another license than the request.",
    "error.rule_violation": "The licensing rules do not allow this.",
    "error.store": "The store could not be read or written.",
    "error.newer_store": "The store was written by a newer License Desk.",
    "error.io": "The file could not be read or written.",
    "error.machine": "This machine's hardware could not be read.",
    "error.file_exists": "The file already exists.",
    "error.tampered": "The usage journal cannot be trusted and was recorded as tampered.",
    "error.path_not_absolute": "The path is not complete: write it from the root folder, like /home/me/file.",
    "error.folder_missing": "The folder of this path does not exist: choose an existing folder.",
    "error.no_installation_key": "This standby was registered from a typed hardware ID, so it cannot be activated: the vendor certifies the standby's installation, which only its hardware-ID file carries. Register it again from its hardware-ID file, or choose “This machine” on the standby itself.",
    "detail.reactivate": "Re-activate: export activation request…",
    "detail.release": "Release standby (hardware replaced)…",
    "release.heading": "Export release request",
    "release.what": "Asks the vendor to release FailoverSuite {license} from its current standby machine, whose hardware is being replaced. After importing the release, register the new standby (R4).",
    "release.done": "The release request was written to {file}. Send it to the vendor, then import the release with “Import files…”.",
    "import.evaluated.usage-journal": "{file}: usage journal of {license} evaluated.",
    "import.tampered.usage-journal": "{file}: the usage journal of {license} cannot be trusted and was recorded as tampered.",
    "import.released.standby-release": "{file}: FailoverSuite {license} released — register the new standby machine.",
    "notice.acknowledge": "Acknowledge this notice",
    "notice.acknowledged": "Notice acknowledged on {date}.",
    "five.title": "Five-day rule",
    "five.none": "Five-day rule: no usage journal imported yet.",
    "five.current": "{hours} h under load in the current episode (limit {limit} h)",
    "five.asof": "As of the journal exported on {date}.",
    "five.violation": "Violation: the episode since {start} ran {hours} h under load, {over} h over the limit.",
    "five.tampered": "The latest usage journal cannot be trusted (tampered).",
    "level.fine": "within the rules",
    "level.warning": "warning: over {hours} h",
    "level.final_warning": "final warning: over {hours} h",
    "level.violation": "violation: over {hours} h",
    "tamper.clock_backwards": "Its clock runs backwards.",
    "tamper.overlap": "Its intervals overlap.",
    "tamper.broken_chain": "Its hash chain is broken: an entry was removed, inserted or changed.",
    "tamper.bad_signature": "Its signature does not verify.",
    "tamper.other_installation": "It was signed by another installation than the one certified for this standby.",
    "tamper.clock_ahead": "It is dated more than an hour after this desk's time.",
    "tamper.history_rewritten": "Its history was rewritten: it does not continue the journal recorded before (entries removed, or emptied or restored from a backup).",
    "clock.behind": "The system clock is behind the latest signed time License Desk has seen ({date}): check the clock — licensing times cannot be trusted while it is wrong.",
    "error.close": "Close",
    "error.technical": "Technical details (in English)",
    "file.size": "{file}: {bytes} bytes",
    "machine.file.heading": "Hardware-ID file",
    "machine.file.explain": "The file carries this machine's hardware ID and the key of this License Desk installation, which the vendor certifies when it activates the standby. A hardware ID that is only typed in cannot be activated.",
    "machine.file.path": "Save the hardware-ID file to",
    "machine.file.save": "Save hardware-ID file…",
    "machine.file.done": "The hardware-ID file was written to {file}. Take it to the desk that holds the FailoverSuite and load it in “Register standby…”.",
    "register.file.choose": "Choose file…",
    "register.file.none": "No file chosen.",
    "register.file.chosen": "Chosen: {file}",
    "register.file.hint": "Made on the standby machine: This machine → “Save hardware-ID file…” (or licdesk hwid --out FILE).",
    "register.done.typed": "Standby {hwid} recorded for FailoverSuite {license}. A standby known only by its typed hardware ID cannot be activated: register it again from its hardware-ID file.",
    "export.next": "The activation request was saved to {file}. Next: send this file to the vendor; when the vendor's response arrives, import it with “Import files…”.",
    "release.next": "The release request was saved to {file}. Next: send this file to the vendor; when the release arrives, import it with “Import files…”, then register the new standby.",
    "detail.request": "Activation request",
    "detail.request.sent": "exported on {date}; waiting for the vendor's response",
    "detail.request.none": "not exported yet",
    "detail.request.impossible": "cannot be written for a typed hardware ID",
    "standby.cannot_activate": "This standby was registered from a typed hardware ID and cannot be activated. Register it again from its hardware-ID file (made on the standby: This machine → “Save hardware-ID file…”), or choose “This machine” when registering on the standby itself.",
    "notice.standby.limits": "This FailoverSuite is licensed for standby or test operation only. Any other use breaks the license. It may run under load for at most {hours} hours at a stretch (an idle gap of {gap} hours ends a stretch); idle time does not count.",
    "five.asof.trusted": "Last trusted journal: exported on {date}.",
  },
  de: {
    "lang.en": "English",
    "lang.de": "Deutsch",
    "idcheck.wrong_shape.hardware_id": "Eine Hardware-ID hat 16 Zeichen, etwa ABCD-EFGH-JKMN-PQ12.",
    "idcheck.count": "Eingegeben: {count}.",
    "idcheck.wrong_shape.license_number": "Eine Lizenznummer sieht aus wie OMS-7K3D-9PQ2-X4 oder XFM-7K3D-9PQ2-X4.",
    "idcheck.wrong_shape.key_id": "Eine Schlüssel-ID sieht aus wie vk-0123456789abcdef.",
    "idcheck.unused_character.hardware_id": "„{character}“ kommt in Hardware-IDs nicht vor: Sie bestehen aus 0–9 und A–Z ohne I, L, O und U.",
    "idcheck.unused_character.license_number": "„{character}“ kommt in Lizenznummern nicht vor: Sie bestehen aus 0–9 und A–Z ohne I, L, O und U.",
    "idcheck.unused_character.key_id": "„{character}“ kommt in Schlüssel-IDs nicht vor.",
    "idcheck.check_mismatch.hardware_id": "Die Prüfzeichen stimmen nicht: Ein Zeichen ist vertippt oder zwei sind vertauscht. Vergleichen Sie die ID mit dem Original.",
    "idcheck.check_mismatch.license_number": "Die Prüfzeichen der Lizenznummer stimmen nicht: Ein Zeichen ist vertippt oder zwei sind vertauscht.",
    "idcheck.check_mismatch.key_id": "Die Schlüssel-ID stimmt nicht.",
    "error.internal": "In License Desk ist ein interner Fehler aufgetreten. Starten Sie es neu; es wurde nichts geändert.",
    "import.busy": "Es läuft bereits ein Import: {files} nicht importiert. Importieren Sie sie erneut, wenn er beendet ist.",
    "import.activated.standby": "{file}: FailoverSuite {license} ist auf dem Standby-System {hwid} aktiv ({mode}), mit {count} Berechtigungen seines Hauptsystems.",
    "import.activated.standby.one": "{file}: FailoverSuite {license} ist auf dem Standby-System {hwid} aktiv ({mode}), mit 1 Berechtigung seines Hauptsystems.",
    "import.activated.main": "{file}: Das Hauptsystem {hwid} der Basislizenz {license} ist aktiv, mit {count} Berechtigungen.",
    "import.activated.main.one": "{file}: Das Hauptsystem {hwid} der Basislizenz {license} ist aktiv, mit 1 Berechtigung.",
    "mode.inline.cold": "Cold-Standby",
    "mode.inline.hot": "Hot-Standby",
    "mode.inline.test": "Test- und Entwicklungssystem",
    "register.this_failed": "Die Hardware-ID dieses Rechners konnte nicht gelesen werden: {reason} {detail}",
    "register.this_reading": "(wird gelesen …)",
    "five.meter": "Lastzeit in der laufenden Episode: {hours} h von {limit} h",
    "status.close": "Schließen",
    "app.title": "License Desk",
    "lang.label": "Sprache",
    "store.at": "Datenbestand: {path}",
    "licenses.heading": "Lizenzen",
    "licenses.filter.label": "Nach Kunde oder Lizenznummer filtern",
    "licenses.filter.placeholder": "Nach Kunde oder Lizenznummer filtern",
    "licenses.count": "{count} Lizenzen",
    "licenses.count.one": "1 Lizenz",
    "licenses.empty.store": "Noch keine Lizenzen. Importieren Sie ein Lizenzzertifikat mit der Schaltfläche „Dateien importieren…“ oben rechts, oder ziehen Sie die Datei auf dieses Fenster.",
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
    "variant.inline.10": "10 Benutzer",
    "variant.inline.25": "25 Benutzer",
    "variant.inline.250": "250 Benutzer",
    "variant.inline.unlimited": "ohne Benutzerbegrenzung",
    "entitlement.suite": "OfficeMaster Suite ({variant})",
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
    "nav.label": "Ansichten",
    "nav.licenses": "Lizenzen",
    "nav.machine": "Dieser Rechner",
    "nav.keys": "Herstellerschlüssel",
    "import.button": "Dateien importieren…",
    "import.drop": "Dateien hier ablegen, um sie zu importieren",
    "import.progress": "Importiere Datei {n} von {total} …",
    "import.done": "Import beendet: {ok} von {total} Dateien übernommen.",
    "import.close": "Schließen",
    "import.imported.base-certificate": "{file}: Basislizenz {license} importiert.",
    "import.upgraded.base-certificate": "{file}: Basislizenz {license} auf eine neue Revision aktualisiert; zuvor aktivierte Systeme sind jetzt veraltet (R5).",
    "import.imported.failover-certificate": "{file}: FailoverSuite {license} zur Basislizenz hinzugefügt.",
    "import.activated.activation-response": "{file}: Aktivierung importiert — {license} ist jetzt aktiv.",
    "import.unchanged": "{file}: bereits im Datenbestand, nichts geändert.",
    "import.refused": "{file}: abgelehnt. {reason}",
    "import.details": "Details: {message}",
    "detail.add_failover": "FailoverSuite hinzufügen …",
    "detail.export_main": "Aktivierungsanfrage exportieren …",
    "detail.register": "Standby registrieren …",
    "detail.change_standby": "Standby ändern …",
    "detail.export_standby": "Aktivierungsanfrage exportieren …",
    "detail.actions": "Aktionen",
    "register.heading": "Standby-System der FailoverSuite {license} registrieren",
    "register.source": "Standby-Rechner",
    "register.this": "Dieser Rechner",
    "register.typed": "Hardware-ID eingeben oder einfügen",
    "register.typed.hint": "Erfasst das Standby-System nur: Ein Standby-System mit eingegebener Hardware-ID kann nicht aktiviert werden, denn der Hersteller beglaubigt die Installation auf dem Standby-System, und die steht nur in dessen Hardware-ID-Datei (oder in „Dieser Rechner“, gewählt auf dem Standby-System selbst).",
    "register.file": "Hardware-ID-Datei",
    "register.submit": "Standby registrieren",
    "register.check.ok": "Gültige Hardware-ID: {hwid}",
    "register.check.empty": "Geben Sie die 16 Zeichen der Hardware-ID des Standby-Systems ein.",
    "register.need_file": "Wählen Sie die auf dem Standby-Rechner erstellte Hardware-ID-Datei.",
    "register.done": "Standby {hwid} für FailoverSuite {license} registriert. Als Nächstes: Aktivierungsanfrage exportieren.",
    "export.heading": "Aktivierungsanfrage exportieren",
    "export.what.main": "Aktiviert das Hauptsystem (diesen Rechner) der Basislizenz {license}.",
    "export.what.standby": "Aktiviert das Standby-System {hwid} der FailoverSuite {license}; es erhält alle Lizenzen des Hauptsystems (R5).",
    "export.path": "Anfrage speichern unter",
    "export.overwrite": "Vorhandene Datei ersetzen",
    "export.submit": "Anfrage exportieren",
    "export.done": "Die Anfrage wurde in {file} gespeichert. Senden Sie sie an den Hersteller und importieren Sie dessen Antwort mit „Dateien importieren …“.",
    "dialog.cancel": "Abbrechen",
    "dialog.close": "Schließen",
    "machine.heading": "Dieser Rechner",
    "machine.explain": "Die Hardware-ID kennzeichnet diesen Rechner in Lizenzen. Um ihn zum Standby-System einer FailoverSuite zu machen, speichern Sie unten seine Hardware-ID-Datei und laden Sie diese Datei unter „Standby registrieren …“ auf dem Desk, der die FailoverSuite verwaltet.",
    "machine.copy": "Kopieren",
    "machine.copied": "In die Zwischenablage kopiert.",
    "machine.copy_failed": "Kopieren nicht möglich: Markieren und kopieren Sie die ID von Hand.",
    "machine.host": "Rechnername: {host}",
    "keys.heading": "Herstellerschlüssel",
    "keys.explain": "License Desk akzeptiert Zertifikate und Aktivierungsantworten, die mit diesen Schlüsseln signiert sind. Schlüssel werden auf der Kommandozeile mit „licdesk trust add DATEI“ hinzugefügt, was das Prüfprotokoll festhält; dieses Fenster kann keine Schlüssel hinzufügen.",
    "keys.id": "Schlüssel-ID",
    "keys.vendor": "Hersteller",
    "keys.origin": "Herkunft",
    "keys.origin.built-in": "in License Desk eingebaut",
    "keys.origin.added": "mit licdesk trust add hinzugefügt",
    "error.invalid_input": "Die Eingabe ist ungültig.",
    "error.not_found": "Es ist nicht im Datenbestand.",
    "error.empty_file": "Die Datei ist leer.",
    "error.too_large": "Die Datei ist viel zu groß für eine License-Desk-Datei.",
    "error.not_license_file": "Dies ist keine License-Desk-Datei.",
    "error.damaged_file": "Die Datei ist beschädigt oder unvollständig.",
    "error.unsupported_format": "Die Datei stammt von einer neueren License-Desk-Version.",
    "error.untrusted_key": "Die Datei ist mit einem Herstellerschlüssel signiert, dem dieser Desk nicht vertraut.",
    "error.bad_signature": "Die Signatur stimmt nicht: Die Datei wurde nach dem Signieren verändert.",
    "error.invalid_content": "Die Datei ist signiert, aber ihr Inhalt ist ungültig.",
    "error.wrong_kind": "Diese Art von Datei wird hier nicht importiert.",
    "error.base_missing": "Ihre Basislizenz ist noch nicht im Datenbestand: Importieren Sie zuerst die Basislizenz.",
    "error.conflict": "Sie widerspricht dem, was im Datenbestand steht.",
    "error.other_request": "Diese Antwort gehört zu einer anderen Anfrage, nicht zu einer von diesem Desk exportierten.",
    "error.other_machine": "Diese Antwort wurde für einen anderen Rechner erstellt.",
    "error.wrong_license": "Diese Antwort gilt für eine andere Lizenz als die Anfrage.",
    "error.rule_violation": "Die Lizenzregeln erlauben das nicht.",
    "error.store": "Der Datenbestand konnte nicht gelesen oder geschrieben werden.",
    "error.newer_store": "Der Datenbestand wurde von einer neueren License-Desk-Version geschrieben.",
    "error.io": "Die Datei konnte nicht gelesen oder geschrieben werden.",
    "error.machine": "Die Hardware dieses Rechners konnte nicht gelesen werden.",
    "error.file_exists": "Die Datei existiert bereits.",
    "error.tampered": "Dem Nutzungsprotokoll kann nicht vertraut werden; es wurde als manipuliert vermerkt.",
    "error.path_not_absolute": "Der Pfad ist nicht vollständig: Geben Sie ihn ab dem Wurzelverzeichnis an, etwa /home/ich/datei.",
    "error.folder_missing": "Der Ordner dieses Pfads existiert nicht: Wählen Sie einen vorhandenen Ordner.",
    "error.no_installation_key": "Dieses Standby-System wurde mit einer eingegebenen Hardware-ID registriert und kann deshalb nicht aktiviert werden: Der Hersteller beglaubigt die Installation auf dem Standby-System, und die steht nur in dessen Hardware-ID-Datei. Registrieren Sie es erneut mit seiner Hardware-ID-Datei, oder wählen Sie „Dieser Rechner“ auf dem Standby-System selbst.",
    "detail.reactivate": "Neu aktivieren: Aktivierungsanfrage exportieren …",
    "detail.release": "Standby freigeben (Hardware ersetzt) …",
    "release.heading": "Freigabeanfrage exportieren",
    "release.what": "Bittet den Hersteller, die FailoverSuite {license} von ihrem bisherigen Standby-Rechner freizugeben, dessen Hardware ersetzt wird. Registrieren Sie nach dem Import der Freigabe das neue Standby-System (R4).",
    "release.done": "Die Freigabeanfrage wurde in {file} gespeichert. Senden Sie sie an den Hersteller und importieren Sie die Freigabe mit „Dateien importieren …“.",
    "import.evaluated.usage-journal": "{file}: Nutzungsprotokoll von {license} ausgewertet.",
    "import.tampered.usage-journal": "{file}: Dem Nutzungsprotokoll von {license} kann nicht vertraut werden; es wurde als manipuliert vermerkt.",
    "import.released.standby-release": "{file}: FailoverSuite {license} freigegeben — registrieren Sie den neuen Standby-Rechner.",
    "notice.acknowledge": "Hinweis bestätigen",
    "notice.acknowledged": "Hinweis bestätigt am {date}.",
    "five.title": "Fünf-Tage-Regel",
    "five.none": "Fünf-Tage-Regel: noch kein Nutzungsprotokoll importiert.",
    "five.current": "{hours} h unter Last in der laufenden Episode (Grenze {limit} h)",
    "five.asof": "Stand des am {date} exportierten Protokolls.",
    "five.violation": "Verstoß: Die Episode seit {start} lief {hours} h unter Last, {over} h über der Grenze.",
    "five.tampered": "Dem letzten Nutzungsprotokoll kann nicht vertraut werden (manipuliert).",
    "level.fine": "innerhalb der Regeln",
    "level.warning": "Warnung: über {hours} h",
    "level.final_warning": "letzte Warnung: über {hours} h",
    "level.violation": "Verstoß: über {hours} h",
    "tamper.clock_backwards": "Seine Uhr läuft rückwärts.",
    "tamper.overlap": "Seine Intervalle überlappen sich.",
    "tamper.broken_chain": "Seine Hash-Kette ist unterbrochen: Ein Eintrag wurde entfernt, eingefügt oder geändert.",
    "tamper.bad_signature": "Seine Signatur stimmt nicht.",
    "tamper.other_installation": "Es wurde von einer anderen Installation signiert als der für dieses Standby-System beglaubigten.",
    "tamper.clock_ahead": "Es ist mehr als eine Stunde nach der Zeit dieses Desks datiert.",
    "tamper.history_rewritten": "Sein Verlauf wurde umgeschrieben: Es setzt das zuvor erfasste Protokoll nicht fort (Einträge entfernt, oder geleert oder aus einer Sicherung wiederhergestellt).",
    "clock.behind": "Die Systemuhr geht hinter der neuesten signierten Zeit zurück, die License Desk gesehen hat ({date}): Prüfen Sie die Uhr — Lizenzzeiten sind nicht vertrauenswürdig, solange sie falsch geht.",
    "error.close": "Schließen",
    "error.technical": "Technische Details (auf Englisch)",
    "file.size": "{file}: {bytes} Byte",
    "machine.file.heading": "Hardware-ID-Datei",
    "machine.file.explain": "Die Datei enthält die Hardware-ID dieses Rechners und den Schlüssel dieser License-Desk-Installation, den der Hersteller bei der Aktivierung des Standby-Systems beglaubigt. Eine nur eingegebene Hardware-ID kann nicht aktiviert werden.",
    "machine.file.path": "Hardware-ID-Datei speichern unter",
    "machine.file.save": "Hardware-ID-Datei speichern …",
    "machine.file.done": "Die Hardware-ID-Datei wurde in {file} gespeichert. Bringen Sie sie zu dem Desk, der die FailoverSuite verwaltet, und laden Sie sie unter „Standby registrieren …“.",
    "register.file.choose": "Datei auswählen …",
    "register.file.none": "Keine Datei ausgewählt.",
    "register.file.chosen": "Ausgewählt: {file}",
    "register.file.hint": "Auf dem Standby-Rechner erstellt: Dieser Rechner → „Hardware-ID-Datei speichern …“ (oder licdesk hwid --out DATEI).",
    "register.done.typed": "Standby {hwid} für FailoverSuite {license} erfasst. Ein Standby-System, das nur mit eingegebener Hardware-ID bekannt ist, kann nicht aktiviert werden: Registrieren Sie es erneut mit seiner Hardware-ID-Datei.",
    "export.next": "Die Aktivierungsanfrage wurde in {file} gespeichert. Als Nächstes: Senden Sie diese Datei an den Hersteller; wenn seine Antwort eintrifft, importieren Sie sie mit „Dateien importieren …“.",
    "release.next": "Die Freigabeanfrage wurde in {file} gespeichert. Als Nächstes: Senden Sie diese Datei an den Hersteller; wenn die Freigabe eintrifft, importieren Sie sie mit „Dateien importieren …“ und registrieren dann das neue Standby-System.",
    "detail.request": "Aktivierungsanfrage",
    "detail.request.sent": "am {date} exportiert; die Antwort des Herstellers steht aus",
    "detail.request.none": "noch nicht exportiert",
    "detail.request.impossible": "für eine eingegebene Hardware-ID nicht möglich",
    "standby.cannot_activate": "Dieses Standby-System wurde mit einer eingegebenen Hardware-ID registriert und kann nicht aktiviert werden. Registrieren Sie es erneut mit seiner Hardware-ID-Datei (auf dem Standby-Rechner erstellt: Dieser Rechner → „Hardware-ID-Datei speichern …“), oder wählen Sie „Dieser Rechner“, wenn Sie auf dem Standby-Rechner selbst registrieren.",
    "notice.standby.limits": "Diese FailoverSuite ist nur für den Standby- oder Testbetrieb lizenziert. Jede andere Verwendung bedeutet einen Lizenzbruch. Sie darf höchstens {hours} Stunden am Stück unter Last laufen (eine Leerlaufpause von {gap} Stunden beendet ein Stück); Betrieb im Leerlauf zählt nicht.",
    "five.asof.trusted": "Letztes vertrauenswürdiges Protokoll: exportiert am {date}.",
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

/** The English text of `key` (to compare with the backend's English sentences). */
export function english(key, params = {}) {
  const current_ = current;
  current = "en";
  try {
    return t(key, params);
  } finally {
    current = current_;
  }
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

/** R11: the standby/test-only notice, naming the limits the vendor signed when they are not the data sheet's five days. */
export function standbyNotice(limits) {
  const standard = { max_load_hours: 120, episode_gap_hours: 24, warning_hours: 72, final_warning_hours: 96 };
  if (!limits || Object.keys(standard).every((k) => limits[k] === standard[k])) return t("notice.standby");
  return t("notice.standby.limits", { hours: formatNumber(limits.max_load_hours), gap: formatNumber(limits.episode_gap_hours) });
}

// Texts that were put on screen in one language and must follow a language switch: each is
// remembered with the function that makes it, and made again by `relabel()`.
const spoken = new Map();
const listeners = [];

/** Shows `render()` (text, or markup made by `html`) in `element` now, and again after every language switch. */
export function say(element, render) {
  spoken.set(element, render);
  show(element, render());
}

/** Stops following `element` (its text no longer depends on the language). */
export function unsay(element) {
  spoken.delete(element);
}

/** Calls `render` after every language switch (for screens that re-render themselves). */
export function onLanguage(render) {
  listeners.push(render);
}

/** Re-renders every remembered text and every screen in the current language. */
export function relabel() {
  translateStatic();
  for (const [element, render] of spoken) {
    if (element.isConnected) show(element, render());
    else spoken.delete(element);
  }
  for (const render of listeners) render();
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
