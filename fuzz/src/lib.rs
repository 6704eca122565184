//! The one function every fuzz shim calls: [`secfuzz::harness::fuzz`], with
//! its "keep this input?" answer in libFuzzer's terms.

/// Decode `data` into `T`'s input and check it; a violation panics (that is
/// how libFuzzer records a crash). Undecodable or oversized inputs are kept
/// out of the corpus.
pub fn run<T: secfuzz::Target>(data: &[u8]) -> libfuzzer_sys::Corpus {
    if secfuzz::harness::fuzz::<T>(data) {
        libfuzzer_sys::Corpus::Keep
    } else {
        libfuzzer_sys::Corpus::Reject
    }
}
