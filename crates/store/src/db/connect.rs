//! Connecting to PostgreSQL as its own clients do: a URL with libpq's options, TLS that always
//! checks the server's certificate, and a password from the URL, `PGPASSWORD` or the password
//! file (`~/.pgpass`, `PGPASSFILE`) when the URL has none.
//!
//! URL options read here (the driver reads the rest: `user`, `host`, `port`, `dbname`,
//! `password`, `connect_timeout`, `application_name`, …):
//! - `sslmode` (ignored over a local socket, which never uses TLS): `disable` (never TLS), `prefer` (the default: TLS when the server offers it),
//!   `require`, `verify-ca`, `verify-full` (TLS or no connection). Unlike libpq, whenever TLS
//!   is used the server's certificate is checked — its chain against the trusted roots and its
//!   name against the host — as `verify-full` does: an encrypted connection to a server nobody
//!   vouched for protects no password.
//! - `sslrootcert`: a PEM file of the roots to trust (a team's own CA); without it, the
//!   operating system's trusted roots.
//!
//! Passwords go to the server as PostgreSQL asks: SCRAM-SHA-256 (channel-bound over TLS) or,
//! where a server still asks for it, MD5 or clear text — the latter only over TLS, say the docs.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use postgres::config::{Host, SslMode};
use postgres::{Client, Config, NoTls};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use tokio_postgres_rustls::MakeRustlsConnect;

use super::postgres::{hide_password, reason};
use crate::location::percent_decoded;
use crate::StoreError;

/// Connects to the database at `url` (`shown`: the URL as people may see it): a lock held by
/// another connection is waited for at most `lock_wait`.
pub(crate) fn connect(url: &str, shown: &str, lock_wait: Duration) -> Result<Client, StoreError> {
    let open_error = |reason: String| StoreError::Open {
        path: shown.to_string(),
        reason: hide_password(url, reason),
    };
    let options = UrlOptions::take_from(url).map_err(&open_error)?;
    let mut config: Config = options
        .rest
        .parse()
        .map_err(|e: postgres::Error| open_error(format!("the URL is not valid: {e}")))?;
    config.ssl_mode(options.ssl_mode);
    if config.get_password().is_none() {
        if let Some(password) = password_from_environment(&config) {
            config.password(password);
        }
    }
    // Over a local socket PostgreSQL never uses TLS (libpq ignores `sslmode` there too).
    let socket_only = config
        .get_hosts()
        .iter()
        .all(|h| !matches!(h, Host::Tcp(_)));
    let mut client = match options.ssl_mode {
        SslMode::Disable => config.connect(NoTls),
        _ if socket_only => config.connect(NoTls),
        _ => config.connect(tls(options.root_cert.as_deref()).map_err(&open_error)?),
    }
    .map_err(|e| open_error(reason(&e)))?;
    client
        .batch_execute(&format!("SET lock_timeout = '{}s'", lock_wait.as_secs()))
        .map_err(|e| open_error(reason(&e)))?;
    Ok(client)
}

/// What this module reads from a URL's parameters, and the URL without them for the driver.
struct UrlOptions {
    ssl_mode: SslMode,
    root_cert: Option<PathBuf>,
    rest: String,
}

impl UrlOptions {
    fn take_from(url: &str) -> Result<UrlOptions, String> {
        let (base, query) = match url.split_once('?') {
            Some((base, query)) => (base, query),
            None => (url, ""),
        };
        let mut options = UrlOptions {
            ssl_mode: SslMode::Prefer,
            root_cert: None,
            rest: base.to_string(),
        };
        let mut kept = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            match name {
                "sslmode" => {
                    options.ssl_mode = match value {
                        "disable" => SslMode::Disable,
                        "prefer" | "allow" => SslMode::Prefer,
                        "require" | "verify-ca" | "verify-full" => SslMode::Require,
                        other => {
                            return Err(format!(
                                "sslmode={other} is not known: use disable, prefer, require, verify-ca or verify-full"
                            ))
                        }
                    }
                }
                "sslrootcert" => options.root_cert = Some(PathBuf::from(percent_decoded(value))),
                _ => kept.push(pair),
            }
        }
        if !kept.is_empty() {
            options.rest.push('?');
            options.rest.push_str(&kept.join("&"));
        }
        Ok(options)
    }
}

