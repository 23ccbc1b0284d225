//! One connection, two engines: the store's tables speak SQL through this module, and the same
//! statement runs on SQLite (the default, one person's store) or on PostgreSQL (a team's store).
//!
//! The shape is rusqlite's — `prepare_cached`, `query_row`, `execute`, `row.get(i)` — so each
//! table's SQL reads as it did; underneath, a statement runs on whichever engine the store was
//! opened on:
//! - **SQL**: written once, in the common subset of both engines (`ON CONFLICT … DO …`,
//!   `COALESCE`, `CASE`, `EXISTS`), numbered parameters `?1`… or plain `?`. On PostgreSQL a
//!   statement is rewritten once ([`postgres::translate`]: `$1`…; `x IN rarray(?1)` becomes
//!   `x = ANY($1)`) and kept prepared. What has no common form is chosen by [`Connection::engine`].
//! - **Values**: parameters are [`Value`]s (integers, text, lists), bound as the column's type
//!   asks (a flag is an integer 0/1 on both engines); reading a cell converts integers of any
//!   width and booleans alike ([`FromCell`]). Neither engine's coercions are relied on beyond that.
//! - **Transactions** are plain `BEGIN`/`COMMIT` statements on the connection, so a [`Tx`]
//!   borrows the store's one connection whatever the engine (`crate::Tx`).

mod connect;
pub(crate) mod postgres;
mod value;

pub(crate) use connect::connect;

use crate::StoreError;

pub(crate) use value::{FromCell, IntList, TextList, ToValue, Value};

/// Which engine a connection runs on, for the few statements that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The store's connection: an SQLite file or a PostgreSQL database.
pub(crate) enum Connection {
    Sqlite(rusqlite::Connection),
    Postgres(Box<postgres::PgConnection>),
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Connection::Sqlite(conn) => f.debug_tuple("Sqlite").field(conn).finish(),
            Connection::Postgres(_) => f.write_str("Postgres"),
        }
    }
}

/// Parameters: `params![a, b]`, each anything [`ToValue`].
macro_rules! params {
    () => { &[] as &[&dyn $crate::db::ToValue] };
    ($($p:expr),+ $(,)?) => { &[$(&$p as &dyn $crate::db::ToValue),+] as &[&dyn $crate::db::ToValue] };
}
pub(crate) use params;

/// A statement prepared (and kept) on the connection.
pub(crate) enum Statement<'c> {
    Sqlite(rusqlite::CachedStatement<'c>),
    Postgres(&'c postgres::PgConnection, ::postgres::Statement),
}

/// One row of a result.
#[derive(Clone, Copy)]
pub(crate) enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r ::postgres::Row),
}

impl<'r> Row<'r> {
    /// The cell at `index` (from 0), converted to `T`.
    pub(crate) fn get<T: FromCell>(&self, index: usize) -> Result<T, StoreError> {
        match self {
            Row::Sqlite(row) => T::from_sqlite(row, index),
            Row::Postgres(row) => T::from_postgres(row, index),
        }
    }

    /// The text cell at `index`, borrowed from the row.
    pub(crate) fn text(&self, index: usize) -> Result<&'r str, StoreError> {
        match *self {
            Row::Sqlite(row) => row
                .get_ref(index)?
                .as_str()
                .map_err(|e| StoreError::Corrupt(e.to_string())),
            Row::Postgres(row) => Ok(row.try_get(index)?),
        }
    }

    /// The cell at `index` as text for a dump (any type; NULL as `NULL`).
    pub(crate) fn shown(&self, index: usize) -> String {
        match self {
            Row::Sqlite(row) => match row.get_ref(index) {
                Ok(v) => format!("{v:?}"),
                Err(e) => format!("<{e}>"),
            },
            Row::Postgres(row) => match row.try_get::<_, Option<String>>(index) {
                Ok(Some(text)) => text,
                Ok(None) => "NULL".to_string(),
                Err(e) => format!("<{e}>"),
            },
        }
    }
}

/// The rows of a query, one at a time.
pub(crate) enum Rows<'s> {
    Sqlite(rusqlite::Rows<'s>),
    Postgres {
        rows: std::vec::IntoIter<::postgres::Row>,
        current: Option<::postgres::Row>,
    },
}

impl Rows<'_> {
    pub(crate) fn next(&mut self) -> Result<Option<Row<'_>>, StoreError> {
        match self {
            Rows::Sqlite(rows) => Ok(rows.next()?.map(Row::Sqlite)),
            Rows::Postgres { rows, current } => {
                *current = rows.next();
                Ok(current.as_ref().map(Row::Postgres))
            }
        }
    }
}

impl Connection {
    pub(crate) fn engine(&self) -> Engine {
        match self {
            Connection::Sqlite(_) => Engine::Sqlite,
            Connection::Postgres(_) => Engine::Postgres,
        }
    }

