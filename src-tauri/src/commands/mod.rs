//! The window's commands, one module per feature. Each is a few lines: the window's arguments
//! checked (`crate::input`), then one call to licdesk-desk off the main thread (`crate::state`).
//! Each command's name is its IPC name (`ui/js/api.js`) and has one generated permission
//! (`build.rs`, granted in `capabilities/main.json`).

pub(crate) mod drops;
pub(crate) mod imports;
pub(crate) mod licenses;
pub(crate) mod machine;
pub(crate) mod requests;
pub(crate) mod standby;
pub(crate) mod store;
pub(crate) mod teams;
