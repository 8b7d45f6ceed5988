//! One module per page (or group of pages of one record).

pub mod accessibility;
pub mod organisations;
pub mod start;
