//! What a token is verified as: [`Profile`].

/// What a token is verified as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, arbitrary::Arbitrary)]
pub enum Profile {
    /// A JWS: signature, header and encoding; the payload may be any bytes.
    Jws,
    /// A JWT: the JWS layer plus typed claims checks (the default).
    #[default]
    Jwt,
}

impl std::str::FromStr for Profile {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "jws" => Ok(Profile::Jws),
            "jwt" => Ok(Profile::Jwt),
            other => Err(format!("unknown profile {other:?} (expected jws or jwt)")),
        }
    }
}
