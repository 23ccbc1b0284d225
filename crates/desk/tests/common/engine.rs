//! The store engine the desk's tests run on: SQLite, or PostgreSQL when `LICDESK_TEST_ENGINE`
//! is `postgres` (`make test` runs them on both).

use std::path::Path;

use licdesk_desk::{Desk, DeskHome, StoreLocation};

/// A new desk for a test, its local files in `dir`: an SQLite store `dir/store.sqlite`, or a new
/// database of the test cluster named after `test`.
#[allow(dead_code)] // each test binary includes this file; not every one opens a desk so
pub fn test_desk(dir: &Path, test: &str) -> Desk {
    match std::env::var("LICDESK_TEST_ENGINE").as_deref() {
        Ok("postgres") => {
            let url = licdesk_pgtest::shared().database(test);
            let home = DeskHome::in_folder(dir.join("desk-home"));
            Desk::open_at_with_home(&StoreLocation::of(Path::new(&url)), home)
                .expect("open the desk on the test cluster")
        }
        Ok("sqlite") | Err(_) => Desk::open(&dir.join("store.sqlite")).expect("open the desk"),
        Ok(other) => panic!("LICDESK_TEST_ENGINE={other}: use sqlite or postgres"),
    }
}
