//! The sql target: the generic property, per-dialect literal round trips
//! and the structure guard as proptest properties, template tables, the
//! detector measured on payload lists and a benign corpus, and the real
//! PostgreSQL differential.

mod detector;
mod postgres;
mod properties;
mod templates;
