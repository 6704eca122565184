//! The `secfuzz` command line.
fn main() {}
