#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| -> libfuzzer_sys::Corpus {
    secfuzz_fuzz::run::<secfuzz::session::SessionTarget>(data)
});
