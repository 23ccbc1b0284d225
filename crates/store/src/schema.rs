//! Migrations by `PRAGMA user_version`. Each entry takes the schema from its index to index + 1.

use rusqlite::Connection;

use crate::StoreError;

const MIGRATIONS: &[&str] = &[
    // 0 → 1: the first schema.
    r#"
    CREATE TABLE base_licenses (
        license            TEXT PRIMARY KEY,
        revision           INTEGER NOT NULL,
        customer           TEXT NOT NULL,
        customer_fold      TEXT NOT NULL,
        variant            TEXT NOT NULL,
        extensions         TEXT NOT NULL,
        issued_at          TEXT NOT NULL,
        key_id             TEXT NOT NULL,
        demo               INTEGER NOT NULL,
        entitlement_digest TEXT NOT NULL,
        certificate        TEXT NOT NULL,
        file_hash          TEXT NOT NULL,
        imported_at        TEXT NOT NULL
    );
    CREATE INDEX base_licenses_by_customer ON base_licenses (customer_fold, license);

    CREATE TABLE failover_licenses (
        license      TEXT PRIMARY KEY,
        base_license TEXT NOT NULL REFERENCES base_licenses (license),
        issued_at    TEXT NOT NULL,
        key_id       TEXT NOT NULL,
        demo         INTEGER NOT NULL,
        certificate  TEXT NOT NULL,
        file_hash    TEXT NOT NULL,
        imported_at  TEXT NOT NULL
    );
    CREATE INDEX failover_licenses_by_base ON failover_licenses (base_license);

    CREATE TABLE systems (
        role               TEXT NOT NULL CHECK (role IN ('main', 'standby')),
        license            TEXT NOT NULL,
        base_license       TEXT NOT NULL REFERENCES base_licenses (license),
        hardware_id        TEXT NOT NULL,
        hardware           TEXT NOT NULL,
        mode               TEXT CHECK (mode IN ('cold', 'hot', 'test')),
        state              TEXT NOT NULL CHECK (state IN ('pending', 'active')),
        registered_at      TEXT NOT NULL,
        activated_at       TEXT,
        entitlement_digest TEXT,
        entitlements       TEXT,
        response           TEXT,
        PRIMARY KEY (role, license)
    );
    CREATE INDEX systems_by_base ON systems (base_license);
    CREATE INDEX systems_by_hardware ON systems (hardware_id);

    CREATE TABLE requests (
        nonce       TEXT PRIMARY KEY,
        license     TEXT NOT NULL,
        role        TEXT NOT NULL,
        hardware_id TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        file_hash   TEXT NOT NULL,
        answered_at TEXT
    );

    CREATE TABLE trusted_keys (
        key_id     TEXT PRIMARY KEY,
        public_key TEXT NOT NULL,
        vendor     TEXT NOT NULL,
        added_at   TEXT NOT NULL,
        file_hash  TEXT NOT NULL
    );

    CREATE TABLE imported_files (
        file_hash   TEXT PRIMARY KEY,
        kind        TEXT NOT NULL,
        imported_at TEXT NOT NULL
    );

    CREATE TABLE audit_log (
        id        INTEGER PRIMARY KEY,
        at        TEXT NOT NULL,
        action    TEXT NOT NULL,
        subject   TEXT NOT NULL,
        detail    TEXT NOT NULL,
        file_hash TEXT
    );
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    "#,
    // 1 → 2: standby installations, their usage journals and the five-day evaluation (R11, R12).
    r#"
    ALTER TABLE systems ADD COLUMN installation_key TEXT;
    ALTER TABLE systems ADD COLUMN limits TEXT;
    ALTER TABLE systems ADD COLUMN notice_acknowledged_at TEXT;

    CREATE TABLE journal_entries (
        seq   INTEGER PRIMARY KEY,
        at    TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('load', 'idle')),
        hash  TEXT NOT NULL
    );
    CREATE TRIGGER journal_entries_no_update BEFORE UPDATE ON journal_entries
        BEGIN SELECT RAISE(ABORT, 'the usage journal is append-only'); END;
    CREATE TRIGGER journal_entries_no_delete BEFORE DELETE ON journal_entries
        BEGIN SELECT RAISE(ABORT, 'the usage journal is append-only'); END;

    CREATE TABLE usage_reports (
        failover     TEXT PRIMARY KEY,
        journal_hash TEXT NOT NULL,
        exported_at  TEXT NOT NULL,
        evaluation   TEXT,
        tamper       TEXT,
        imported_at  TEXT NOT NULL
    );

    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    "#,
    // 2 → 3: a usage report keeps the latest *trusted* journal (its export time, and the
    // vendor-signed activation time it carried) apart from the latest journal that could not be
    // trusted, so that neither an older journal nor a tampered one can replace a violation; and
    // journals whose own signature fails are recorded (content unused) for monitoring.
    // A tampered row of schema 2 keeps its tamper, but not its untrusted export time.
    r#"
    CREATE TABLE usage_reports_v3 (
        failover     TEXT PRIMARY KEY,
        journal_hash TEXT,
        exported_at  TEXT,
        activated_at TEXT,
        hardware_id  TEXT,
        installation_key TEXT,
        evaluation   TEXT,
        tamper       TEXT,
        tamper_hash  TEXT,
        imported_at  TEXT NOT NULL
    );
    INSERT INTO usage_reports_v3
        (failover, journal_hash, exported_at, evaluation, tamper, tamper_hash, imported_at)
        SELECT failover,
               CASE WHEN tamper IS NULL THEN journal_hash END,
               CASE WHEN tamper IS NULL THEN exported_at END,
               evaluation,
               tamper,
               CASE WHEN tamper IS NOT NULL THEN journal_hash END,
               imported_at
          FROM usage_reports;
    DROP TABLE usage_reports;
    ALTER TABLE usage_reports_v3 RENAME TO usage_reports;

    CREATE TABLE unreadable_journals (
        file_hash   TEXT PRIMARY KEY,
        key_id      TEXT NOT NULL,
        reason      TEXT NOT NULL,
        imported_at TEXT NOT NULL
    );
    "#,
    // 3 → 4: a trigram index of customer names, so that a search by any part of a name does not
    // read every row (instant with 100,000 licenses). New rows are indexed when their
    // transaction commits, in one statement (a trigger per row costs four times as much in a bulk
    // import): `indexed_upto` is the highest row id indexed. Rows are never deleted, so row ids
    // only grow.
    r#"
    CREATE VIRTUAL TABLE base_licenses_search USING fts5(
        customer_fold, content = 'base_licenses', content_rowid = 'rowid', tokenize = 'trigram'
    );
    INSERT INTO base_licenses_search (base_licenses_search) VALUES ('rebuild');
    CREATE TABLE base_licenses_search_state (indexed_upto INTEGER NOT NULL);
    INSERT INTO base_licenses_search_state SELECT COALESCE(MAX(rowid), 0) FROM base_licenses;
    CREATE TRIGGER base_licenses_are_kept BEFORE DELETE ON base_licenses
        BEGIN SELECT RAISE(ABORT, 'base licenses are never deleted'); END;
    "#,
    // 4 → 5: an administrator may dismiss a tampered journal whose signature failed, after
    // looking into it (audited); monitoring then stops reporting it.
    r#"
    ALTER TABLE unreadable_journals ADD COLUMN dismissed_at TEXT;
    ALTER TABLE unreadable_journals ADD COLUMN dismissal TEXT;
    "#,
    // 5 → 6: the five-day rule, made harder to cheat (R12). A usage report remembers the last
    // entry of the trusted journal (a later journal must continue it) and the past violations an
    // administrator acknowledged (audited); every tampered journal of a FailoverSuite is kept,
    // reported until dismissed, instead of only the latest one until a good journal came.
    r#"
    ALTER TABLE usage_reports ADD COLUMN last_seq INTEGER;
    ALTER TABLE usage_reports ADD COLUMN last_hash TEXT;
    ALTER TABLE usage_reports ADD COLUMN violations_acknowledged_through TEXT;
    ALTER TABLE usage_reports ADD COLUMN violations_acknowledged_at TEXT;
    ALTER TABLE usage_reports ADD COLUMN violations_acknowledgement TEXT;

    CREATE TABLE tampered_journals (
        file_hash    TEXT PRIMARY KEY,
        failover     TEXT NOT NULL,
        tamper       TEXT NOT NULL,
        imported_at  TEXT NOT NULL,
        dismissed_at TEXT,
        dismissal    TEXT
    );
    CREATE INDEX tampered_journals_by_failover ON tampered_journals (failover);
    INSERT INTO tampered_journals (file_hash, failover, tamper, imported_at)
        SELECT COALESCE(tamper_hash, 'unknown-' || failover), failover, tamper, imported_at
          FROM usage_reports WHERE tamper IS NOT NULL;
    ALTER TABLE usage_reports DROP COLUMN tamper;
    ALTER TABLE usage_reports DROP COLUMN tamper_hash;
    "#,
    // 6 → 7: the activation request a system waits for, found by its license (the detail of a
    // license says when the request was exported).
    r#"
    CREATE INDEX requests_by_license ON requests (license, role, hardware_id);
    "#,
    // 7 → 8: what the vendor signed moves forward only, and violations are kept.
    // - `system_marks`: per system (role and license) the latest vendor-signed decision applied
    //   (an activation or a release: its signed time, the ledger's sequence number, its content
    //   identity). It outlives the system's row (a release deletes that), so an older response
    //   or release is refused as superseded.
    // - `violations`: every five-day violation (R12) a trusted journal showed, per FailoverSuite
    //   and installation, kept through release, replacement and re-registration until an
    //   administrator acknowledges it (rows are never deleted). Filled from the evaluations
    //   recorded so far; those acknowledged before stay acknowledged.
    // - `journal_exports`: on a standby, each export of its journal (it attests the state up to
    //   the export time: no later entry may be dated before it).
    r#"
    CREATE TABLE system_marks (
        role        TEXT NOT NULL,
        license     TEXT NOT NULL,
        signed_at   TEXT NOT NULL,
        serial      INTEGER,
        kind        TEXT NOT NULL,
        content_id  TEXT NOT NULL,
        PRIMARY KEY (role, license)
    );
    INSERT INTO system_marks (role, license, signed_at, serial, kind, content_id)
        SELECT role, license, activated_at, NULL, 'activation-response', 'unknown'
          FROM systems WHERE state = 'active' AND activated_at IS NOT NULL;

    CREATE TABLE violations (
        failover           TEXT NOT NULL,
        installation_key   TEXT NOT NULL,
        hardware_id        TEXT NOT NULL,
        start              TEXT NOT NULL,
        last_load_end      TEXT NOT NULL,
        load_seconds       INTEGER NOT NULL,
        over_limit_seconds INTEGER NOT NULL,
        max_load_hours     INTEGER NOT NULL,
        journal_hash       TEXT NOT NULL,
        recorded_at        TEXT NOT NULL,
        acknowledged_at    TEXT,
        acknowledgement    TEXT,
        PRIMARY KEY (failover, installation_key, start)
    );
    CREATE TRIGGER violations_are_kept BEFORE DELETE ON violations
        BEGIN SELECT RAISE(ABORT, 'violations are kept until acknowledged, and after'); END;
    INSERT INTO violations
        SELECT r.failover, COALESCE(r.installation_key, ''), COALESCE(r.hardware_id, ''),
               json_extract(e.value, '$.start'), json_extract(e.value, '$.last_load_end'),
               json_extract(e.value, '$.load_seconds'), json_extract(e.value, '$.over_limit_seconds'),
               json_extract(r.evaluation, '$.limits.max_load_hours'),
               r.journal_hash, r.imported_at,
               CASE WHEN json_extract(e.value, '$.start') <= r.violations_acknowledged_through
                    THEN r.violations_acknowledged_at END,
               CASE WHEN json_extract(e.value, '$.start') <= r.violations_acknowledged_through
                    THEN r.violations_acknowledgement END
          FROM usage_reports r, json_each(r.evaluation, '$.episodes') e
         WHERE r.evaluation IS NOT NULL AND json_extract(e.value, '$.level') = 'violation';

    CREATE TABLE journal_exports (
        exported_at TEXT NOT NULL,
        last_seq    INTEGER
    );
    ALTER TABLE usage_reports ADD COLUMN activation_serial INTEGER;
    "#,
    // 8 → 9: the latest trusted usage journal itself is kept beside its evaluation, so that
    // monitoring can verify the few signed files its status rests on (each standby's activation
    // and latest journal) instead of every certificate: a value edited by hand that matters to a
    // status no longer matches its file. Evaluations recorded before have no journal kept
    // (monitoring says so until the standby's next journal comes).
    r#"
    ALTER TABLE usage_reports ADD COLUMN journal TEXT;
    "#,
    // 9 → 10: the licenses list sorted and flagged by what people look for, as fast with
    // 100,000 licenses as with ten: columns kept beside each base license, each with its index
    // (see `tables/listing.rs`) — the customer's natural sort key, the variant's rank, the main
    // system's state, the latest audited change, and what the license needs (`attention`, JSON;
    // NULL when nothing, so that a partial index holds only the licenses needing it). The last
    // change's index ends on the row id (in time order, new licenses are appended to it, which
    // costs a bulk import far less than a key in another order).
    // `listing_stale` names the licenses whose state and attention must be made again: the
    // triggers below fill it from every table they come from (each adds a name once, whatever
    // conflict policy the statement that fired it has), and each write transaction empties it
    // when it commits. Filled here for every license with a system or a journal.
    r#"
    ALTER TABLE base_licenses ADD COLUMN customer_key TEXT NOT NULL DEFAULT '';
    ALTER TABLE base_licenses ADD COLUMN users_rank INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE base_licenses ADD COLUMN main_status INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE base_licenses ADD COLUMN changed_at TEXT NOT NULL DEFAULT '';
    ALTER TABLE base_licenses ADD COLUMN attention TEXT;
    UPDATE base_licenses SET customer_key = licdesk_natural_key(customer),
                             users_rank = licdesk_users_rank(variant),
                             changed_at = imported_at;
    UPDATE base_licenses SET changed_at = latest.at
      FROM (SELECT COALESCE(f.base_license, a.subject) AS license, MAX(a.at) AS at
              FROM audit_log a LEFT JOIN failover_licenses f ON f.license = a.subject
             GROUP BY 1) AS latest
     WHERE latest.license = base_licenses.license AND latest.at > base_licenses.changed_at;
    DROP INDEX base_licenses_by_customer;
    CREATE INDEX base_licenses_by_customer ON base_licenses (customer_key, license, customer_fold);
    CREATE INDEX base_licenses_by_users ON base_licenses (users_rank, customer_key, license);
    CREATE INDEX base_licenses_by_status ON base_licenses (main_status, customer_key, license);
    CREATE INDEX base_licenses_by_change ON base_licenses (changed_at);
    CREATE INDEX base_licenses_needing_attention ON base_licenses (customer_key, license)
        WHERE attention IS NOT NULL;

    CREATE TABLE listing_stale (license TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TRIGGER listing_system_added AFTER INSERT ON systems
        BEGIN
            INSERT INTO listing_stale SELECT NEW.base_license
             WHERE NOT EXISTS (SELECT 1 FROM listing_stale WHERE license = NEW.base_license);
        END;
    CREATE TRIGGER listing_system_changed AFTER UPDATE ON systems
        BEGIN
            INSERT INTO listing_stale SELECT NEW.base_license
             WHERE NOT EXISTS (SELECT 1 FROM listing_stale WHERE license = NEW.base_license);
        END;
    CREATE TRIGGER listing_system_removed AFTER DELETE ON systems
        BEGIN
            INSERT INTO listing_stale SELECT OLD.base_license
             WHERE NOT EXISTS (SELECT 1 FROM listing_stale WHERE license = OLD.base_license);
        END;
    CREATE TRIGGER listing_request_added AFTER INSERT ON requests
        BEGIN
            INSERT INTO listing_stale SELECT NEW.license
             WHERE NOT EXISTS (SELECT 1 FROM listing_stale WHERE license = NEW.license);
        END;
    CREATE TRIGGER listing_request_changed AFTER UPDATE ON requests
        BEGIN
            INSERT INTO listing_stale SELECT NEW.license
             WHERE NOT EXISTS (SELECT 1 FROM listing_stale WHERE license = NEW.license);
        END;
    CREATE TRIGGER listing_entitlements_changed AFTER UPDATE OF entitlement_digest ON base_licenses
        WHEN OLD.entitlement_digest IS NOT NEW.entitlement_digest
        BEGIN
            INSERT INTO listing_stale SELECT NEW.license
             WHERE NOT EXISTS (SELECT 1 FROM listing_stale WHERE license = NEW.license);
        END;
    CREATE TRIGGER listing_report_added AFTER INSERT ON usage_reports
        BEGIN
            INSERT INTO listing_stale SELECT NEW.failover
             WHERE NOT EXISTS (SELECT 1 FROM listing_stale WHERE license = NEW.failover);
        END;
    CREATE TRIGGER listing_report_changed AFTER UPDATE ON usage_reports
        BEGIN
            INSERT INTO listing_stale SELECT NEW.failover
             WHERE NOT EXISTS (SELECT 1 FROM listing_stale WHERE license = NEW.failover);
        END;
    CREATE TRIGGER listing_violation_added AFTER INSERT ON violations
        BEGIN
            INSERT INTO listing_stale SELECT NEW.failover
             WHERE NOT EXISTS (SELECT 1 FROM listing_stale WHERE license = NEW.failover);
        END;
    CREATE TRIGGER listing_violation_changed AFTER UPDATE ON violations
        BEGIN
            INSERT INTO listing_stale SELECT NEW.failover
             WHERE NOT EXISTS (SELECT 1 FROM listing_stale WHERE license = NEW.failover);
        END;
    CREATE TRIGGER listing_tamper_added AFTER INSERT ON tampered_journals
        BEGIN
            INSERT INTO listing_stale SELECT NEW.failover
             WHERE NOT EXISTS (SELECT 1 FROM listing_stale WHERE license = NEW.failover);
        END;
    CREATE TRIGGER listing_tamper_changed AFTER UPDATE ON tampered_journals
        BEGIN
            INSERT INTO listing_stale SELECT NEW.failover
             WHERE NOT EXISTS (SELECT 1 FROM listing_stale WHERE license = NEW.failover);
        END;
    INSERT OR IGNORE INTO listing_stale
        SELECT base_license FROM systems UNION SELECT failover FROM usage_reports
        UNION SELECT failover FROM violations UNION SELECT failover FROM tampered_journals;
    "#,
    // 10 -> 11: the list's filter reads the customers' names kept in memory (`names.rs`), in
    // the customer order: that order's index carries what it reads (the folded name, the
    // variant's rank), and the trigram index it replaces is dropped. A page filtered by a
    // common word in another order walks that order's index. The number of base licenses is
    // kept (so that the unfiltered list's count does not read every index entry), and two
    // versions: of the names, and of the orders by state and by change (so that what is kept in
    // memory is read again when it changed, by this connection or another).
    r#"
    DROP TABLE base_licenses_search;
    DROP TABLE base_licenses_search_state;
    DROP INDEX base_licenses_by_customer;
    DROP INDEX base_licenses_by_users;
    DROP INDEX base_licenses_by_status;
    CREATE INDEX base_licenses_by_customer
        ON base_licenses (customer_key, license, customer_fold, users_rank);
    CREATE INDEX base_licenses_by_users ON base_licenses (users_rank, customer_key, license);
    CREATE INDEX base_licenses_by_status ON base_licenses (main_status, customer_key, license);
    CREATE TABLE base_licenses_state (
        count         INTEGER NOT NULL,
        names_version INTEGER NOT NULL,
        order_version INTEGER NOT NULL
    );
    INSERT INTO base_licenses_state SELECT COUNT(*), 1, 1 FROM base_licenses;
    CREATE TRIGGER base_licenses_counted AFTER INSERT ON base_licenses
        BEGIN
            UPDATE base_licenses_state SET count = count + 1, names_version = names_version + 1,
                                           order_version = order_version + 1;
        END;
    CREATE TRIGGER base_licenses_uncounted AFTER DELETE ON base_licenses
        BEGIN
            UPDATE base_licenses_state SET count = count - 1, names_version = names_version + 1,
                                           order_version = order_version + 1;
        END;
    CREATE TRIGGER base_licenses_renamed
        AFTER UPDATE OF license, customer_fold, customer_key, users_rank ON base_licenses
        WHEN OLD.license IS NOT NEW.license OR OLD.customer_fold IS NOT NEW.customer_fold
          OR OLD.customer_key IS NOT NEW.customer_key OR OLD.users_rank IS NOT NEW.users_rank
        BEGIN
            UPDATE base_licenses_state SET names_version = names_version + 1,
                                           order_version = order_version + 1;
        END;
    CREATE TRIGGER base_licenses_reordered AFTER UPDATE OF main_status, changed_at ON base_licenses
        WHEN OLD.main_status IS NOT NEW.main_status OR OLD.changed_at IS NOT NEW.changed_at
        BEGIN
            UPDATE base_licenses_state SET order_version = order_version + 1;
        END;
    "#,
    // 11 -> 12: who made each change — the operating system's account and the computer
    // (`Store::act_as`) — now that several people may share one store. Entries written before
    // keep NULL: who made them was not recorded.
    r#"
    ALTER TABLE audit_log ADD COLUMN actor TEXT;
    "#,
    // 12 -> 13: what sync exchanges between two stores (a laptop's and its team's).
    // - `imported_files.text`: each signed file applied, kept whole, so that another store
    //   can import it (verified there as any file). Filled for the files whose text the store
    //   kept so far (certificates, the latest journal of each FailoverSuite, the responses in
    //   effect); other files imported before stay without text and are not exchanged.
    // - `audit_log.entry_id`: each entry's identity (random, kept when an entry is copied to
    //   another store), so that two audit logs merge without loss and without duplicates. The
    //   append-only triggers are set aside for the one UPDATE that gives the entries written
    //   before theirs.
    r#"
    ALTER TABLE imported_files ADD COLUMN text TEXT;
    UPDATE imported_files SET text = COALESCE(
        (SELECT b.certificate FROM base_licenses b WHERE b.file_hash = imported_files.file_hash),
        (SELECT f.certificate FROM failover_licenses f WHERE f.file_hash = imported_files.file_hash),
        (SELECT u.journal FROM usage_reports u WHERE u.journal_hash = imported_files.file_hash),
        (SELECT s.response FROM systems s JOIN system_marks m
             ON m.role = s.role AND m.license = s.license
          WHERE m.content_id = imported_files.file_hash AND m.kind = 'activation-response'));

    ALTER TABLE audit_log ADD COLUMN entry_id TEXT;
    DROP TRIGGER audit_log_no_update;
    UPDATE audit_log SET entry_id = lower(hex(randomblob(16)));
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE UNIQUE INDEX audit_log_by_entry ON audit_log (entry_id);
    "#,
    // 13 -> 14: a certificate (of a base license, of a FailoverSuite) is kept once, with its
    // file in `imported_files` (`text`, which sync hands on); the license's `certificate` is ''
    // and its `file_hash` names the file. A bulk import wrote each certificate twice. A row
    // whose file has no text there keeps its own (read as before).
    POSTGRES_MIGRATIONS[0],
];

