//! Preservation over the benign canvas corpus (filled in below).
