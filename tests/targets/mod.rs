mod jwks;
mod jwt;
mod path;