/// The migrations a store on PostgreSQL takes, from [`POSTGRES_FIRST_SCHEMA`] on (entry i
/// goes from `POSTGRES_FIRST_SCHEMA + i` to the next): the same SQL as SQLite's, written so that
/// both engines read it alike.
pub(crate) const POSTGRES_MIGRATIONS: &[&str] = &[
    // 13 -> 14 (see MIGRATIONS).
    "UPDATE base_licenses SET certificate = ''
      WHERE certificate <> '' AND EXISTS (SELECT 1 FROM imported_files i
             WHERE i.file_hash = base_licenses.file_hash AND i.text = base_licenses.certificate);
     UPDATE failover_licenses SET certificate = ''
      WHERE certificate <> '' AND EXISTS (SELECT 1 FROM imported_files i
             WHERE i.file_hash = failover_licenses.file_hash
               AND i.text = failover_licenses.certificate);",
];

/// The first schema of a store on PostgreSQL (teams' stores came with it).
pub(crate) const POSTGRES_FIRST_SCHEMA: i64 = 13;

const _: () = assert!(
    POSTGRES_FIRST_SCHEMA + POSTGRES_MIGRATIONS.len() as i64 == MIGRATIONS.len() as i64,
    "a migration of SQLite's schema has no PostgreSQL form"
);

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The oldest schema monitoring reads ([`crate::Store::open_read_only`]): schema 11 added only
/// what the licenses list reads (indexes and the count of base licenses), schema 12 who made
/// each audited change, schema 13 what sync exchanges, schema 14 where a certificate's text is
/// kept (a row of an older schema holds its own, read as it is), nothing else `check` reads,
/// so a store a License Desk of schema 10 wrote is
/// monitored as it is, before any writer has opened (and upgraded) it.
pub const OLDEST_READABLE_SCHEMA: i64 = 10;

