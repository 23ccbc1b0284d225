//! The store's connection on PostgreSQL: the driver's client, the statements it prepared, and
//! the rewriting of the store's SQL into PostgreSQL's.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use postgres::{Client, Config, GenericClient, Statement};

use super::value::ToValue;
use crate::StoreError;

/// The advisory lock every write transaction of a store holds until it ends ("licdeskS" in
/// ASCII; a store's database is its own).
pub(crate) const WRITE_LOCK: i64 = 0x6c69_6364_6573_6b53;

/// A client and its prepared statements, used through `&self` as rusqlite's connection is (one
/// thread at a time: the store is not shared between threads).
pub(crate) struct PgConnection {
    client: RefCell<Client>,
    statements: RefCell<HashMap<String, Statement>>,
    in_transaction: Cell<bool>,
}

impl PgConnection {
    pub(crate) fn new(client: Client) -> PgConnection {
        PgConnection {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            in_transaction: Cell::new(false),
        }
    }

    /// See [`super::Connection::begin_writing`].
    pub(crate) fn begin_writing(&self) -> Result<(), StoreError> {
        self.batch(&format!(
            "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock({WRITE_LOCK})"
        ))
    }

    /// The connection was put inside a transaction by its client directly (a read-only store
    /// holds one snapshot from its opening).
    pub(crate) fn mark_in_transaction(&self) {
        self.in_transaction.set(true);
    }

    pub(crate) fn in_transaction(&self) -> bool {
        self.in_transaction.get()
    }

    /// `sql` (the store's dialect) rewritten for PostgreSQL and prepared, once per connection.
    pub(crate) fn prepare_cached(&self, sql: &str) -> Result<Statement, StoreError> {
        if let Some(stmt) = self.statements.borrow().get(sql) {
            return Ok(stmt.clone());
        }
        let stmt = self.client.borrow_mut().prepare(&translate(sql))?;
        self.statements
            .borrow_mut()
            .insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }

    pub(crate) fn execute(
        &self,
        stmt: &Statement,
        params: &[&dyn ToValue],
    ) -> Result<usize, StoreError> {
        let values = values(params);
        let changed = self.client.borrow_mut().execute(stmt, &refs(&values))?;
        Ok(usize::try_from(changed).unwrap_or(usize::MAX))
    }

    pub(crate) fn query(
        &self,
        stmt: &Statement,
        params: &[&dyn ToValue],
    ) -> Result<Vec<postgres::Row>, StoreError> {
        let values = values(params);
        Ok(self.client.borrow_mut().query(stmt, &refs(&values))?)
    }

    /// Statements without parameters; `BEGIN`, `COMMIT` and `ROLLBACK` are followed so that
    /// [`PgConnection::in_transaction`] says where the connection is.
    pub(crate) fn batch(&self, sql: &str) -> Result<(), StoreError> {
        let result = self.client.borrow_mut().batch_execute(sql);
        let first = sql.split_whitespace().next().unwrap_or("");
        if first.eq_ignore_ascii_case("BEGIN") || first.eq_ignore_ascii_case("START") {
            self.in_transaction.set(result.is_ok());
        } else if first.eq_ignore_ascii_case("COMMIT") || first.eq_ignore_ascii_case("ROLLBACK") {
            // ROLLBACK TO a savepoint stays inside the transaction.
            let to_savepoint = sql
                .split_whitespace()
                .nth(1)
                .is_some_and(|w| w.eq_ignore_ascii_case("TO"));
            if !to_savepoint {
                self.in_transaction.set(false);
            }
        }
        Ok(result?)
    }
}

/// The schema version recorded in `table` (a store's `store_schema`, a ledger's `ledger_schema`,
/// one row); None where the table is not there. Read from pg_tables with the statement's
/// snapshot: `to_regclass` looks in the session's catalog cache, which an advisory lock does not
/// refresh, so after waiting for another's migration it could still say the table is missing.
pub(crate) fn schema_version(
    client: &mut impl GenericClient,
    table: &'static str,
) -> Result<Option<i64>, postgres::Error> {
    let exists: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_tables
                            WHERE schemaname = current_schema() AND tablename = $1)",
            &[&table],
        )?
        .try_get(0)?;
    if !exists {
        return Ok(None);
    }
    let version: Option<i32> = client
        .query_opt(&format!("SELECT version FROM {table}"), &[])?
        .map(|r| r.try_get(0))
        .transpose()?;
    Ok(Some(version.map_or(0, i64::from)))
}

