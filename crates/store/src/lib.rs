//! licdesk-store
