//! Rust-aware stack signatures.
//!
//! Generic stack hashers lump distinct Rust bugs together because the top of
//! every panic backtrace is the same panic and unwinding machinery
//! (`std::panicking::*`, `core::panicking::panic_fmt`, `rust_begin_unwind`, …).
//! [`project_frames`] drops that machinery — every `std`, `core` and `alloc`
//! frame, backtrace capture, libFuzzer, sanitizer runtimes, the C runtime and
//! triage's own replay code — and stops at the frame where the harness called
//! into the target, so what is left are the frames of the code that failed:
//! the project's and its dependencies'. Names keep their module path but lose
//! addresses and symbol hashes (`::h0123456789abcdef`, v0 `[0123abcd]`
//! disambiguators), so a signature stays the same across rebuilds as long as
//! the code path does.
//!
//! [`parse_backtrace`] reads both Rust's backtrace format
//! (`  3: crate::f` / `at src/x.rs:10:5`) and the sanitizer format
//! (`#3 0x55d1 in crate::f /src/x.rs:10:5`).

use serde::{Deserialize, Serialize};

/// Most frames [`parse_backtrace`] reads; deeper frames (a runaway recursion)
/// are ignored, which keeps parsing bounded.
pub const MAX_PARSED_FRAMES: usize = 512;

/// One stack frame: a function and, when debug info had it, a source line.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Frame {
    /// Demangled function name without address or hash suffix.
    pub function: String,
    /// Source file, as the backtrace printed it (`./` prefix removed).
    pub file: Option<String>,
    /// 1-based source line.
    pub line: Option<u32>,
}

impl Frame {
    /// `function (file:line)`, or just the function when there is no file.
    pub fn display(&self) -> String {
        match (&self.file, self.line) {
            (Some(f), Some(l)) => format!("{} ({f}:{l})", self.function),
            (Some(f), None) => format!("{} ({f})", self.function),
            _ => self.function.clone(),
        }
    }
}

/// Parses the frames of a backtrace printed by Rust's `std::backtrace`, the
/// default panic hook, or a sanitizer report. Lines that are not frames are
/// skipped; at most [`MAX_PARSED_FRAMES`] frames are returned.
pub fn parse_backtrace(text: &str) -> Vec<Frame> {
    let mut frames: Vec<Frame> = Vec::new();
    for line in text.lines() {
        if frames.len() >= MAX_PARSED_FRAMES {
            break;
        }
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("at ") {
            // Location of the previous frame.
            if let Some(last) = frames.last_mut() {
                if last.file.is_none() {
                    let (file, line) = split_location(rest);
                    last.file = Some(file);
                    last.line = line;
                }
            }
            continue;
        }
        if let Some(frame) = sanitizer_frame(t).or_else(|| rust_frame(t)) {
            frames.push(frame);
        }
    }
    frames
}

/// `3: name`, `3: 0x55d1 - name`.
fn rust_frame(t: &str) -> Option<Frame> {
    let (num, rest) = t.split_once(':')?;
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut name = rest.trim();
    if let Some((addr, after)) = name.split_once(" - ") {
        if is_hex_address(addr) {
            name = after.trim();
        }
    }
    if name.is_empty() || is_hex_address(name) {
        return None;
    }
    Some(Frame {
        function: normalize_function(name),
        file: None,
        line: None,
    })
}

/// `#3 0x55d1 in name /path/file.rs:10:5` or `#3 0x55d1 in name (/bin+0x12)`.
fn sanitizer_frame(t: &str) -> Option<Frame> {
    let rest = t.strip_prefix('#')?;
    let (num, rest) = rest.split_once(' ')?;
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = rest.trim_start();
    let (addr, rest) = rest.split_once(' ').unwrap_or((rest, ""));
    if !is_hex_address(addr) {
        return None;
    }
    let rest = rest.trim_start().strip_prefix("in ")?.trim();
    if rest.is_empty() {
        return None;
    }
    // The location is the last space-separated token when it looks like one;
    // function names themselves contain spaces (`<A as B>::f`).
    let (name, file, line) = match rest.rsplit_once(' ') {
        Some((name, loc)) if loc.starts_with('(') => (name, None, None),
        Some((name, loc)) if loc.contains('/') || loc.contains(".rs") => {
            let (file, line) = split_location(loc);
            (name, Some(file), line)
        }
        _ => (rest, None, None),
    };
    Some(Frame {
        function: normalize_function(name.trim()),
        file,
        line,
    })
}

