//! Store tests: every test runs on SQLite and on PostgreSQL, each in a fresh
//! database (see `harness`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod audit;
mod engagement;
mod engagement_health;
mod engagement_read_model;
mod exports;
mod fixtures;
mod follow_ups;
mod harness;
mod insights;
mod meeting_parts;
mod meetings;
mod memo;
mod opening;
mod organisations;
mod paging;
mod partnerships;
mod people;
mod privacy;
mod representatives;
mod seed;
mod sessions;
mod storage;
mod unicode;
