mod canvas;
mod jwks;
mod jwt;
mod path;
mod redirect;
mod session;
mod sql;
mod url;
