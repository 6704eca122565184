mod jwks;
mod jwt;
mod path;
mod redirect;
mod url;
