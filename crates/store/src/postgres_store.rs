//! A store on PostgreSQL: a team's store, shared by the staff's desks and read by monitoring.
//!
//! - **Schema**: the same versions as SQLite's ([`SCHEMA_VERSION`]), kept in `store_schema`. A
//!   new database is given the current schema whole (`schema/postgres.sql`, the PostgreSQL form
//!   of SQLite's migrated schema) in one transaction; an older one (from schema 13, the first on
//!   PostgreSQL) is upgraded in one transaction; a newer schema is refused untouched; a
//!   database holding other tables is refused (a store has a database of its own).
//! - **Writes**: READ COMMITTED under the store's advisory write lock (`db::postgres`), so the
//!   writers of one store run one after the other, as on SQLite.
//! - **Monitoring** ([`Store::open_postgres_read_only`]): a read-only session, one snapshot
//!   (REPEATABLE READ, READ ONLY) for everything it reads; a role with `SELECT` alone is enough.

use std::time::Duration;

use postgres::{Client, GenericClient};

use crate::db::postgres::reason;
use crate::db::postgres::{self as pg, PgConnection, WRITE_LOCK};
use crate::db::Connection;
use crate::schema::{self, OLDEST_READABLE_SCHEMA, SCHEMA_VERSION};
use crate::{tables, Store, StoreError, StoreLocation};

/// The store's schema on PostgreSQL, as SQLite's after all its migrations.
const SCHEMA: &str = include_str!("schema/postgres.sql");

/// How long a writer waits for another's write lock, as SQLite's busy timeout.
const LOCK_WAIT: Duration = Duration::from_secs(10);

impl Store {
    /// Opens (creating if needed) the store at `location`: an SQLite file ([`Store::open`]) or
    /// a PostgreSQL database ([`Store::open_postgres`]).
    pub fn open_at(location: &StoreLocation) -> Result<Store, StoreError> {
        match location {
            StoreLocation::Sqlite(path) => Store::open(path),
            StoreLocation::Postgres(url) => Store::open_postgres(url, &location.redacted()),
        }
    }

    /// Opens the existing store at `location` for reading only, as monitoring does
    /// ([`Store::open_read_only`], [`Store::open_postgres_read_only`]).
    pub fn open_read_only_at(location: &StoreLocation) -> Result<Store, StoreError> {
        match location {
            StoreLocation::Sqlite(path) => Store::open_read_only(path),
            StoreLocation::Postgres(url) => {
                Store::open_postgres_read_only(url, &location.redacted())
            }
        }
    }

    /// Connects to the store at `url` (`shown`: the URL as people may see it, without its
    /// password), creating its schema in an empty database; refuses a newer schema untouched.
    pub fn open_postgres(url: &str, shown: &str) -> Result<Store, StoreError> {
        let mut client = crate::db::connect(url, shown, LOCK_WAIT)?;
        let open_error = |e: postgres::Error| StoreError::Open {
            path: shown.to_string(),
            reason: pg::hide_password(url, reason(&e)),
        };
        match schema_version(&mut client).map_err(open_error)? {
            Some(found) if found > SCHEMA_VERSION => {
                return Err(StoreError::NewerSchema {
                    path: shown.to_string(),
                    found,
                    known: SCHEMA_VERSION,
                })
            }
            Some(found) if found == SCHEMA_VERSION => {}
            Some(_) => upgrade_schema(&mut client, shown)?,
            None => create_schema(&mut client, shown)?,
        }
        Store::ready(Connection::Postgres(Box::new(PgConnection::new(client))))
    }

