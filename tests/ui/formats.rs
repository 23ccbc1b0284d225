//! The window writes numbers and dates itself (`ui/js/formats.js`, not Intl, which costs the
//! page ICU's data): they must read exactly as Intl writes them for en-GB and de-DE. The
//! comparison runs in Node (Debian's nodejs, installed by `make setup`), whose Intl is ICU's.

use std::process::Command;

use super::root;

#[test]
fn numbers_and_dates_read_as_intl_writes_them_in_english_and_german() {
    // Europe/Berlin: the hours across the changes to and from summer time are in the script.
    let run = Command::new("node")
        .arg(root().join("tests/ui/formats.mjs"))
        .env("TZ", "Europe/Berlin")
        .output()
        .unwrap_or_else(|e| panic!("cannot run node ({e}): `make setup` installs Debian's nodejs"));
    let said = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "the window's formats differ from Intl's:\n{said}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let compared: usize = said
        .lines()
        .find_map(|l| l.strip_prefix("compared "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    assert!(
        compared > 10_000,
        "only {compared} formats compared:\n{said}"
    );
}
