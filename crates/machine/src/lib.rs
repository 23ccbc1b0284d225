//! licdesk-machine
