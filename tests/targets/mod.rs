mod canvas;
mod jwks;
mod jwt;
mod path;
mod redirect;
mod sql;
mod url;
