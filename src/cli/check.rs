//! `secfuzz check TARGET [FILE|-]`: raw payloads, one per line, through a
//! target's hardened code and oracles.

use std::io::{Read, Write};
use std::path::PathBuf;

use anyhow::Context;
use secfuzz::jwt::{fixture, Jwks, PayloadCheck, Profile, Verifier};
use secfuzz::util::payload_text;
use secfuzz::{Verdict, Violation};
use serde_json::json;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Target name (see `secfuzz list`).
    target: String,
    /// File with one payload per line; `-` or nothing reads standard input.
    file: Option<PathBuf>,
    /// Print one JSON object per payload:
    /// {"target","payload","verdict","output","reason","violation"}.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    jwt: JwtArgs,
}

/// Options of the `jwt` target. Without `--jwks`, tokens are checked against
/// the harness's own trusted keys and policy (the keys `corpora/jwt/` was
/// signed with), at the harness clock.
#[derive(Debug, Default, clap::Args)]
#[command(next_help_heading = "JWT options (target jwt)")]
struct JwtArgs {
    /// Trusted keys: a JWK Set file (RFC 7517). Every key is bound to its
    /// `alg`; weak or ambiguous key sets are refused.
    #[arg(long, value_name = "FILE")]
    jwks: Option<PathBuf>,
    /// `jwt`: signature, header and typed claims; `jws`: signature and header
    /// only, for payloads that are not JWT claims.
    #[arg(long, value_name = "jws|jwt")]
    profile: Option<Profile>,
    /// The clock, in seconds since the Unix epoch. Default: the system clock
    /// with `--jwks`, the harness clock (1700000000) without.
    #[arg(long, value_name = "UNIX", allow_negative_numbers = true)]
    now: Option<i64>,
    /// Accepted issuer (repeatable); once given, `iss` is required.
    #[arg(long = "iss", value_name = "ISS", requires = "jwks")]
    issuers: Vec<String>,
    /// Accepted audience (repeatable); once given, `aud` is required.
    /// Without it a token carrying `aud` is refused.
    #[arg(long = "aud", value_name = "AUD", requires = "jwks")]
    audiences: Vec<String>,
    /// Another claim every token must carry (repeatable).
    #[arg(long = "require-claim", value_name = "NAME", requires = "jwks")]
    required: Vec<String>,
    /// Seconds a token stays valid after `exp`.
    #[arg(long, value_name = "SECONDS", default_value_t = 0, requires = "jwks")]
    leeway_exp: u32,
    /// Seconds a token is valid before `nbf`.
    #[arg(long, value_name = "SECONDS", default_value_t = 0, requires = "jwks")]
    leeway_nbf: u32,
    /// Accept tokens without `exp` (default: `exp` is required).
    #[arg(long, requires = "jwks")]
    no_exp: bool,
}

impl JwtArgs {
    fn given(&self) -> bool {
        self.jwks.is_some() || self.profile.is_some() || self.now.is_some()
    }

    /// The configured check; `Ok(None)` when no option is given (the
    /// target's own raw-payload check then applies).
    fn payload_check(&self) -> anyhow::Result<Option<PayloadCheck>> {
        if !self.given() {
            return Ok(None);
        }
        let profile = self.profile.unwrap_or_default();
        let Some(path) = &self.jwks else {
            let now = self.now.unwrap_or(fixture::NOW);
            return Ok(Some(PayloadCheck::new(
                fixture::verifier().clone(),
                profile,
                now,
            )));
        };
        let keys = Jwks::from_file(path)
            .with_context(|| format!("cannot use {} as trusted keys", path.display()))?;
        let mut verifier = Verifier::new(keys)
            .leeway_exp(self.leeway_exp)
            .leeway_nbf(self.leeway_nbf)
            .require_exp(!self.no_exp);
        for iss in &self.issuers {
            verifier = verifier.issuer(iss);
        }
        for aud in &self.audiences {
            verifier = verifier.audience(aud);
        }
        for claim in &self.required {
            verifier = verifier.require_claim(claim);
        }
        let now = match self.now {
            Some(now) => now,
            None => system_now()?,
        };
        Ok(Some(PayloadCheck::new(verifier, profile, now)))
    }
}

fn system_now() -> anyhow::Result<i64> {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .context("the system clock is before 1970; pass --now")?;
    i64::try_from(since.as_secs()).context("the system clock is out of range; pass --now")
}

/// Split input into payloads: one per line, `\n` or `\r\n`; a final newline
/// does not start another payload.
pub fn payload_lines(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let data = data.strip_suffix(b"\n").unwrap_or(data);
    let empty = data.is_empty();
    data.split(|&b| b == b'\n')
        .filter(move |_| !empty)
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
}

pub fn run(args: CheckArgs) -> anyhow::Result<u8> {
    let target = super::find_target(&args.target)?;
    let custom = if target.name() == "jwt" {
        args.jwt.payload_check()?
    } else if args.jwt.given() {
        anyhow::bail!(
            "--jwks, --profile and --now apply only to the jwt target, not {:?}",
            target.name()
        );
    } else {
        None
    };
    let check = |payload: &[u8]| -> Result<Verdict, Violation> {
        match &custom {
            Some(check) => check.check(payload),
            None => target.check_payload(payload),
        }
    };
    let data = match args.file.as_deref() {
        None => read_stdin()?,
        Some(p) if p.as_os_str() == "-" => read_stdin()?,
        Some(p) => std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let (mut accepted, mut rejected, mut sanitized, mut violations) = (0usize, 0, 0, 0);
    for payload in payload_lines(&data) {
        let result = check(payload);
        match &result {
            Ok(Verdict::Accepted { .. }) => accepted += 1,
            Ok(Verdict::Rejected { .. }) => rejected += 1,
            Ok(Verdict::Sanitized { .. }) => sanitized += 1,
            Ok(_) => {}
            Err(_) => violations += 1,
        }
        let text = payload_text(payload);
        if args.json {
            let line = match &result {
                Ok(v) => json!({
                    "target": target.name(),
                    "payload": text,
                    "verdict": v.kind(),
                    "output": v.output(),
                    "reason": v.reason(),
                    "violation": null,
                }),
                Err(v) => json!({
                    "target": target.name(),
                    "payload": text,
                    "verdict": "violation",
                    "output": null,
                    "reason": null,
                    "violation": { "invariant": v.invariant, "detail": v.detail },
                }),
            };
            writeln!(out, "{line}")?;
        } else {
            match &result {
                Ok(Verdict::Rejected { reason }) => writeln!(out, "rejected   {text:?}: {reason}")?,
                Ok(v) => writeln!(
                    out,
                    "{:<10} {text:?} -> {:?}",
                    v.kind(),
                    v.output().unwrap_or_default()
                )?,
                Err(v) => writeln!(out, "VIOLATION  {text:?}: {v}")?,
            }
        }
    }
    out.flush()?;
    eprintln!(
        "{}: {} payloads: {accepted} accepted, {rejected} rejected, {sanitized} sanitized, {violations} violations",
        target.name(),
        accepted + rejected + sanitized + violations
    );
    Ok(if violations > 0 {
        super::EXIT_FINDING
    } else {
        super::EXIT_OK
    })
}

fn read_stdin() -> anyhow::Result<Vec<u8>> {
    let mut buf = Vec::new();
    std::io::stdin()
        .read_to_end(&mut buf)
        .context("cannot read standard input")?;
    Ok(buf)
}
