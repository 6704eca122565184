//! `secfuzz list`: the registry, for people and scripts: each target, the
//! invariants its oracles check and the options `check` takes.

use serde_json::json;

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Print one JSON array instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: ListArgs) -> anyhow::Result<u8> {
    let targets = secfuzz::registry::all();
    if args.json {
        let list: Vec<_> = targets
            .iter()
            .map(|t| {
                json!({
                    "name": t.name(),
                    "description": t.description(),
                    "invariants": t.invariants().iter().map(|i| json!({
                        "id": i.id,
                        "description": i.description,
                    })).collect::<Vec<_>>(),
                    "options": t.options().iter().map(|o| json!({
                        "name": o.name,
                        "kind": o.kind.name(),
                        "values": match o.kind {
                            secfuzz::options::OptionKind::Choice(c) => json!(c),
                            _ => json!(null),
                        },
                        "default": o.default,
                        "repeatable": o.repeatable,
                        "help": o.help,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&list)?);
    } else {
        for t in targets {
            println!("{}  {}", t.name(), t.description());
            println!("  invariants:");
            for i in t.invariants() {
                println!("    {:<24} {}", i.id, i.description);
            }
            if !t.options().is_empty() {
                println!(
                    "  options (check {} --opt NAME=VALUE, or --NAME VALUE):",
                    t.name()
                );
            }
            for o in t.options() {
                let form = match o.kind.placeholder() {
                    p if p.is_empty() => o.name.to_owned(),
                    p => format!("{}={p}", o.name),
                };
                let default = match o.default {
                    Some(d) if o.kind != secfuzz::options::OptionKind::Flag => {
                        format!(" [default: {d}]")
                    }
                    _ => String::new(),
                };
                let rep = if o.repeatable { " [repeatable]" } else { "" };
                println!("    {form:<32} {}{default}{rep}", o.help);
            }
        }
    }
    Ok(super::EXIT_OK)
}