    /// Opens the store at `url` for reading only, as monitoring does: nothing is created or
    /// written (the session is read-only), and everything read is one snapshot, held until the
    /// store is closed. A database without a store, a store with tables missing, and a store
    /// of another schema than this License Desk's are refused, naming what is wrong.
    pub fn open_postgres_read_only(url: &str, shown: &str) -> Result<Store, StoreError> {
        let mut client = crate::db::connect(url, shown, LOCK_WAIT)?;
        let open_error = |e: postgres::Error| StoreError::Open {
            path: shown.to_string(),
            reason: pg::hide_password(url, reason(&e)),
        };
        client
            .batch_execute(
                "SET default_transaction_read_only = on;
                 BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
            )
            .map_err(open_error)?;
        let not_a_store = |reason: String| StoreError::NotAStore {
            path: shown.to_string(),
            reason,
        };
        let version = match schema_version(&mut client).map_err(open_error)? {
            None => {
                return Err(not_a_store(
                    "the database holds no License Desk store".into(),
                ))
            }
            Some(v) if v > SCHEMA_VERSION => {
                return Err(StoreError::NewerSchema {
                    path: shown.to_string(),
                    found: v,
                    known: SCHEMA_VERSION,
                })
            }
            Some(v) if v < OLDEST_READABLE_SCHEMA => {
                return Err(not_a_store(format!("it has schema {v}")))
            }
            Some(v) => v,
        };
        let conn = PgConnection::new(client);
        conn.mark_in_transaction();
        let store = Store {
            conn: Connection::Postgres(Box::new(conn)),
            writes_file: false,
            names: tables::KeptNames::default(),
            actor: None,
        };
        store.check_tables(version)?;
        Ok(store)
    }
}

/// The schema version recorded in `store_schema`, None before the first migration.
fn schema_version(client: &mut impl GenericClient) -> Result<Option<i64>, postgres::Error> {
    crate::db::postgres::schema_version(client, "store_schema")
}

/// Takes a store of an older schema to the current one ([`schema::POSTGRES_MIGRATIONS`]), in one
/// transaction under the write lock: two desks opening it at once upgrade it once, and a step
/// that fails leaves it as it was. Monitoring reads the older schema meanwhile.
fn upgrade_schema(client: &mut Client, shown: &str) -> Result<(), StoreError> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
    let found = match schema_version(&mut tx)? {
        // Upgraded (or made) by another desk while this one waited.
        Some(found) if found >= SCHEMA_VERSION => return Ok(()),
        Some(found) if found >= schema::POSTGRES_FIRST_SCHEMA => found,
        found => {
            return Err(StoreError::NotAStore {
                path: shown.to_string(),
                reason: format!(
                    "it has schema {}, which this License Desk cannot upgrade on PostgreSQL",
                    found.unwrap_or(0)
                ),
            })
        }
    };
    let first = (found - schema::POSTGRES_FIRST_SCHEMA) as usize;
    for step in &schema::POSTGRES_MIGRATIONS[first..] {
        tx.batch_execute(step)?;
    }
    let version = i32::try_from(SCHEMA_VERSION)
        .map_err(|_| StoreError::Corrupt(format!("schema {SCHEMA_VERSION}")))?;
    tx.execute("UPDATE store_schema SET version = $1", &[&version])?;
    tx.commit()?;
    Ok(())
}

/// Gives an empty database the current schema, in one transaction under the write lock: two
/// desks opening a new store at once both find it made, once. A database that holds tables
/// but no store is refused.
fn create_schema(client: &mut Client, shown: &str) -> Result<(), StoreError> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
    match schema_version(&mut tx)? {
        Some(found) if found > SCHEMA_VERSION => {
            return Err(StoreError::NewerSchema {
                path: shown.to_string(),
                found,
                known: SCHEMA_VERSION,
            })
        }
        Some(found) if found == SCHEMA_VERSION => return Ok(()),
        Some(found) => {
            return Err(StoreError::NotAStore {
                path: shown.to_string(),
                reason: format!(
                    "it has schema {found}, which this License Desk cannot upgrade on PostgreSQL"
                ),
            })
        }
        None => {}
    }
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
                "the database already holds {tables} table(s) but no store_schema: give the store a database of its own"
            ),
        });
    }
    tx.batch_execute(SCHEMA)?;
    tx.batch_execute(
        "CREATE TABLE store_schema (
             one_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one_row),
             version INTEGER NOT NULL
         )",
    )?;
    let version = i32::try_from(SCHEMA_VERSION)
        .map_err(|_| StoreError::Corrupt(format!("schema {SCHEMA_VERSION}")))?;
    tx.execute(
        "INSERT INTO store_schema (version) VALUES ($1)",
        &[&version],
    )?;
    tx.commit()?;
    Ok(())
}
