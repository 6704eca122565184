mod jwks;
mod jwt;
mod path;
mod session;
