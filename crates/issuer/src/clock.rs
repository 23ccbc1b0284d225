//! The one clock the vendor tool reads: every signed time comes from [`now`].

use licdesk_core::Timestamp;

/// This machine's time, in whole seconds (the Unix epoch if the clock is before it).
pub fn now() -> Timestamp {
    Timestamp::from_unix(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0),
    )
}
