//! The targets: one folder each, with its hardened API, its adversarial
//! input type (`gen`), its oracles (`oracle`), its errors (`error`), its
//! options and its threat model in the module's documentation. Each
//! implements [`Target`](crate::Target) and has one line in the
//! [registry](crate::registry::all).

pub mod canvas;
pub mod jwks;
pub mod jwt;
pub mod path;
pub mod redirect;
pub mod session;
pub mod sql;
pub mod url;
