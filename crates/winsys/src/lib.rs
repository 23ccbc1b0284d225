//! The Windows API for License Desk, behind safe functions: the only crate of the workspace with
//! `unsafe` code. Each function here is a thin wrapper over `windows-sys` — one Windows call or a
//! short sequence of them — and says in plain types what Windows answered; the policy (which
//! readings make a hardware ID, which access list a key file needs, when to refuse) lives in the
//! crates that call it (`licdesk-machine`, `licdesk-outfile`, `licdesk-desk`).
//!
//! Rules of this crate: every `unsafe` block does one unsafe operation and carries a `// SAFETY:`
//! comment (clippy's `undocumented_unsafe_blocks` and `multiple_unsafe_ops_per_block` deny
//! otherwise); buffers handed to Windows are owned Rust values that outlive the call; anything
//! Windows allocates is freed by a guard. On other systems the crate is empty.

#![cfg(windows)]

mod folders;
mod hardware;
mod process;
mod registry;
mod security;
mod shell;
mod sid;
mod wide;

pub use folders::{known_folder, KnownFolder};
pub use hardware::{
    adapters, machine_guid, network_class_entries, smbios_table, system_volume_serial, Adapter,
    NetworkClassEntry,
};
pub use process::is_running;
pub use security::{
    create_dir_with_access, create_file_with_access, create_private_file, dacl_of_file,
    dacl_of_path, Access, Ace, Dacl,
};
pub use shell::open_with_associated_program;
pub use sid::{Sid, WellKnown};

#[cfg(test)]
mod tests;