/// A server's refusal or failure, for people: the server's own sentence (and its detail), or
/// the driver's and what caused it.
pub(crate) fn reason(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_string(),
        },
        // The driver's own sentence and what caused it (a TLS refusal says why: an
        // untrusted certificate, a name that does not match).
        None => {
            let mut text = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(cause) = source {
                let said = cause.to_string();
                if !text.contains(&said) {
                    text.push_str(": ");
                    text.push_str(&said);
                }
                source = cause.source();
            }
            text
        }
    }
}

/// `reason` without the URL's password, should a driver's message ever quote it.
pub(crate) fn hide_password(url: &str, reason: String) -> String {
    let Ok(config) = url.parse::<Config>() else {
        return reason;
    };
    match config
        .get_password()
        .and_then(|p| std::str::from_utf8(p).ok())
    {
        Some(password) if !password.is_empty() && reason.contains(password) => {
            reason.replace(password, "***")
        }
        _ => reason,
    }
}

fn values<'a>(params: &'a [&'a dyn ToValue]) -> Vec<super::Value<'a>> {
    params.iter().map(|p| p.value()).collect()
}

fn refs<'a>(values: &'a [super::Value<'a>]) -> Vec<&'a (dyn postgres::types::ToSql + Sync)> {
    values
        .iter()
        .map(|v| v as &(dyn postgres::types::ToSql + Sync))
        .collect()
}

/// The store's SQL as PostgreSQL reads it. Quoted text, quoted names and comments are copied as
/// they are; elsewhere:
/// - parameters `?1`, `?` become `$1`, `$n` (a plain `?` takes the number after the highest
///   used so far, as SQLite counts);
/// - `IN rarray(?n)`, SQLite's list parameter, becomes `= ANY($n)`;
/// - SQLite's scalar `MAX(a, b)` and `MIN(a, b)` (two arguments or more) become `GREATEST` and
///   `LEAST` (the aggregates, one argument, stay);
/// - `unixepoch(t)` becomes `licdesk_unixepoch(t)` (the store's schema defines it);
/// - `INDEXED BY name`, SQLite's choice of an index, is dropped (PostgreSQL's planner picks);
/// - `OR FAIL` after `INSERT` or `UPDATE`, SQLite's conflict resolution, is dropped (a statement
///   PostgreSQL refuses is undone whole).
pub(crate) fn translate(sql: &str) -> String {
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 8);
    let mut highest = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\'' | b'"' => {
                let end = closing_quote(bytes, i);
                out.push_str(&sql[i..end]);
                i = end;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                let end = sql[i..].find('\n').map_or(bytes.len(), |n| i + n);
                out.push_str(&sql[i..end]);
                i = end;
            }
            b'?' => {
                let digits = bytes[i + 1..]
                    .iter()
                    .take_while(|d| d.is_ascii_digit())
                    .count();
                let number = if digits == 0 {
                    highest + 1
                } else {
                    sql[i + 1..i + 1 + digits].parse().unwrap_or(0)
                };
                highest = highest.max(number);
                out.push('$');
                out.push_str(&number.to_string());
                i += 1 + digits;
            }
            _ if starts_word(sql, i, "IN rarray(") => {
                out.push_str("= ANY(");
                i += "IN rarray(".len();
            }
            _ if starts_word(sql, i, "MAX(") || starts_word(sql, i, "MIN(") => {
                let scalar = has_top_level_comma(&bytes[i + 4..]);
                out.push_str(match (scalar, bytes[i + 1].to_ascii_uppercase()) {
                    (false, _) => &sql[i..i + 4],
                    (true, b'A') => "GREATEST(",
                    (true, _) => "LEAST(",
                });
                i += 4;
            }
            _ if starts_word(sql, i, "unixepoch(") => {
                out.push_str("licdesk_unixepoch(");
                i += "unixepoch(".len();
            }
            _ if starts_word(sql, i, "OR FAIL ") => i += "OR FAIL ".len(),
            _ if starts_word(sql, i, "INDEXED BY ") => {
                i += "INDEXED BY ".len();
                while bytes
                    .get(i)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
                {
                    i += 1;
                }
            }
            _ => {
                let len = utf8_len(b);
                out.push_str(&sql[i..i + len]);
                i += len;
            }
        }
    }
    out
}

