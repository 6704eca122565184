//! `secfuzz check TARGET [PATH|-]`: raw payloads through a target's hardened
//! code and oracles.
//!
//! Each registered target is a subcommand of `check`, generated from its
//! option declaration ([`secfuzz::Target::OPTIONS`]): every option can be
//! given as `--opt NAME=VALUE` or as `--NAME VALUE` (`--NAME` for a flag), and
//! `check TARGET --help` lists them with their defaults. Nothing here knows
//! any target.

use std::io::{Read, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::{Arg, ArgAction, ArgMatches, Command};
use secfuzz::options::{OptionKind, OptionSpec, Options};
use secfuzz::payloads::{self, InputFormat, Payload, PayloadError};
use secfuzz::registry::{self, DynTarget};
use secfuzz::util::payload_text;
use secfuzz::{Verdict, Violation};
use serde_json::json;

pub struct CheckArgs {
    target: &'static dyn DynTarget,
    path: Option<PathBuf>,
    json: bool,
    input: InputFormat,
    /// `NAME=VALUE` assignments from `--NAME VALUE`, then from `--opt`.
    options: Vec<String>,
}

impl std::fmt::Debug for CheckArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckArgs")
            .field("target", &self.target.name())
            .field("path", &self.path)
            .field("json", &self.json)
            .field("input", &self.input)
            .field("options", &self.options)
            .finish()
    }
}

fn option_arg(spec: &OptionSpec) -> Arg {
    let id = format!("opt:{}", spec.name);
    let mut help = spec.help.to_owned();
    match spec.default {
        Some(d) if spec.kind != OptionKind::Flag => help.push_str(&format!(" [default: {d}]")),
        _ => {}
    }
    if spec.repeatable {
        help.push_str(" [repeatable]");
    }
    let arg = Arg::new(id)
        .long(spec.name)
        .help(help)
        .help_heading("Target options (also as --opt NAME=VALUE)");
    match spec.kind {
        OptionKind::Flag => arg.action(ArgAction::SetTrue),
        kind => {
            let arg = arg
                .value_name(kind.placeholder())
                .action(if spec.repeatable {
                    ArgAction::Append
                } else {
                    ArgAction::Set
                })
                .allow_negative_numbers(matches!(kind, OptionKind::Int { .. }));
            match kind {
                OptionKind::Choice(c) => {
                    arg.value_parser(clap::builder::PossibleValuesParser::new(c.iter().copied()))
                }
                _ => arg,
            }
        }
    }
}

fn target_command(t: &'static dyn DynTarget) -> Command {
    let mut cmd = Command::new(t.name())
        .about(t.description())
        .arg(
            Arg::new("path")
                .value_name("PATH")
                .value_parser(clap::value_parser!(PathBuf))
                .help(
                    "Payload file (`-` or nothing: standard input); with --input files, a \
                     directory",
                ),
        )
        .arg(
            Arg::new("json")
                .long("json")
                .action(ArgAction::SetTrue)
                .help(
                    "One JSON object per payload: \
                     {\"target\",\"source\",\"payload\",\"verdict\",\"output\",\"reason\",\"violation\"}",
                ),
        )
        .arg(
            Arg::new("input")
                .long("input")
                .value_name("FORMAT")
                .value_parser(clap::builder::PossibleValuesParser::new(
                    InputFormat::NAMES.iter().copied(),
                ))
                .default_value("lines")
                .help(
                    "lines: one payload per line; json-lines: a JSON string, \
                     {\"payload\": string} or an array (its JSON text) per line; files: \
                     each file of a directory",
                ),
        )
        .arg(
            Arg::new("opt")
                .long("opt")
                .value_name("NAME=VALUE")
                .action(ArgAction::Append)
                .allow_hyphen_values(true)
                .help("A target option (repeatable); see the list below"),
        );
    for spec in t.options() {
        cmd = cmd.arg(option_arg(spec));
    }
    if t.options().is_empty() {
        cmd = cmd.after_help("This target takes no options.");
    }
    cmd
}

