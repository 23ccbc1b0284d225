//! licdesk-desk
