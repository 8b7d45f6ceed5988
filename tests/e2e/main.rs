//! End-to-end tests of the `samverkan` binary, as a user runs it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli;