/// The schema that added `table`, for the tables added since [`OLDEST_READABLE_SCHEMA`]: a
/// store read before its upgrade does not have them yet.
pub(crate) fn table_added_in(table: &str) -> i64 {
    match table {
        "base_licenses_state" => 11,
        _ => OLDEST_READABLE_SCHEMA,
    }
}

/// Every table of the current schema (a store missing one is damaged).
pub const TABLES: &[&str] = &[
    "base_licenses",
    "failover_licenses",
    "systems",
    "requests",
    "trusted_keys",
    "imported_files",
    "audit_log",
    "journal_entries",
    "usage_reports",
    "meta",
    "unreadable_journals",
    "tampered_journals",
    "system_marks",
    "violations",
    "journal_exports",
    "listing_stale",
    "base_licenses_state",
];

/// The tables monitoring reads whole: their size grows with the standbys and their journals,
/// never with the number of licenses, so checking their structure on every run costs the same
/// with a million licenses as with ten.
pub const STATUS_TABLES: &[&str] = &[
    "usage_reports",
    "tampered_journals",
    "unreadable_journals",
    "violations",
    "trusted_keys",
    "meta",
];

pub(crate) fn migrate(conn: &mut Connection, from: i64) -> Result<(), StoreError> {
    apply_migrations(conn, MIGRATIONS, from, SCHEMA_VERSION)
}

/// Makes a database of an older schema `version` at `path` (tests of the upgrade path).
#[doc(hidden)]
pub fn create_at_version(path: &std::path::Path, version: i64) -> Result<(), StoreError> {
    let mut conn = Connection::open(path)?;
    crate::tables::register_listing_functions(&conn)?;
    apply_migrations(&mut conn, MIGRATIONS, 0, version)
}

/// Takes the database from schema `from` to `until` with `migrations` (entry i goes from i to
/// i + 1), each step in its own transaction. Used by the store and by the vendor's ledger.
pub(crate) fn apply_migrations(
    conn: &mut Connection,
    migrations: &[&str],
    from: i64,
    until: i64,
) -> Result<(), StoreError> {
    for (index, sql) in migrations
        .iter()
        .enumerate()
        .take(until as usize)
        .skip(from as usize)
    {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the lock.
        let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if now > index as i64 {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