    /// The SQLite connection (None on PostgreSQL): what only SQLite has (pragmas, checkpoints).
    pub(crate) fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Connection::Sqlite(conn) => Some(conn),
            Connection::Postgres(_) => None,
        }
    }

    /// `sql` prepared once and kept for the connection's life.
    pub(crate) fn prepare_cached(&self, sql: &str) -> Result<Statement<'_>, StoreError> {
        match self {
            Connection::Sqlite(conn) => Ok(Statement::Sqlite(conn.prepare_cached(sql)?)),
            Connection::Postgres(pg) => Ok(Statement::Postgres(pg, pg.prepare_cached(sql)?)),
        }
    }

    /// Runs one statement; the number of rows it changed.
    pub(crate) fn execute(&self, sql: &str, params: &[&dyn ToValue]) -> Result<usize, StoreError> {
        self.prepare_cached(sql)?.execute(params)
    }

    /// Runs statements without parameters, separated by `;` (migrations, savepoints).
    pub(crate) fn execute_batch(&self, sql: &str) -> Result<(), StoreError> {
        match self {
            Connection::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Connection::Postgres(pg) => pg.batch(sql),
        }
    }

    /// The first row's value, an error when there is none.
    pub(crate) fn query_row<T>(
        &self,
        sql: &str,
        params: &[&dyn ToValue],
        map: impl FnOnce(&Row<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.prepare_cached(sql)?.query_row(params, map)
    }

    /// Starts a write transaction. SQLite: `BEGIN IMMEDIATE`, the file's write lock taken at
    /// once. PostgreSQL: READ COMMITTED with the store's write lock ([`postgres::WRITE_LOCK`],
    /// an advisory lock held to the end): the writers of one store run one after the other, as
    /// on SQLite, each reading what the previous one committed; readers never wait.
    pub(crate) fn begin_writing(&self) -> Result<(), StoreError> {
        match self {
            Connection::Sqlite(conn) => Ok(conn
                .prepare_cached("BEGIN IMMEDIATE")?
                .execute([])
                .map(drop)?),
            Connection::Postgres(pg) => pg.begin_writing(),
        }
    }

    /// Starts a read transaction: everything read until [`Connection::end`] sees one snapshot.
    pub(crate) fn begin_reading(&self) -> Result<(), StoreError> {
        match self {
            Connection::Sqlite(conn) => Ok(conn.prepare_cached("BEGIN")?.execute([]).map(drop)?),
            Connection::Postgres(pg) => pg.batch("BEGIN ISOLATION LEVEL REPEATABLE READ"),
        }
    }

    /// Ends the transaction: commits it, or rolls it back.
    pub(crate) fn end(&self, commit: bool) -> Result<(), StoreError> {
        let sql = if commit { "COMMIT" } else { "ROLLBACK" };
        match self {
            Connection::Sqlite(conn) => Ok(conn.prepare_cached(sql)?.execute([]).map(drop)?),
            Connection::Postgres(pg) => pg.batch(sql),
        }
    }

    /// Whether the connection is outside any transaction.
    pub(crate) fn is_autocommit(&self) -> bool {
        match self {
            Connection::Sqlite(conn) => conn.is_autocommit(),
            Connection::Postgres(pg) => !pg.in_transaction(),
        }
    }
}

impl Statement<'_> {
    pub(crate) fn execute(&mut self, params: &[&dyn ToValue]) -> Result<usize, StoreError> {
        match self {
            Statement::Sqlite(stmt) => Ok(stmt.execute(value::sqlite_params(params))?),
            Statement::Postgres(pg, stmt) => pg.execute(stmt, params),
        }
    }

    pub(crate) fn query(&mut self, params: &[&dyn ToValue]) -> Result<Rows<'_>, StoreError> {
        match self {
            Statement::Sqlite(stmt) => Ok(Rows::Sqlite(stmt.query(value::sqlite_params(params))?)),
            Statement::Postgres(pg, stmt) => Ok(Rows::Postgres {
                rows: pg.query(stmt, params)?.into_iter(),
                current: None,
            }),
        }
    }

    /// The first row mapped, None when there is none.
    pub(crate) fn query_opt<T>(
        &mut self,
        params: &[&dyn ToValue],
        map: impl FnOnce(&Row<'_>) -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        let mut rows = self.query(params)?;
        match rows.next()? {
            Some(row) => Ok(Some(map(&row)?)),
            None => Ok(None),
        }
    }

    /// The first row mapped; no row is an error (the statement always returns one).
    pub(crate) fn query_row<T>(
        &mut self,
        params: &[&dyn ToValue],
        map: impl FnOnce(&Row<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.query_opt(params, map)?
            .ok_or_else(|| StoreError::Corrupt("a query that returns a row returned none".into()))
    }
}
