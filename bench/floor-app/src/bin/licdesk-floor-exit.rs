//! The peer of a command started as a process (licdesk-bench's `process` part): a Rust program
//! built in release like `licdesk` that does nothing and exits 0, so that what the kernel, the
//! loader and Rust's runtime take to start and end a process is measured beside `licdesk`.
fn main() {}
