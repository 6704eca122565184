//! The redirect target's errors: [`RedirectError`] (why a `Location` was
//! refused) and [`PolicyError`] (why a policy did not build), defined
//! beside the guard in the url module and named here.

pub use crate::targets::url::{PolicyError, RedirectError};
