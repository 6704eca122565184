//! The real-browser oracle (filled in below).
