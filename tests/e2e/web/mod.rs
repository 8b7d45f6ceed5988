//! The web interface, as people use it: in a headless Chromium (`browser`),
//! checked by axe-core (`axe`), and over plain HTTP where a browser adds
//! nothing (cookies, headers, refusals).

mod axe;
pub mod browser;
mod editing;
mod meeting_edit;
mod meeting_form;
mod pages;
mod record_forms;
mod records;
mod sign_in;
mod tour;
mod visitor;
