#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| -> libfuzzer_sys::Corpus {
    if secfuzz::harness::fuzz::<secfuzz::jwt::JwtTarget>(data) { libfuzzer_sys::Corpus::Keep } else { libfuzzer_sys::Corpus::Reject }
});
