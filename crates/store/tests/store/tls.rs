//! A team's store over the network: TLS that checks the server's certificate, passwords by
//! SCRAM-SHA-256, and a password that no refusal repeats. Against a cluster of its own that
//! takes TCP connections over TLS only.

use licdesk_pgtest::{Cluster, ServerTls};
use licdesk_store::{Queries, Store, StoreLocation};
use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};

use crate::support::*;

const PASSWORD: &str = "pw-S3cret-team";

/// A certificate authority of the team's own and the server's certificate for 127.0.0.1.
fn team_ca() -> (String, ServerTls) {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let server_key = KeyPair::generate().unwrap();
    let server = CertificateParams::new(vec!["127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&server_key, &ca_cert, &ca_key)
        .unwrap();
    (
        ca_cert.pem(),
        ServerTls {
            cert_pem: server.pem(),
            key_pem: server_key.serialize_pem(),
        },
    )
}

fn open(url: &str) -> Result<Store, String> {
    Store::open_at(&StoreLocation::of(std::path::Path::new(url))).map_err(|e| {
        let text = e.to_string();
        assert!(!text.contains(PASSWORD), "the password was shown: {text}");
        text
    })
}

#[test]
fn a_team_store_is_reached_over_tls_with_its_certificate_checked_and_a_scram_password() {
    let (ca_pem, server_tls) = team_ca();
    let cluster = Cluster::start_with_tls(&server_tls).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("team-ca.pem");
    std::fs::write(&ca_file, &ca_pem).unwrap();
    // The desk's role owns the store's database (over the trusted socket, as an administrator).
    let admin = cluster.database("tls_team");
    let database = admin.rsplit('/').next().unwrap().to_string();
    let mut client = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
    client
        .batch_execute(&format!(
            "CREATE ROLE desk LOGIN PASSWORD '{PASSWORD}';
             ALTER DATABASE \"{database}\" OWNER TO desk;"
        ))
        .unwrap();
    let url = |password: &str, options: &str| cluster.tcp_url("desk", password, &database, options);
    let root = format!("sslrootcert={}", ca_file.display());

    let cert = base(1, "Stadtwerke Kiel");
    let mut store = open(&url(PASSWORD, &format!("sslmode=verify-full&{root}"))).unwrap();
    put(&mut store, &cert);
    drop(store);
    // The default (prefer) takes TLS too, the certificate checked all the same.
    let store = open(&url(PASSWORD, &root)).unwrap();
    assert_eq!(
        store.base(&cert.license).unwrap().unwrap().certificate,
        cert
    );
    drop(store);

    // A server whose certificate no trusted root vouches for is not talked to.
    let untrusted = open(&url(PASSWORD, "sslmode=require")).unwrap_err();
    assert!(untrusted.contains("certificate"), "{untrusted}");
    // Without TLS the server lets no one in.
    let plain = open(&url(PASSWORD, "sslmode=disable")).unwrap_err();
    assert!(plain.contains("no encryption"), "{plain}");
    // A wrong password is refused, and neither password is shown.
    let wrong = open(&url("not-the-password", &format!("sslmode=require&{root}"))).unwrap_err();
    assert!(wrong.contains("password authentication failed"), "{wrong}");
    assert!(!wrong.contains("not-the-password"), "{wrong}");
    // A root file that holds no certificate is named.
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "").unwrap();
    let no_root = open(&url(
        PASSWORD,
        &format!("sslmode=require&sslrootcert={}", empty.display()),
    ))
    .unwrap_err();
    assert!(no_root.contains("holds no certificate"), "{no_root}");
}
