mod jwt;
mod path;