impl clap::Args for CheckArgs {
    fn augment_args(cmd: Command) -> Command {
        let mut cmd = cmd
            .subcommand_required(true)
            .disable_help_subcommand(true)
            .allow_external_subcommands(true)
            .subcommand_value_name("TARGET")
            .subcommand_help_heading("Targets");
        for t in registry::all() {
            cmd = cmd.subcommand(target_command(*t));
        }
        cmd
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

impl clap::FromArgMatches for CheckArgs {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let missing = || clap::Error::new(clap::error::ErrorKind::MissingSubcommand);
        let (name, sub) = m.subcommand().ok_or_else(missing)?;
        let target = registry::find(name).ok_or_else(|| {
            clap::Error::raw(
                clap::error::ErrorKind::InvalidSubcommand,
                format!(
                    "unknown target {name:?}; known targets: {}\n",
                    registry::names().join(", ")
                ),
            )
        })?;
        // `--NAME VALUE` becomes `NAME=VALUE` (`--NAME` for a flag: `NAME`),
        // then the `--opt` assignments follow: one parser for both forms.
        let mut options = Vec::new();
        for spec in target.options() {
            let id = format!("opt:{}", spec.name);
            if spec.kind == OptionKind::Flag {
                if sub.get_flag(&id) {
                    options.push(spec.name.to_owned());
                }
            } else if let Some(values) = sub.get_many::<String>(&id) {
                options.extend(values.map(|v| format!("{}={v}", spec.name)));
            }
        }
        options.extend(sub.get_many::<String>("opt").into_iter().flatten().cloned());
        Ok(CheckArgs {
            target,
            path: sub.get_one::<PathBuf>("path").cloned(),
            json: sub.get_flag("json"),
            input: sub
                .get_one::<String>("input")
                .map_or(Ok(InputFormat::Lines), |s| s.parse())
                .map_err(|_| clap::Error::new(clap::error::ErrorKind::InvalidValue))?,
            options,
        })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

#[derive(Default)]
struct Counts {
    accepted: usize,
    rejected: usize,
    sanitized: usize,
    violations: usize,
    errors: usize,
}

pub fn run(args: CheckArgs) -> anyhow::Result<u8> {
    let target = args.target;
    let options = Options::parse_assignments(target.options(), &args.options)
        .map_err(|e| anyhow::anyhow!("check {}: {e}", target.name()))?;
    let checker = target
        .checker(&options)
        .map_err(|e| anyhow::anyhow!("check {}: {e}", target.name()))?;
    let items = read_items(args.input, args.path.as_deref())?;

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut n = Counts::default();
    for item in items {
        match item {
            Ok(Payload { source, bytes }) => {
                let result = checker.check(&bytes);
                match &result {
                    Ok(Verdict::Accepted { .. }) => n.accepted += 1,
                    Ok(Verdict::Rejected { .. }) => n.rejected += 1,
                    Ok(Verdict::Sanitized { .. }) => n.sanitized += 1,
                    Ok(_) => {}
                    Err(_) => n.violations += 1,
                }
                write_result(&mut out, &args, &source, &bytes, &result)?;
            }
            Err(e) => {
                n.errors += 1;
                if args.json {
                    let line = json!({
                        "target": target.name(),
                        "source": e.source_name(),
                        "payload": null,
                        "verdict": "error",
                        "output": null,
                        "reason": e.to_string(),
                        "violation": null,
                    });
                    writeln!(out, "{line}")?;
                } else {
                    writeln!(out, "error      {e}")?;
                }
            }
        }
    }
    out.flush()?;
    eprintln!(
        "{}: {} payloads: {} accepted, {} rejected, {} sanitized, {} violations{}",
        target.name(),
        n.accepted + n.rejected + n.sanitized + n.violations,
        n.accepted,
        n.rejected,
        n.sanitized,
        n.violations,
        if n.errors > 0 {
            format!("; {} inputs were not payloads", n.errors)
        } else {
            String::new()
        }
    );
    Ok(if n.violations > 0 {
        super::EXIT_FINDING
    } else if n.errors > 0 {
        super::EXIT_ERROR
    } else {
        super::EXIT_OK
    })
}

fn read_items(
    format: InputFormat,
    path: Option<&std::path::Path>,
) -> anyhow::Result<Vec<Result<Payload, PayloadError>>> {
    let stdin = path.is_none_or(|p| p.as_os_str() == "-");
    if format == InputFormat::Files {
        let Some(dir) = path.filter(|_| !stdin) else {
            anyhow::bail!("--input files needs a directory (each file is one payload)");
        };
        return Ok(payloads::read_dir(dir)?);
    }
    let (name, data) = match path {
        Some(p) if !stdin => (
            p.display().to_string(),
            std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?,
        ),
        _ => ("<stdin>".to_owned(), read_stdin()?),
    };
    Ok(payloads::split(format, &name, &data))
}

fn write_result(
    out: &mut impl Write,
    args: &CheckArgs,
    source: &str,
    payload: &[u8],
    result: &Result<Verdict, Violation>,
) -> std::io::Result<()> {
    let text = payload_text(payload);
    if args.json {
        let line = match result {
            Ok(v) => json!({
                "target": args.target.name(),
                "source": source,
                "payload": text,
                "verdict": v.kind(),
                "output": v.output(),
                "reason": v.reason(),
                "violation": null,
            }),
            Err(v) => json!({
                "target": args.target.name(),
                "source": source,
                "payload": text,
                "verdict": "violation",
                "output": null,
                "reason": null,
                "violation": { "invariant": v.invariant, "detail": v.detail },
            }),
        };
        return writeln!(out, "{line}");
    }
    match result {
        Ok(Verdict::Rejected { reason }) => {
            writeln!(out, "rejected   {source}: {text:?}: {reason}")
        }
        Ok(v) => writeln!(
            out,
            "{:<10} {source}: {text:?} -> {:?}",
            v.kind(),
            v.output().unwrap_or_default()
        ),
        Err(v) => writeln!(out, "VIOLATION  {source}: {text:?}: {v}"),
    }
}

fn read_stdin() -> anyhow::Result<Vec<u8>> {
    let mut buf = Vec::new();
    std::io::stdin()
        .read_to_end(&mut buf)
        .context("cannot read standard input")?;
    Ok(buf)
}
