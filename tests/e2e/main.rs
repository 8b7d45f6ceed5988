//! End-to-end tests of the `samverkan` binary, as a user or a client program
//! uses it: the CLI, and the HTTP API over real HTTP against `samverkan serve`
//! on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
mod cli;
mod server;
mod web;