/// Whether the arguments from here to the closing parenthesis hold a comma outside any inner
/// parentheses (a function called with more than one argument).
fn has_top_level_comma(bytes: &[u8]) -> bool {
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' | b'"' => {
                i = closing_quote(bytes, i);
                continue;
            }
            b'(' => depth += 1,
            b')' if depth == 0 => return false,
            b')' => depth -= 1,
            b',' if depth == 0 => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// The end (exclusive) of the quoted text starting at `start`; a doubled quote stays inside.
fn closing_quote(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        if bytes[i] == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

fn starts_word(sql: &str, i: usize, word: &str) -> bool {
    let before_ok = i == 0 || !sql.as_bytes()[i - 1].is_ascii_alphanumeric();
    before_ok
        && sql
            .get(i..i + word.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(word))
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::translate;

    #[test]
    fn a_password_a_driver_quotes_is_hidden() {
        let url = "postgres://u:hunter2@h/l";
        assert_eq!(
            super::hide_password(url, "bad password hunter2 here".into()),
            "bad password *** here"
        );
    }

    #[test]
    fn parameters_are_numbered_as_sqlite_numbers_them() {
        assert_eq!(
            translate("SELECT a FROM t WHERE b = ?1 AND c = ?2 LIMIT ?"),
            "SELECT a FROM t WHERE b = $1 AND c = $2 LIMIT $3"
        );
        assert_eq!(translate("VALUES (?, ?, ?1)"), "VALUES ($1, $2, $1)");
        assert_eq!(translate("x = ?12"), "x = $12");
    }

    #[test]
    fn quoted_text_names_and_comments_are_left_alone() {
        assert_eq!(
            translate("SELECT '?1 it''s', \"a?\" -- why?\n FROM t WHERE x = ?1"),
            "SELECT '?1 it''s', \"a?\" -- why?\n FROM t WHERE x = $1"
        );
        assert_eq!(
            translate("SELECT 'Müller ?' || ?1"),
            "SELECT 'Müller ?' || $1"
        );
    }

    #[test]
    fn a_list_parameter_becomes_any() {
        assert_eq!(
            translate("SELECT x FROM t WHERE base_license IN rarray(?1) ORDER BY 1"),
            "SELECT x FROM t WHERE base_license = ANY($1) ORDER BY 1"
        );
        assert_eq!(
            translate("SELECT JOIN rarray(?1)"),
            "SELECT JOIN rarray($1)"
        );
    }

    #[test]
    fn sqlite_only_functions_and_index_choices_become_postgresqls() {
        assert_eq!(
            translate(
                "SET a = MAX(a, excluded.a), b = MIN(f(b, 1), ?2), c = (SELECT MAX(x) FROM t)"
            ),
            "SET a = GREATEST(a, excluded.a), b = LEAST(f(b, 1), $2), c = (SELECT MAX(x) FROM t)"
        );
        assert_eq!(
            translate("SELECT COUNT(*), MIN(coalesce(a, 'x,y')) FROM t"),
            "SELECT COUNT(*), MIN(coalesce(a, 'x,y')) FROM t"
        );
        assert_eq!(
            translate("WHERE unixepoch(until) - unixepoch(since) > ?2"),
            "WHERE licdesk_unixepoch(until) - licdesk_unixepoch(since) > $2"
        );
        assert_eq!(
            translate("FROM base_licenses INDEXED BY base_licenses_by_customer ORDER BY 1"),
            "FROM base_licenses  ORDER BY 1"
        );
        assert_eq!(
            translate("INSERT OR FAIL INTO t (a) VALUES (?1)"),
            "INSERT INTO t (a) VALUES ($1)"
        );
        assert_eq!(
            translate("UPDATE OR FAIL t SET a = 'OR FAIL ' WHERE b = ?1 OR failed"),
            "UPDATE t SET a = 'OR FAIL ' WHERE b = $1 OR failed"
        );
    }
}