/// TLS that checks the server's certificate against `root_cert` (a PEM file) or, without one,
/// the operating system's trusted roots.
fn tls(root_cert: Option<&Path>) -> Result<MakeRustlsConnect, String> {
    let mut roots = rustls::RootCertStore::empty();
    match root_cert {
        Some(path) => {
            let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
                .map_err(|e| format!("sslrootcert {}: {e}", path.display()))?
                .collect::<Result<_, _>>()
                .map_err(|e| format!("sslrootcert {}: {e}", path.display()))?;
            if certs.is_empty() {
                return Err(format!(
                    "sslrootcert {} holds no certificate",
                    path.display()
                ));
            }
            for cert in certs {
                roots
                    .add(cert)
                    .map_err(|e| format!("sslrootcert {}: {e}", path.display()))?;
            }
        }
        None => {
            for cert in rustls_native_certs::load_native_certs().certs {
                // A root the system holds but rustls cannot read is left out, as browsers do.
                let _ = roots.add(cert);
            }
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS cannot be set up: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

/// The password for `config`'s connection from `PGPASSWORD`, else from the password file, as
/// libpq finds it.
fn password_from_environment(config: &Config) -> Option<String> {
    if let Some(password) = std::env::var_os("PGPASSWORD").and_then(|p| p.into_string().ok()) {
        return Some(password);
    }
    let file = match std::env::var_os("PGPASSFILE") {
        Some(file) => PathBuf::from(file),
        None => default_password_file()?,
    };
    let text = read_private(&file)?;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        // libpq: "localhost" matches a connection over the default socket folder; any
        // socket folder is matched by that name or by its path.
        #[cfg(unix)]
        Some(Host::Unix(path)) => path.to_string_lossy().into_owned(),
        None => "localhost".to_string(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let user = config.get_user().unwrap_or_default();
    let dbname = config.get_dbname().unwrap_or(user);
    let is_socket = host.starts_with('/');
    password_in(&text, |fields| {
        let host_matches =
            fields[0] == "*" || fields[0] == host || (is_socket && fields[0] == "localhost");
        host_matches
            && (fields[1] == "*" || fields[1] == port)
            && (fields[2] == "*" || fields[2] == dbname)
            && (fields[3] == "*" || fields[3] == user)
    })
}

fn default_password_file() -> Option<PathBuf> {
    if cfg!(windows) {
        Some(dirs::config_dir()?.join("postgresql").join("pgpass.conf"))
    } else {
        Some(dirs::home_dir()?.join(".pgpass"))
    }
}

/// The password file's text; None when it is missing, or when others may read it (libpq
/// ignores such a file too: a password readable by all is not kept secret).
fn read_private(file: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            return None;
        }
    }
    std::fs::read_to_string(file).ok()
}

/// The password of the first line of a password file (`host:port:database:user:password`,
/// `\:` and `\\` escaped) whose four first fields `matches`.
fn password_in(text: &str, matches: impl Fn(&[String; 4]) -> bool) -> Option<String> {
    for line in text.lines() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let mut fields: Vec<String> = vec![String::new()];
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    if let Some(next) = chars.next() {
                        fields.last_mut()?.push(next);
                    }
                }
                ':' if fields.len() < 5 => fields.push(String::new()),
                c => fields.last_mut()?.push(c),
            }
        }
        if fields.len() != 5 {
            continue;
        }
        let password = fields.pop()?;
        let first: [String; 4] = fields.try_into().ok()?;
        if matches(&first) {
            return Some(password);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tls_options_are_read_and_the_rest_left_to_the_driver() {
        let o = UrlOptions::take_from(
            "postgres://u@db/s?sslmode=verify-full&application_name=x&sslrootcert=%2Fetc%2Fca.pem",
        )
        .unwrap();
        assert_eq!(o.ssl_mode, SslMode::Require);
        assert_eq!(o.root_cert, Some(PathBuf::from("/etc/ca.pem")));
        assert_eq!(o.rest, "postgres://u@db/s?application_name=x");
        let o = UrlOptions::take_from("postgres://u@db/s").unwrap();
        assert_eq!(o.ssl_mode, SslMode::Prefer);
        assert_eq!(o.rest, "postgres://u@db/s");
        assert!(UrlOptions::take_from("postgres://db/s?sslmode=sometimes")
            .err()
            .unwrap()
            .contains("sslmode=sometimes"));
    }

    #[test]
    fn a_password_file_is_read_as_libpq_reads_it() {
        let text = "# team\n\
                    db.example:5432:licdesk:anna:first\n\
                    *:*:licdesk:ben:with\\:colon\\\\\n\
                    *:*:*:*:fallback\n";
        let find = |host: &str, user: &str| {
            password_in(text, |f| {
                (f[0] == "*" || f[0] == host)
                    && (f[1] == "*" || f[1] == "5432")
                    && (f[2] == "*" || f[2] == "licdesk")
                    && (f[3] == "*" || f[3] == user)
            })
        };
        assert_eq!(find("db.example", "anna").as_deref(), Some("first"));
        assert_eq!(find("other", "ben").as_deref(), Some("with:colon\\"));
        assert_eq!(find("other", "anna").as_deref(), Some("fallback"));
    }

    #[cfg(unix)]
    #[test]
    fn a_password_file_others_may_read_is_ignored() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pgpass");
        std::fs::write(&file, "*:*:*:*:secret\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(read_private(&file), None);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(read_private(&file).as_deref(), Some("*:*:*:*:secret\n"));
    }
}
