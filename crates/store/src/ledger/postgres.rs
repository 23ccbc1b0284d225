//! The ledger on PostgreSQL: one database shared by several issuers at once.
//!
//! **How a race is decided.** Every decision (`Ledger::decide`) is one READ COMMITTED transaction
//! that first takes one transaction-level advisory lock, [`DECISION_LOCK`]; it is held until the
//! commit or rollback. So the decisions of all issuers on one ledger run one after the other,
//! each reading what every earlier one committed — the same guarantee `BEGIN IMMEDIATE` gives
//! on SQLite, so the issuer's reads-then-writes (R4/R13: is this FailoverSuite or this machine
//! already held?) need no other care. Chosen over SERIALIZABLE with retries because whether two
//! machines are "the same" follows the tolerance rule of hardware IDs (`is_same_machine`, in
//! Rust), which no constraint or predicate lock can see, and because a retry would have to run
//! the issuer's whole decision again, signing included; a decision takes a few milliseconds, so
//! serialising them costs nothing a licensing desk would notice. READ COMMITTED and not a
//! stricter level on purpose: there each statement sees what was committed before it began, so
//! the reads after the lock see the previous decision; under REPEATABLE READ or SERIALIZABLE the
//! snapshot would be taken by the lock's own statement, before the lock was granted.
//! Constraints guard what they can on top: a request nonce is UNIQUE (across every issuer, as
//! they share the table), times are checked to be the canonical UTC text the ledger compares.
//!
//! The ledger log is append-only here too: a trigger refuses UPDATE, DELETE and TRUNCATE.
//! The schema version lives in `ledger_schema` (PostgreSQL has no `user_version`); the numbering
//! and the policy are SQLite's: a newer ledger is refused untouched.
//!
//! Connecting (TLS, passwords) is the store's: `db::connect`.

use std::cell::RefCell;
use std::time::Duration;

use postgres::error::SqlState;
use postgres::{Client, GenericClient, IsolationLevel};

use crate::db::postgres::reason;
use crate::StoreError;

/// The advisory lock every decision and migration holds (any fixed number: the ledger's
/// database is its own; "licdeskL" in ASCII).
pub(crate) const DECISION_LOCK: i64 = 0x6c69_6364_6573_6b4c;

/// How long a decision waits for another issuer's, as the SQLite ledger's busy timeout.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// A canonical UTC time as the ledger writes and compares it (`Timestamp`'s text).
macro_rules! utc_text {
    ($column:literal) => {
        concat!(
            "CHECK (",
            $column,
            " ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$')"
        )
    };
}

/// The PostgreSQL migrations, numbered as SQLite's (`LEDGER_MIGRATIONS`): migration n makes
/// the same tables and columns on both engines. Text columns compared or sorted are `COLLATE
/// "C"` (byte order, as SQLite compares); ids are BIGSERIAL where SQLite has its rowid.
pub(crate) const MIGRATIONS: &[&str] = &[
    concat!(
        r#"
    CREATE TABLE activations (
        id            BIGSERIAL PRIMARY KEY,
        role          TEXT COLLATE "C" NOT NULL CHECK (role IN ('main', 'standby')),
        license       TEXT COLLATE "C" NOT NULL,
        mirrors       TEXT COLLATE "C" NOT NULL,
        hardware_id   TEXT COLLATE "C" NOT NULL,
        hardware      TEXT NOT NULL,
        request_nonce TEXT COLLATE "C" NOT NULL UNIQUE,
        activated_at  TEXT COLLATE "C" NOT NULL "#,
        utc_text!("activated_at"),
        r#",
        response      TEXT NOT NULL
    );
    CREATE INDEX activations_by_license ON activations (role, license);
    CREATE TABLE ledger_log (
        id      BIGSERIAL PRIMARY KEY,
        at      TEXT COLLATE "C" NOT NULL "#,
        utc_text!("at"),
        r#",
        action  TEXT NOT NULL,
        subject TEXT NOT NULL,
        detail  TEXT NOT NULL
    );
    CREATE FUNCTION ledger_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the ledger log is append-only'; END $$;
    CREATE TRIGGER ledger_log_no_change BEFORE UPDATE OR DELETE ON ledger_log
        FOR EACH ROW EXECUTE FUNCTION ledger_log_append_only();
    CREATE TRIGGER ledger_log_no_truncate BEFORE TRUNCATE ON ledger_log
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_log_append_only();
"#
    ),
    concat!(
        r#"
    CREATE TABLE releases (
        id            BIGSERIAL PRIMARY KEY,
        license       TEXT COLLATE "C" NOT NULL,
        hardware_id   TEXT COLLATE "C" NOT NULL,
        request_nonce TEXT COLLATE "C" NOT NULL UNIQUE,
        released_at   TEXT COLLATE "C" NOT NULL "#,
        utc_text!("released_at"),
        r#",
        response      TEXT NOT NULL
    );
    CREATE INDEX releases_by_license ON releases (license, hardware_id);
"#
    ),
    r#"
    ALTER TABLE activations ADD COLUMN installation_key TEXT;
"#,
    r#"
    ALTER TABLE activations ADD COLUMN request_id TEXT;
    ALTER TABLE releases ADD COLUMN request_id TEXT;
    CREATE TABLE ledger_sequence (
        one_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one_row),
        last    BIGINT NOT NULL CHECK (last >= 0)
    );
    INSERT INTO ledger_sequence (last)
        SELECT (SELECT COUNT(*) FROM activations) + (SELECT COUNT(*) FROM releases);
