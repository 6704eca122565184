mod canvas;
mod jwks;
mod jwt;
mod path;
mod sql;
