//! Where a store or a ledger lives: a PostgreSQL URL (`postgres://…`, `postgresql://…`) or,
//! anything else, the path of an SQLite file. A URL is named to people only with its password
//! replaced by `***`.

use std::path::{Path, PathBuf};

/// A database's place, as given with `--store` or `--ledger`.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    /// An SQLite file: one person's store, one vendor desk's ledger (the default).
    Sqlite(PathBuf),
    /// A PostgreSQL database a team shares; the URL as given (with its password).
    Postgres(String),
}

/// Where the vendor's ledger lives (`licdesk-issuer --ledger`).
pub type LedgerLocation = Location;

/// Where a desk's store lives (`licdesk --store`, `LICDESK_STORE`).
pub type StoreLocation = Location;

const SCHEMES: [&str; 2] = ["postgres://", "postgresql://"];

impl Location {
    /// Where `given` says: a URL starting with `postgres://` or `postgresql://` names a PostgreSQL ledger; anything
    /// else is the path of an SQLite file (a path that is not UTF-8 too).
    pub fn of(given: &Path) -> LedgerLocation {
        match given.to_str() {
            Some(text) if SCHEMES.iter().any(|s| starts_with_ignoring_case(text, s)) => {
                Location::Postgres(text.to_string())
            }
            _ => Location::Sqlite(given.to_path_buf()),
        }
    }

    /// The file an SQLite database is kept in (None for a PostgreSQL database, which has no
    /// file on this machine for an output to overwrite).
    pub fn file(&self) -> Option<&Path> {
        match self {
            Location::Sqlite(path) => Some(path),
            Location::Postgres(_) => None,
        }
    }

    /// The location as people may see it: a URL with its password replaced by `***`.
    pub fn redacted(&self) -> String {
        match self {
            Location::Sqlite(path) => path.display().to_string(),
            Location::Postgres(url) => redact_url(url),
        }
    }
}

/// Never the password, not even in a debug print.
impl std::fmt::Debug for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            Location::Postgres(_) => f.debug_tuple("Postgres").field(&self.redacted()).finish(),
        }
    }
}

fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// `text` with its `%XX` escapes decoded (a socket folder: `%2Frun%2Fpostgresql`), for a name
/// people read; what is not UTF-8 once decoded is shown replaced.
pub fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `url` with the password of its user information (`user:password@`) and of a `password=`
/// parameter replaced by `***`. The user information ends at the last `@`: a password may hold
/// characters a URL should have encoded (`/`, `?`, `#`), and cutting at the last `@` hides too
/// much rather than too little when a parameter's value holds one.
pub(crate) fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let (head, rest) = url.split_at(scheme_end);
    let mut out = String::from(head);
    let rest = match rest.rfind('@') {
        Some(at) => {
            let (userinfo, after) = rest.split_at(at);
            match userinfo.find(':') {
                Some(colon) => {
                    out.push_str(&userinfo[..colon]);
                    out.push_str(":***");
                }
                None => out.push_str(userinfo),
            }
            after
        }
        None => rest,
    };
    match rest.find('?') {
        Some(q) => {
            out.push_str(&rest[..=q]);
            let params: Vec<String> = rest[q + 1..]
                .split('&')
                .map(|p| match p.split_once('=') {
                    Some((name, _)) if name.eq_ignore_ascii_case("password") => {
                        format!("{name}=***")
                    }
                    _ => p.to_string(),
                })
                .collect();
            out.push_str(&params.join("&"));
        }
        None => out.push_str(rest),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(given: &str, shown: &str) {
        assert_eq!(Location::of(Path::new(given)).redacted(), shown, "{given}");
    }

    #[test]
    fn a_urls_password_is_never_shown() {
        check(
            "postgres://issuer:s3cret@db.example:5432/ledger",
            "postgres://issuer:***@db.example:5432/ledger",
        );
        check(
            "postgresql://issuer:p%40ss@%2Frun%2Fpg:5432/ledger?sslmode=require",
            "postgresql://issuer:***@%2Frun%2Fpg:5432/ledger?sslmode=require",
        );
        check(
            "postgres://issuer@db/ledger?password=s3cret&sslmode=disable",
            "postgres://issuer@db/ledger?password=***&sslmode=disable",
        );
        check("POSTGRES://a:b/c?d@db/ledger", "POSTGRES://a:***@db/ledger");
        check("postgres://db/ledger", "postgres://db/ledger");
        check("postgresql://:only@db/l", "postgresql://:***@db/l");
    }

    #[test]
    fn the_password_appears_in_no_debug_print() {
        let at = Location::of(Path::new("postgres://u:s3cret@h/l"));
        assert!(!format!("{at:?}").contains("s3cret"), "{at:?}");
    }

    #[test]
    fn anything_but_a_postgresql_url_is_an_sqlite_file() {
        for path in [
            "ledger.sqlite",
            "/srv/postgres/ledger",
            "postgres:ledger",
            "mysql://h/l",
        ] {
            assert_eq!(
                Location::of(Path::new(path)),
                Location::Sqlite(PathBuf::from(path))
            );
            assert_eq!(Location::of(Path::new(path)).redacted(), path);
        }
        assert!(Location::of(Path::new("postgresql://h/l")).file().is_none());
    }
}