"#,
];

/// A server's refusal or failure, for people: the server's own sentence (and its detail), a
/// lock waited for too long said as such.
pub(crate) fn server_error(e: &postgres::Error) -> StoreError {
    if e.code() == Some(&SqlState::LOCK_NOT_AVAILABLE) {
        return StoreError::Server(format!(
            "another issuer kept the ledger busy for more than {} s: try again",
            LOCK_WAIT.as_secs()
        ));
    }
    StoreError::Server(reason(e))
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> StoreError {
        server_error(&e)
    }
}

/// Connects to the ledger at `url` (`shown`: the URL as people may see it) and brings its
/// schema to [`MIGRATIONS`]' version, refusing a newer one untouched.
pub(crate) fn open(url: &str, shown: &str) -> Result<Client, StoreError> {
    let mut client = crate::db::connect(url, shown, LOCK_WAIT)?;
    let version = schema_version(&mut client).map_err(|e| StoreError::Open {
        path: shown.to_string(),
        reason: crate::db::postgres::hide_password(url, reason(&e)),
    })?;
    let known = MIGRATIONS.len() as i64;
    if let Some(found) = version.filter(|v| *v > known) {
        return Err(StoreError::NewerSchema {
            path: shown.to_string(),
            found,
            known,
        });
    }
    if version != Some(known) {
        migrate(&mut client, known, shown)?;
    }
    Ok(client)
}

/// The schema version recorded in `ledger_schema`, None before the first migration.
fn schema_version(client: &mut impl GenericClient) -> Result<Option<i64>, postgres::Error> {
    crate::db::postgres::schema_version(client, "ledger_schema")
}

/// The schema version of a connected ledger (0 before its first migration).
pub(crate) fn version(client: &mut Client) -> Result<i64, StoreError> {
    Ok(schema_version(client)?.unwrap_or(0))
}

/// Brings the ledger to schema `until`, one migration per transaction under the decision lock.
/// What the ledger holds is read under the lock too: another issuer opening the same new ledger
/// at once waits, then finds it migrated (read before the lock, its tables could appear between
/// two reads). A database holding tables but no `ledger_schema` is refused (`shown`: the URL
/// as people may see it).
pub(crate) fn migrate(client: &mut Client, until: i64, shown: &str) -> Result<(), StoreError> {
    loop {
        let mut tx = client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&DECISION_LOCK])?;
        let now = match schema_version(&mut tx)? {
            Some(version) => version,
            None => {
                let tables: i64 = tx
                    .query_one(
                        "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()",
                        &[],
                    )?
                    .try_get(0)?;
                if tables > 0 {
                    return Err(StoreError::NotAStore {
                        path: shown.to_string(),
                        reason: format!(
                            "the database already holds {tables} table(s) but no ledger_schema: give the ledger a database of its own"
                        ),
                    });
                }
                0
            }
        };
        let Some(sql) = usize::try_from(now)
            .ok()
            .filter(|_| now < until)
            .and_then(|n| MIGRATIONS.get(n))
        else {
            return Ok(());
        };
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS ledger_schema (
                one_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one_row),
                version INTEGER NOT NULL
            )",
        )?;
        tx.batch_execute(sql)?;
        let next = i32::try_from(now + 1)
            .map_err(|_| StoreError::Corrupt(format!("ledger schema {now}")))?;
        tx.execute(
            "INSERT INTO ledger_schema (version) VALUES ($1)
             ON CONFLICT (one_row) DO UPDATE SET version = EXCLUDED.version",
            &[&next],
        )?;
        tx.commit()?;
    }
}

/// A decision's transaction: READ COMMITTED, the decision lock taken first (see the module's
/// comment for why both).
pub(crate) fn decide(
    client: &mut Client,
) -> Result<RefCell<postgres::Transaction<'_>>, StoreError> {
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::ReadCommitted)
        .start()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&DECISION_LOCK])?;
    Ok(RefCell::new(tx))
}

/// Every row of `table` as text, in a stable order (tests compare dumps).
pub(crate) fn dump_table(client: &mut Client, table: &str) -> Result<Vec<String>, StoreError> {
    client
        .query(&format!("SELECT t::text FROM {table} t ORDER BY t.id"), &[])?
        .iter()
        .map(|r| Ok(r.try_get(0)?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::redact_url;

    #[test]
    fn an_unreachable_ledger_is_named_without_its_password() {
        let url = "postgres://issuer:s3cret-pw@%2Fnonexistent-licdesk-socket:5432/ledger";
        let shown = redact_url(url);
        let Err(err) = open(url, &shown) else {
            panic!("a ledger behind a missing socket was opened");
        };
        let text = err.to_string();
        assert!(matches!(err, StoreError::Open { .. }), "{err:?}");
        assert!(!text.contains("s3cret-pw"), "{text}");
        assert!(text.contains("postgres://issuer:***@"), "{text}");
    }
}