fn is_hex_address(s: &str) -> bool {
    s.strip_prefix("0x")
        .is_some_and(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `path/file.rs:10:5` → (`path/file.rs`, Some(10)). A Windows drive colon or
/// a missing line number leaves the whole string as the path.
fn split_location(loc: &str) -> (String, Option<u32>) {
    let loc = loc.trim();
    let mut parts = loc.rsplitn(3, ':');
    let last = parts.next().unwrap_or("");
    let mid = parts.next();
    let first = parts.next();
    let (file, line) = match (first, mid) {
        // file:line:col
        (Some(file), Some(line)) if line.parse::<u32>().is_ok() && last.parse::<u32>().is_ok() => {
            (file, line.parse().ok())
        }
        // file:line (column missing)
        _ => match loc.rsplit_once(':') {
            Some((file, line)) if line.parse::<u32>().is_ok() => (file, line.parse().ok()),
            _ => (loc, None),
        },
    };
    (normalize_file(file), line)
}

/// Removes a leading `./` from a printed path.
pub fn normalize_file(file: &str) -> String {
    file.strip_prefix("./").unwrap_or(file).to_owned()
}

/// Strips what changes between builds from a demangled name: a legacy
/// `::h<16 hex>` hash suffix and v0 crate disambiguators (`name[1a2b3c]`).
pub fn normalize_function(name: &str) -> String {
    let mut s = name.trim();
    if let Some(i) = s.rfind("::h") {
        let hash = &s[i + 3..];
        if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            s = &s[..i];
        }
    }
    // v0: `secfuzz[5a3b0c1d2e]::path` → `secfuzz::path`.
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        match after.find(']') {
            Some(close)
                if close > 0
                    && after[..close].bytes().all(|b| b.is_ascii_hexdigit())
                    && open > 0
                    && rest.as_bytes()[open - 1].is_ascii_alphanumeric() =>
            {
                out.push_str(&rest[..open]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// What a frame is, for signature purposes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameClass {
    /// Code under test: the project or one of its dependencies.
    Project,
    /// Panic, unwinding, allocation, backtrace, libFuzzer, sanitizer or C
    /// runtime machinery, or triage's own replay code: never part of a signature.
    Machinery,
    /// Where the engine calls into the target (`secfuzz::engine::contract`,
    /// `::registry`, `::harness`, libFuzzer's entry point): frames below it are
    /// the harness, not the input's code path.
    Boundary,
}

/// Crates (first path segment) whose frames are machinery.
const MACHINERY_CRATES: &[&str] = &[
    "std",
    "core",
    "alloc",
    "backtrace",
    "backtrace_rs",
    "panic_unwind",
    "panic_abort",
    "test",
    "__rustc",
    "gimli",
    "addr2line",
    "miniz_oxide",
    "fuzzer",
];

/// C runtime symbols that are machinery when they are the whole name.
const MACHINERY_SYMBOLS: &[&str] = &[
    "main",
    "_start",
    "raise",
    "abort",
    "gsignal",
    "clone",
    "clone3",
    "start_thread",
    "malloc",
    "calloc",
    "realloc",
    "free",
    "pthread_kill",
];

/// Symbol prefixes (C runtime, sanitizer runtimes, panic entry points).
const MACHINERY_PREFIXES: &[&str] = &[
    "rust_begin_unwind",
    "rust_panic",
    "__rust",
    "__libc",
    "__GI_",
    "__pthread",
    "__clone",
    "__asan",
    "__lsan",
    "__msan",
    "__tsan",
    "__ubsan",
    "__sanitizer",
    "__interceptor",
    "__interception",
    "operator new",
    "operator delete",
    "<unknown>",
];

/// Boundary symbols: libFuzzer's entry points and cargo-fuzz's wrapper.
const BOUNDARY_PREFIXES: &[&str] = &[
    "LLVMFuzzerTestOneInput",
    "rust_fuzzer_test_input",
    "libfuzzer_sys::",
    "secfuzz::engine::contract::",
    "secfuzz::engine::registry::",
    "secfuzz::engine::harness::",
];

/// The module path a frame belongs to: for `<A as B>::f` and `<A>::f` that
/// of the self type `A` (the code that runs is `A`'s), otherwise the name.
fn owner_path(function: &str) -> &str {
    let Some(inner) = function.strip_prefix('<') else {
        return function;
    };
    let mut t = inner.trim_start();
    for p in ["&mut ", "&", "*const ", "*mut ", "dyn "] {
        if let Some(r) = t.strip_prefix(p) {
            t = r.trim_start();
        }
    }
    if t.starts_with('[') || t.starts_with('(') {
        // Slices, arrays and tuples: inherent methods live in core.
        return "core";
    }
    // End of the self type: the first ` as ` or `>` at generic depth 0.
    let mut depth = 0usize;
    for (i, c) in t.char_indices() {
        match c {
            '<' => depth += 1,
            '>' if depth == 0 => return &t[..i],
            '>' => depth -= 1,
            ' ' if depth == 0 && t[i..].starts_with(" as ") => return &t[..i],
            _ => {}
        }
    }
    t
}

/// Classifies one frame.
pub fn classify_frame(function: &str) -> FrameClass {
    let owner = owner_path(function);
    if BOUNDARY_PREFIXES.iter().any(|p| owner.starts_with(p)) {
        return FrameClass::Boundary;
    }
    if owner.starts_with("secfuzz::engine::triage::") {
        return FrameClass::Machinery;
    }
    let krate = owner.split("::").next().unwrap_or(owner);
    let krate = krate.split('<').next().unwrap_or(krate);
    if MACHINERY_CRATES.contains(&krate)
        || MACHINERY_SYMBOLS.contains(&owner)
        || MACHINERY_PREFIXES.iter().any(|p| owner.starts_with(p))
        || owner.starts_with("0x")
    {
        return FrameClass::Machinery;
    }
    FrameClass::Project
}

/// The frames of the code that failed, innermost first: machinery dropped,
/// stopping at the first [`FrameClass::Boundary`] frame that follows a
/// project frame, at most `max` frames.
pub fn project_frames(frames: &[Frame], max: usize) -> Vec<Frame> {
    let mut out = Vec::new();
    for f in frames {
        if out.len() >= max {
            break;
        }
        match classify_frame(&f.function) {
            FrameClass::Project => out.push(f.clone()),
            FrameClass::Boundary if !out.is_empty() => break,
            FrameClass::Boundary | FrameClass::Machinery => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PANIC_BT: &str = "\
   0: secfuzz::engine::triage::child::panic_hook
             at ./src/triage/child.rs:10:5
   1: std::panicking::panic_with_hook
             at /rustc/abc/library/std/src/panicking.rs:833:13
   2: __rustc::rust_begin_unwind
             at /rustc/abc/library/std/src/panicking.rs:689:5
   3: core::panicking::panic_bounds_check
   4: lib::triage::planted::second_place::h0123456789abcdef
             at ./tests/triage/planted.rs:40:9
   5: <lib::triage::planted::Panicky as secfuzz::engine::contract::Target>::check
             at ./tests/triage/planted.rs:60:9
   6: <secfuzz::engine::registry::Entry<T> as secfuzz::engine::registry::DynTarget>::replay
             at ./src/target.rs:200:21
   7: lib::triage::triage_child_entry
   8: main
";

    #[test]
    fn panic_machinery_is_dropped_and_replay_is_the_boundary() {
        let frames = parse_backtrace(PANIC_BT);
        assert_eq!(frames.len(), 9);
        assert_eq!(frames[4].function, "lib::triage::planted::second_place");
        assert_eq!(frames[4].file.as_deref(), Some("tests/triage/planted.rs"));
        assert_eq!(frames[4].line, Some(40));
        let kept = project_frames(&frames, 5);
        let names: Vec<_> = kept.iter().map(|f| f.function.as_str()).collect();
        assert_eq!(
            names,
            [
                "lib::triage::planted::second_place",
                "<lib::triage::planted::Panicky as secfuzz::engine::contract::Target>::check"
            ]
        );
    }

    #[test]
    fn sanitizer_frames_parse() {
        let text = "==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x6\n\
            READ of size 1 at 0x6 thread T0\n\
            #0 0x55d1a in secfuzz::path::normalize::h0123456789abcdef /src/secfuzz/src/path/mod.rs:41:9\n\
            #1 0x55d1b in <secfuzz::path::Path as secfuzz::engine::contract::Target>::check /src/secfuzz/src/path/mod.rs:80:5\n\
            #2 0x55d1c in rust_fuzzer_test_input /cargo/libfuzzer-sys/src/lib.rs:1:1\n\
            #3 0x55d1d in __asan_memcpy (/out/path+0x1234)\n";
        let frames = parse_backtrace(text);
        assert_eq!(frames.len(), 4);
        assert_eq!(frames[0].function, "secfuzz::path::normalize");
        assert_eq!(
            frames[0].file.as_deref(),
            Some("/src/secfuzz/src/path/mod.rs")
        );
        assert_eq!(frames[0].line, Some(41));
        assert_eq!(frames[3].function, "__asan_memcpy");
        assert_eq!(frames[3].file, None);
        let kept = project_frames(&frames, 3);
        assert_eq!(kept.len(), 2);
    }

    #[test]
    fn owner_of_trait_impls_is_the_self_type() {
        assert_eq!(
            classify_frame("<alloc::boxed::Box<F,A> as core::ops::function::Fn<Args>>::call"),
            FrameClass::Machinery
        );
        assert_eq!(
            classify_frame("<&mut alloc::string::String as core::fmt::Write>::write_fmt"),
            FrameClass::Machinery
        );
        assert_eq!(classify_frame("<[T]>::sort_by"), FrameClass::Machinery);
        assert_eq!(
            classify_frame("<sqlparser::parser::Parser>::parse_expr"),
            FrameClass::Project
        );
        assert_eq!(
            classify_frame(
                "<secfuzz::engine::registry::Entry<X> as secfuzz::engine::registry::DynTarget>::describe"
            ),
            FrameClass::Boundary
        );
        assert_eq!(
            classify_frame("secfuzz::engine::triage::child::serve"),
            FrameClass::Machinery
        );
        assert_eq!(
            classify_frame("secfuzz::path::confine"),
            FrameClass::Project
        );
    }

    #[test]
    fn hashes_and_disambiguators_are_stripped() {
        assert_eq!(normalize_function("a::b::h0123456789abcdef"), "a::b");
        assert_eq!(normalize_function("a::b::hello"), "a::b::hello");
        assert_eq!(
            normalize_function("secfuzz[5a3b0c1d]::path::f"),
            "secfuzz::path::f"
        );
        assert_eq!(normalize_function("<[u8]>::len"), "<[u8]>::len");
    }

    #[test]
    fn locations_split() {
        assert_eq!(split_location("./a/b.rs:10:5"), ("a/b.rs".into(), Some(10)));
        assert_eq!(split_location("a/b.rs:7"), ("a/b.rs".into(), Some(7)));
        assert_eq!(split_location("a/b.rs"), ("a/b.rs".into(), None));
    }

    #[test]
    fn garbage_does_not_parse_as_frames() {
        assert!(parse_backtrace("hello: world\n12:\n#x 0x1 in f\n at nothing").is_empty());
    }
}
